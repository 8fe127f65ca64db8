"""CPU-bound extraction in worker processes, and the shared fetcher.

trafilatura holds the GIL, so threads do not help; a process pool (forkserver,
with the extraction modules preloaded) uses every core. Work is sent in chunks
so inter-process overhead stays small next to ~20 ms of extraction per page.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from functools import partial
from collections.abc import Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from flows.fetch import Fetcher, FetchResult, FetchSettings
from flows.pipeline import PageJob, PageResult, fetch_page, process_fetched
from flows.textnorm import bytes_hash

FETCH_THREADS = int(os.environ.get("FACTWATCH_FETCH_THREADS", "8"))
_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
_fetchers: dict[FetchSettings, Fetcher] = {}


def extraction_workers() -> int:
    """How many extraction processes: FACTWATCH_WORKERS, else one per core."""
    return int(os.environ.get("FACTWATCH_WORKERS") or os.cpu_count() or 1)


def extraction_pool() -> Executor | None:
    """The process pool for extraction, started once; None means extract in-process."""
    global _pool
    workers = extraction_workers()
    if workers <= 1:
        return None
    with _lock:
        if _pool is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["flows.pipeline"])
            _pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
        return _pool


def shutdown_pool(wait: bool = True) -> None:
    """Stop the extraction processes (at the end of a run, or after one died)."""
    global _pool
    with _lock:
        if _pool is not None:
            _pool.shutdown(wait=wait, cancel_futures=True)
            _pool = None


def warm_up_pool() -> None:
    """Start the extraction processes ahead of the first batch (they import trafilatura)."""
    pool = extraction_pool()
    if pool is not None:
        list(pool.map(abs, range(extraction_workers())))


def shared_fetcher(settings: FetchSettings) -> Fetcher:
    """One Fetcher per settings, so robots.txt and per-host pacing are shared by batches."""
    with _lock:
        if settings not in _fetchers:
            _fetchers[settings] = Fetcher(settings)
        return _fetchers[settings]


def _needs_extraction(job: PageJob, fetched: FetchResult) -> bool:
    if fetched.not_modified:
        return False
    return job.html_hash is None or bytes_hash((fetched.html or "").encode("utf-8")) != job.html_hash


def _process_one(job: PageJob, fetched: FetchResult) -> PageResult:
    try:
        return process_fetched(job, fetched)
    except Exception as exc:  # one page's bug must not sink the batch; it is recorded
        return PageResult(url=job.url, outcome="error", fetched_at=fetched.fetched_at,
                          http_status=fetched.status, final_url=fetched.final_url,
                          error=f"internal error while extracting the page ({type(exc).__name__}: {exc})")


def _process_chunk(pairs: Sequence[tuple[PageJob, FetchResult]], work=_process_one) -> list[PageResult]:
    return [work(job, fetched) for job, fetched in pairs]


def extract_in_pool(pairs: list[tuple[PageJob, FetchResult]], work=_process_one) -> list[PageResult]:
    """Run `work` (extraction) over pages across the worker processes, a few chunks per worker.

    If a page kills its worker (a crash in native code, memory exhaustion), the
    batch is redone one page per task, so only that page fails.
    """
    pool = extraction_pool()
    if pool is None or len(pairs) < 2:
        return _process_chunk(pairs, work)
    size = max(1, -(-len(pairs) // (extraction_workers() * 2)))
    chunks = [pairs[k:k + size] for k in range(0, len(pairs), size)]
    try:
        return [r for part in pool.map(partial(_process_chunk, work=work), chunks) for r in part]
    except BrokenProcessPool:
        shutdown_pool(wait=False)
        return [_extract_isolated(job, fetched, work) for job, fetched in pairs]


def _extract_isolated(job: PageJob, fetched: FetchResult, work) -> PageResult:
    """Extract one page in a fresh worker, so a page that kills its worker fails alone."""
    try:
        return extraction_pool().submit(work, job, fetched).result()
    except BrokenProcessPool:
        shutdown_pool(wait=False)
        return PageResult(url=job.url, outcome="error", fetched_at=fetched.fetched_at,
                          http_status=fetched.status, final_url=fetched.final_url,
                          error="the extractor crashed on this page (its worker process died)")


def process_batch(jobs: Sequence[PageJob], settings: FetchSettings) -> list[PageResult]:
    """Fetch a batch with threads, then extract the changed pages in worker processes."""
    fetcher = shared_fetcher(settings)
    with ThreadPoolExecutor(max_workers=min(FETCH_THREADS, max(1, len(jobs)))) as threads:
        fetched = list(threads.map(lambda job: fetch_page(fetcher, job), jobs))
    results: list[PageResult | None] = [None] * len(jobs)
    heavy: list[int] = []
    for i, (job, item) in enumerate(zip(jobs, fetched)):
        if isinstance(item, PageResult):
            results[i] = item
        elif _needs_extraction(job, item):
            heavy.append(i)
        else:
            results[i] = _process_one(job, item)
    extracted = extract_in_pool([(jobs[i], fetched[i]) for i in heavy])
    for i, result in zip(heavy, extracted):
        results[i] = result
    return [r for r in results if r is not None]
