"""The discover flow: read every source (feeds, sitemaps, section pages) and watch the new articles.

Tasks stay thin: one task reads a batch of sources (threads, the shared
polite Fetcher), one task writes each batch in one transaction. New watches
are due at once, so the next watch run checks them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timezone

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NONE
from prefect.futures import as_completed
from prefect.task_runners import ThreadPoolTaskRunner

from factwatch.discover.model import SourcePolicy, SourceReading
from factwatch.discover.reader import read_sources
from factwatch.flows.check import fetch_settings
from factwatch.net.fetch import FetchSettings
from factwatch.runtime import workers
from factwatch.runtime.batching import plan_batches
from factwatch.settings import Settings, load_settings
from factwatch.storage import connect
from factwatch.storage.sources import (
    DiscoverReport,
    announce_degraded,
    document_validators,
    record_readings,
    source_count,
    source_policies,
)

SOURCES_PER_BATCH = 64


@dataclass(frozen=True, slots=True)
class DiscoverSummary:
    """What one discover run did, returned by the flow and printed by the CLI."""

    sources: list
    watched: list
    waiting: int = 0  # sources not due yet, so not read this run

    @property
    def failed(self) -> list:
        """Sources whose own document could not be read (each recorded in source_checks)."""
        return [s for s in self.sources if s["failed"]]


@task(cache_policy=NONE)
def load_sources(db: str, settings: Settings, only: str | None = None,
                 everything: bool = False) -> tuple[list[SourcePolicy], dict, int]:
    """Each due source's policy (every source with `everything`, the one named by `only`), the validators
    of its documents for conditional GETs, and how many sources are not due yet."""
    due_at = None if only or everything else datetime.now(timezone.utc)
    with connect(db, wait=settings.lock_wait) as con:
        policies = source_policies(con, settings.discover_max_new, settings.discover_max_age,
                                   settings.allow_private_networks, only, due_at=due_at,
                                   every_seconds=settings.discover_every)
        waiting = source_count(con) - len(policies) if due_at else 0
        state = document_validators(con, [p.source_id for p in policies])
    validators: dict[int, dict] = {}
    for (source_id, url), values in state.items():
        validators.setdefault(source_id, {})[url] = values
    return policies, validators, waiting


@task(cache_policy=NONE, task_run_name="read sources {label}")
def read_batch(policies: list[SourcePolicy], validators: dict, settings: FetchSettings, threads: int,
               label: str) -> list[SourceReading]:
    """Fetch and parse one batch of sources (their documents, conditionally)."""
    return read_sources(workers.shared_fetcher(settings), policies, validators, threads)


@task(cache_policy=NONE, task_run_name="write {count} sources")
def write_readings(db: str, readings: list[SourceReading], run_id: str | None, count: int,
                   lock_wait: float = 120.0) -> DiscoverReport:
    """Store one batch of readings, decisions and new watches in one transaction."""
    with connect(db, wait=lock_wait) as con:
        return record_readings(con, readings, run_id)


@task(cache_policy=NONE)
def degraded_sources(db: str, lock_wait: float = 120.0) -> list[dict]:
    """Sources whose articles mostly came out broken in the last day, not announced since."""
    with connect(db, wait=lock_wait) as con:
        return announce_degraded(con)


def emit_degraded_event(source: dict) -> None:
    """One Prefect event per newly degraded source, so an Automation can tell whoever maintains it."""
    from prefect.events import emit_event

    emit_event(event="factwatch.source.degraded",
               resource={"prefect.resource.id": f"factwatch.source.{source['url']}",
                         "prefect.resource.name": source["name"] or source["url"], "factwatch.url": source["url"]},
               payload={"detail": source["detail"]})


def summary_markdown(report: DiscoverReport) -> str:
    """The run's markdown artifact: per source, what was read and added, and every failure."""
    lines = ["# factwatch discovery", "", f"Read **{len(report.sources)}** sources and watched "
             f"**{len(report.watched)}** new articles.", "",
             "| source | outcome | links | added | waiting (cap) | problem |", "|---|---|---|---|---|---|"]
    for s in report.sources:
        problem = s["error"] or "; ".join(s["problems"])[:300]
        lines.append(f"| {s['source']} | {s['outcome']} | {s['links']} | {s['added']} | {s['over_cap']} | "
                     f"{problem or ''} |")
    return "\n".join(lines)


def _run_name(report: DiscoverReport) -> str:
    failed = sum(s["failed"] for s in report.sources)
    count = len(report.sources)
    name = (f"discovered {len(report.watched)} new article{'s' if len(report.watched) != 1 else ''} "
            f"from {count} source{'s' if count != 1 else ''}")
    return name + (f", {failed} failed" if failed else "")


def run_discover(settings: Settings, only: str | None = None, everything: bool = False) -> DiscoverSummary:
    """Read the sources in batches and write each batch as it completes (the flow's body)."""
    from prefect.runtime import flow_run

    from factwatch.flows.reporting import _rename_flow_run

    logger = get_run_logger()
    policies, validators, waiting = load_sources(settings.db, settings, only, everything)
    report = DiscoverReport()
    if policies:
        size = max(1, math.ceil(len(policies) / max(1, math.ceil(len(policies) / SOURCES_PER_BATCH))))
        batches = plan_batches(policies, size)
        with ThreadPoolTaskRunner(max_workers=2) as runner:
            futures = [runner.submit(read_batch, {"policies": batch, "settings": fetch_settings(settings),
                                                  "validators": {p.source_id: validators.get(p.source_id, {})
                                                                 for p in batch},
                                                  "threads": settings.fetch_threads,
                                                  "label": f"{i + 1} of {len(batches)}"})
                       for i, batch in enumerate(batches)]
            for future in as_completed(futures):
                readings = future.result()
                report.merge(write_readings(settings.db, readings, flow_run.id, len(readings), settings.lock_wait))
    for source in report.failed:
        logger.warning("source %s could not be read: %s", source["source"], source["error"])
    for source in degraded_sources(settings.db, settings.lock_wait):
        logger.warning("source %s is degraded: %s", source["url"], source["detail"])
        emit_degraded_event(source)
    if waiting:
        logger.info("%s source%s not due yet", waiting, "s" if waiting != 1 else "")
    logger.info("%s", _run_name(report))
    _rename_flow_run(_run_name(report))
    create_markdown_artifact(summary_markdown(report), key="factwatch-discovery",
                             description="What this discovery run read and watched")
    return DiscoverSummary(report.sources, report.watched, waiting)


@flow(name="discover-articles")
def discover_articles(db: str | None = None, source: str | None = None, timeout: float | None = None,
                      allow_private_networks: bool | None = None, host_delay: float | None = None,
                      everything: bool = False) -> DiscoverSummary:
    """Read every due source (or only `source`, or all with `everything`) and watch its new articles.

    Unset parameters come from FACTWATCH_* settings, read when the run starts.
    """
    settings = load_settings(db=db, timeout=timeout, allow_private_networks=allow_private_networks,
                             host_delay=host_delay)
    return run_discover(settings, source, everything)
