"""Prefect flows: check URLs once, or check every due watch. Tasks stay thin.

Work is batched: one task fetches and extracts a batch of pages (threads for
HTTP, processes for trafilatura), and one task writes each batch to DuckDB.
Per-page tasks are used only to retry pages that failed transiently.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timezone

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NONE
from prefect.futures import as_completed
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from factwatch.runtime import workers
from factwatch.errors import TaskRunnerUnavailable
from factwatch.net.fetch import FetchSettings, FetchTransient
from factwatch.runtime.batching import batch_size, plan_batches
from factwatch.runtime.pipeline import PageJob, PageResult, fetch_page, process_fetched
from factwatch.storage.writer import WriteReport, record_results
from factwatch.flows.alerts import emit_alerts, send_due_digests
from factwatch.flows.reporting import emit_story_flag_events, flag_row, publish_run
from factwatch.settings import Settings, load_settings
from factwatch.storage import HeldOpen, connect, repo

# Set by the CLI to drive its progress bar: called with the number of URLs just written.
PROGRESS_HOOK = None


@dataclass(frozen=True, slots=True)
class RunSummary:
    """Counts for one run, returned by the flows and printed by the CLI."""

    checked: int
    outcomes: dict
    flags: list
    errors: list

    @property
    def failed(self) -> int:
        """How many URLs failed (each is recorded in fetch_log)."""
        return len(self.errors)


def fetch_settings(settings: Settings) -> FetchSettings:
    """How this run fetches, from its settings."""
    return FetchSettings(timeout=settings.timeout, allow_private_networks=settings.allow_private_networks,
                         host_delay=settings.host_delay)


def batch_task_runner(settings: Settings):
    """Where batches run: local threads feeding local processes, or an existing Dask cluster.

    FACTWATCH_TASK_RUNNER=dask with FACTWATCH_DASK_ADDRESS=tcp://scheduler:8786 sends
    each batch (fetch and extract) to the cluster; results come back to this flow,
    which stays the only writer of the DuckDB file. Chosen when the run starts.
    """
    if settings.task_runner == "local":
        return ThreadPoolTaskRunner(max_workers=2)
    try:
        from prefect_dask import DaskTaskRunner
    except ImportError as exc:
        raise TaskRunnerUnavailable("FACTWATCH_TASK_RUNNER=dask needs `pip install 'factwatch[dask]'`") from exc
    return DaskTaskRunner(address=settings.dask_address) if settings.dask_address else DaskTaskRunner()


def _retry_only_transient(task, task_run, state) -> bool:
    try:
        state.result()
    except FetchTransient:
        return True
    except Exception:
        return False
    return False


@task(cache_policy=NONE)
def load_jobs(db: str, urls: Sequence[str], lock_wait: float = 120.0) -> list[PageJob]:
    """Read each URL's validators (ETag, Last-Modified, page hash) for conditional GETs."""
    with connect(db, wait=lock_wait) as con:
        state = repo.article_state(con, urls)
    return [PageJob(url, *state.get(url, (None, None, None))) for url in urls]


@task(cache_policy=NONE, task_run_name="fetch and extract {label}")
def fetch_and_extract(jobs: list[PageJob], settings: FetchSettings, label: str,
                      local_processes: bool = True, stream_key: str | None = None) -> list[PageResult]:
    """Fetch and extract one batch of pages (on a Dask worker, extraction stays in its process).

    Locally, finished pages go to the run's stream as they complete and the writer
    stores them every few seconds; on Dask they come back with the batch.
    """
    return workers.process_batch(jobs, settings, use_pool=local_processes, stream_key=stream_key)


@task(cache_policy=NONE, retry_jitter_factor=0.2, retry_condition_fn=_retry_only_transient,
      task_run_name="retry {job.url}")
