"""How a run's pages are cut into batches: one host's pages stay in one batch.

A batch is fetched by one fetcher, whose per-host spacing and robots.txt cache
keep it polite. When batches run on several machines (a Dask cluster), two
batches holding pages of one host would hit it at once, so a host's pages are
never split across batches in a run.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar
from urllib.parse import urlsplit

Job = TypeVar("Job")


def host_of(url: str) -> str:
    """The host and port a URL is fetched from (its netloc, lower-cased)."""
    try:
        return urlsplit(url).netloc.lower()
    except ValueError:
        return url


def batch_size(pages: int, configured: int = 0) -> int:
    """Pages per batch: the configured size, else about eight batches a run of 32 to 256 pages.

    Each task run costs Prefect tens of milliseconds, so batches must be large;
    two in flight keep fetching and extraction overlapped.
    """
    if configured:
        return configured
    return max(32, min(256, -(-pages // 8)))


def plan_batches(jobs: Sequence[Job], size: int, url=lambda job: job.url) -> list[list[Job]]:
    """Cut jobs into batches of about `size`, never splitting one host's jobs between batches.

    Hosts are packed in order of first appearance; a host with more than `size`
    pages gets a batch of its own.
    """
    by_host: dict[str, list[Job]] = {}
    for job in jobs:
        by_host.setdefault(host_of(url(job)), []).append(job)
    batches: list[list[Job]] = []
    current: list[Job] = []
    for group in by_host.values():
        if current and len(current) + len(group) > size:
            batches.append(current)
            current = []
        current.extend(group)
        if len(current) >= size:
            batches.append(current)
            current = []
    if current:
        batches.append(current)
    return batches
