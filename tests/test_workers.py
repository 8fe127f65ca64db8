"""Extraction in worker processes: results in order, and a page that kills its worker fails alone."""

from __future__ import annotations

import os
from datetime import datetime, timezone

from factwatch.runtime import workers
from factwatch.net.fetch import FetchResult
from factwatch.runtime.pipeline import PageJob, PageResult
from factwatch.cli.storyserver import demo_story_versions


def crash_on_marker(job: PageJob, fetched: FetchResult) -> PageResult:
    """Stand-in for extraction that dies like a native crash on one page."""
    if "CRASH-ME" in job.url:
        os._exit(70)
    return workers._process_one(job, fetched)


def _pair(url: str) -> tuple[PageJob, FetchResult]:
    html = demo_story_versions()[0]
    fetched = FetchResult(url, url, 200, False, html, "utf-8", None, None, datetime.now(timezone.utc))
    return PageJob(url), fetched


def test_pages_come_back_in_order_from_the_pool():
    pairs = [_pair(f"https://news.example/{i}") for i in range(6)]
    try:
        results = workers.extract_in_pool(pairs)
    finally:
        workers.shutdown_pool()
    assert [r.url for r in results] == [p[0].url for p in pairs]
    assert all(r.outcome == "fetched" and r.extracted.title.startswith("Ferry") for r in results)


def test_a_page_that_kills_its_worker_fails_alone():
    pairs = [_pair(f"https://news.example/{i}") for i in range(3)] + [_pair("https://news.example/CRASH-ME")]
    try:
        results = workers.extract_in_pool(pairs, work=crash_on_marker)
    finally:
        workers.shutdown_pool()
    assert [r.outcome for r in results] == ["fetched", "fetched", "fetched", "error"]
    assert "worker process died" in results[-1].error