def refetch_page(job: PageJob, settings: FetchSettings, wait_seconds: float = 0.0, retries: int = 2,
                 max_retry_after: float = 120.0) -> PageResult:
    """Fetch again a page that failed transiently: FACTWATCH_RETRIES attempts in all.

    The first attempt honours the server's Retry-After (capped); Prefect spaces
    the others. The last attempt returns its failure instead of raising, so an
    expected failure is recorded in plain words, not logged as a traceback.
    """
    from prefect.runtime import task_run

    attempt = task_run.run_count or 1
    if attempt == 1 and wait_seconds:
        time.sleep(min(wait_seconds, max_retry_after))
    fetched = fetch_page(workers.shared_fetcher(settings), job)
    if not isinstance(fetched, PageResult):
        return process_fetched(job, fetched)
    if fetched.transient and attempt < retries:
        raise FetchTransient(fetched.error)
    if fetched.transient:
        return replace(fetched, error=f"{fetched.error} (still failing after {retries} retries)")
    return fetched


@task(cache_policy=NONE, task_run_name="write {count} results")
def write_results(db: str, results: list[PageResult], run_id: str | None, count: int,
                  lock_wait: float = 120.0) -> WriteReport:
    """Store one batch in one transaction (waits for the file lock if another run holds it)."""
    with connect(db, wait=lock_wait) as con:
        return record_results(con, results, run_id)


def _retry_transient(results: list[PageResult], jobs: dict[str, PageJob], settings: Settings) -> list[PageResult]:
    """Give transiently failed pages their retries, as task runs of their own; keep the final outcome."""
    retry = [r for r in results if r.transient]
    if not retry or settings.retries < 1:
        return results
    refetch = refetch_page.with_options(retries=max(settings.retries - 1, 0),
                                        retry_delay_seconds=list(settings.retry_delays))
    futures = {r.url: refetch.submit(jobs[r.url], fetch_settings(settings), r.retry_after or 0.0,
                                     settings.retries, settings.max_retry_after) for r in retry}
    final = []
    for result in results:
        future = futures.get(result.url)
        if future is None:
            final.append(result)
            continue
        future.wait()
        if future.state.is_completed():
            final.append(future.result())
        else:  # the task itself broke (not an HTTP failure): keep the first failure, say so
            final.append(replace(result, error=f"{result.error} (retrying failed: {future.state.message})"))
    return final


def run_check(urls: Sequence[str], settings: Settings) -> RunSummary:
    """Check URLs in batches and write each batch as it completes (the flows' shared body)."""
    from prefect.runtime import flow_run

    logger = get_run_logger()
    db = settings.db
    workers.configure(settings.extraction_workers, settings.fetch_threads)
    urls = list(dict.fromkeys(urls))
    jobs = load_jobs(db, urls, settings.lock_wait)
    by_url = {job.url: job for job in jobs}
    size = batch_size(len(jobs), settings.batch_size)
    batches = plan_batches(jobs, size)  # one host's pages in one batch: polite even across Dask workers
    local = settings.task_runner == "local"
    stream_key = workers.open_stream() if local else None
    report = WriteReport()
    hold = HeldOpen(db, settings.lock_wait)  # one open and one checkpoint per 10 s held, not per batch
    write = lambda results: _write_batch(results, by_url, settings, report, flow_run.id, hold)  # noqa: E731
    try:
        with hold, batch_task_runner(settings) as runner:
            try:
                futures = [runner.submit(fetch_and_extract, {"jobs": batch, "settings": fetch_settings(settings),
                                                             "label": f"{i + 1} of {len(batches)}",
                                                             "local_processes": local, "stream_key": stream_key})
                           for i, batch in enumerate(batches)]
                if stream_key:
                    _write_as_pages_finish(futures, workers.stream(stream_key), size, write)
                else:
                    for future in as_completed(futures):
                        write(future.result())
            except BaseException:
                # Stopped (a signal, a cancel) or broken: what is written stays. Stop the batch
                # tasks before the runner waits for them, and the extraction processes now.
                workers.request_stop()
                workers.stop_worker_processes()
                raise
    finally:
        if stream_key:
            workers.close_stream(stream_key)
        workers.shutdown_pool()
    send_due_digests(db, settings.lock_wait)
    logger.info("checked %s URLs: %s; %s flags; %s alerts", len(urls), report.outcomes, len(report.flags),
                len(report.alerts))
    publish_run(report, len(urls))
    return RunSummary(len(urls), dict(report.outcomes), [flag_row(f) for f in report.flags], list(report.errors))


WRITE_EVERY_SECONDS = 2.0


def _write_as_pages_finish(futures: list, stream: workers.ResultStream, size: int, write) -> None:
    """Write finished pages at least every few seconds while the batch tasks run, then the rest.

    A polite run over one host (a page a second) would otherwise write nothing
    for minutes; this way progress shows and a stop loses little.
    """
    pending = list(futures)
    while pending:
        chunk = stream.take(WRITE_EVERY_SECONDS, size, lambda: all(f.wrapped_future.done() for f in pending))
        if chunk:
            write(chunk)
        for future in [f for f in pending if f.wrapped_future.done()]:
            pending.remove(future)
            write(future.result())  # re-raises a batch task's failure; normally empty
    while chunk := stream.take(0.0, size):
        write(chunk)


def _write_batch(fetched: list[PageResult], by_url: dict[str, PageJob], settings: Settings,
                 report: WriteReport, run_id: str | None, hold: HeldOpen) -> None:
    """Retry a batch's transient failures, write it, and free its pages."""
    if not fetched:
        return
    results = _retry_transient(fetched, by_url, settings)
    hold.take()
    # quote: Prefect need not walk every page and claim looking for futures to resolve
    written = write_results(settings.db, quote(results), run_id, len(results), settings.lock_wait)
    hold.let_go_if_due()
    report.merge(written)
    emit_alerts(written.alerts)  # as soon as the batch is stored, not at the end of a long run
    emit_story_flag_events(written.stories)
    if PROGRESS_HOOK is not None:
        PROGRESS_HOOK(len(results))
    # The future keeps its result for the rest of the run; once a batch is
    # written its pages are not needed, so free them (peak memory stays flat).
    fetched.clear()
    results.clear()


def _name_check_run() -> str:
    from prefect.runtime import flow_run

    urls = flow_run.parameters.get("urls") or []
    return f"check {len(urls)} url{'s' if len(urls) != 1 else ''}"


@flow(name="check-articles", flow_run_name=_name_check_run)
def check_articles(urls: list[str], db: str | None = None, timeout: float | None = None,
                   allow_private_networks: bool | None = None, host_delay: float | None = None) -> RunSummary:
    """Fetch the given article URLs once, store new versions and flag changed claims.

    Unset parameters come from FACTWATCH_* settings, read when the run starts.
    """
    settings = load_settings(db=db, timeout=timeout, allow_private_networks=allow_private_networks,
                             host_delay=host_delay)
    return run_check(urls, settings)


@task(cache_policy=NONE)
def due_watches(db: str, every_override: int | None = None, lock_wait: float = 120.0) -> list[str]:
    """The watched URLs whose re-check is due now."""
    from factwatch.storage.watchlist import due_urls

    with connect(db, wait=lock_wait) as con:
        return due_urls(con, datetime.now(timezone.utc), every_override)


def _say_why_the_tick_failed(flow, flow_run, state) -> None:
    """A failed scheduled tick, in plain words; the schedule goes on and the next tick runs."""
    from prefect.exceptions import MissingContextError

    try:
        logger = get_run_logger()
    except MissingContextError:
        logger = logging.getLogger(__name__)
    logger.error("watch tick %s failed: %s; the next tick runs as scheduled", flow_run.name,
                 state.message or "no reason given")


@flow(name="watch-articles", on_failure=[_say_why_the_tick_failed])
def watch_articles(db: str | None = None, timeout: float | None = None, every_seconds: int | None = None,
                   allow_private_networks: bool | None = None, host_delay: float | None = None) -> RunSummary:
    """Check every watched article that is due, on its adaptive cadence."""
    settings = load_settings(db=db, timeout=timeout, allow_private_networks=allow_private_networks,
                             host_delay=host_delay)
    urls = due_watches(settings.db, every_seconds, settings.lock_wait)
    if not urls:
        get_run_logger().info("no watched article is due")
        send_due_digests(settings.db, settings.lock_wait)  # a digest period may end on a quiet tick
        return RunSummary(0, {}, [], [])
    return run_check(urls, settings)
