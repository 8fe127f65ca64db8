"""CPU-bound extraction in worker processes, and the shared fetcher.

trafilatura holds the GIL, so threads do not help; a process pool (forkserver,
with the extraction modules preloaded) uses every core. Work is sent in chunks
so inter-process overhead stays small next to ~20 ms of extraction per page.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import threading
import time
import uuid
from collections.abc import Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from datetime import datetime, timezone
from concurrent.futures.process import BrokenProcessPool

from factwatch.net.fetch import Fetcher, FetchResult, FetchSettings
from factwatch.runtime.pipeline import PageJob, PageResult, fetch_page, process_fetched
from factwatch.extract.textnorm import bytes_hash

_lock = threading.Lock()
# Set when a run is being stopped (a signal, a cancel): fetch threads stop taking new pages.
_stopping = threading.Event()
_streams: dict[str, ResultStream] = {}
# Pool sizes: set by configure() when a run starts (from its settings).
_sizes = {"workers": os.cpu_count() or 1, "threads": 8}
_pool: ProcessPoolExecutor | None = None
_threads: ThreadPoolExecutor | None = None
_fetchers: dict[FetchSettings, Fetcher] = {}


def configure(extraction_workers: int, fetch_threads: int) -> None:
    """Size the pools for this run (FACTWATCH_WORKERS, FACTWATCH_FETCH_THREADS); pools resize on change."""
    global _threads
    with _lock:
        if _sizes["threads"] != fetch_threads and _threads is not None:
            _threads.shutdown(wait=False)
            _threads = None
        workers_changed = _sizes["workers"] != extraction_workers
        _sizes.update(workers=extraction_workers, threads=fetch_threads)
    if workers_changed:
        shutdown_pool()


def extraction_workers() -> int:
    """How many extraction processes this run uses."""
    return _sizes["workers"]


def extraction_pool() -> Executor | None:
    """The process pool for extraction, started once; None means extract in-process."""
    global _pool
    workers = extraction_workers()
    if workers <= 1:
        return None
    with _lock:
        if _pool is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["factwatch.runtime.pipeline"])
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


def fetch_threads() -> ThreadPoolExecutor:
    """One pool of fetching threads for the process (new threads per batch churn memory)."""
    global _threads
    with _lock:
        if _threads is None:
            _threads = ThreadPoolExecutor(max_workers=_sizes["threads"], thread_name_prefix="factwatch-fetch")
        return _threads


def shared_fetcher(settings: FetchSettings) -> Fetcher:
    """One Fetcher per settings, so robots.txt and per-host pacing are shared by batches."""
    with _lock:
        if settings not in _fetchers:
            _fetchers[settings] = Fetcher(settings, stop=_stopping)
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


IN_FLIGHT_PER_WORKER = 4


class _Pending:
    """A page handed to a worker process; it keeps the page only until the worker is done."""

    __slots__ = ("job", "fetched", "future")

    def __init__(self, job: PageJob, fetched: FetchResult | None, future) -> None:
        self.job, self.fetched, self.future = job, fetched, future


def _submit(pool: Executor, slots: threading.BoundedSemaphore, job: PageJob, fetched: FetchResult,
            work) -> _Pending | PageResult:
    """Hand one page to the pool, waiting while too many pages are in flight (bounded memory)."""
    slots.acquire()
    try:
        future = pool.submit(work, job, fetched)
    except (BrokenProcessPool, RuntimeError, OSError):  # the pool died, was replaced, or is being stopped
        slots.release()
        if _stopping.is_set():  # its forkserver was stopped with the run: starting a worker fails
            return _stopped(job)
        return _extract_isolated(job, fetched, work)
    pending = _Pending(job, fetched, future)

    def release(done) -> None:
        slots.release()
        if done.cancelled() or not isinstance(done.exception(), BrokenProcessPool):
            pending.fetched = None  # only a crash needs the page again

    future.add_done_callback(release)
    return pending


def _collect(item: _Pending | PageResult, work) -> PageResult:
    """The result of a submitted page; a page whose worker died is retried alone."""
    if isinstance(item, PageResult):
        return item
    try:
        return item.future.result()
    except BrokenProcessPool:
        shutdown_pool(wait=False)
        if _stopping.is_set():  # the run is being stopped: its processes were killed on purpose
            return _stopped(item.job)
        return _extract_isolated(item.job, item.fetched, work)


def _in_flight_slots() -> threading.BoundedSemaphore:
    return threading.BoundedSemaphore(max(2, extraction_workers() * IN_FLIGHT_PER_WORKER))


def extract_in_pool(pairs: list[tuple[PageJob, FetchResult]], work=_process_one) -> list[PageResult]:
    """Run `work` (extraction) over pages in the worker processes, results in order.

    If a page kills its worker (a crash in native code, memory exhaustion), the
    pages in flight are redone one per fresh worker, so only that page fails.
    """
    pool = extraction_pool()
    if pool is None:
        return [work(job, fetched) for job, fetched in pairs]
    slots = _in_flight_slots()
    pending = [_submit(pool, slots, job, fetched, work) for job, fetched in pairs]
    return [_collect(item, work) for item in pending]


def _extract_isolated(job: PageJob, fetched: FetchResult, work) -> PageResult:
    """Extract one page in a fresh worker, so a page that kills its worker fails alone."""
    try:
        return extraction_pool().submit(work, job, fetched).result()
    except BrokenProcessPool:
        shutdown_pool(wait=False)
        return PageResult(url=job.url, outcome="error", fetched_at=fetched.fetched_at,
                          http_status=fetched.status, final_url=fetched.final_url,
                          error="the extractor crashed on this page (its worker process died)")


class ResultStream:
    """Pages finished by local batch tasks, handed to the run's writer as they complete."""

    def __init__(self) -> None:
        self._queue: queue.Queue[PageResult] = queue.Queue()

    def put(self, result: PageResult) -> None:
        """Hand over one finished page."""
        self._queue.put(result)

    def take(self, max_wait: float, max_items: int, finished=lambda: False) -> list[PageResult]:
        """The pages finished within `max_wait` seconds (at most `max_items`); may be empty.

        Returns early once `finished()` says no more pages will come.
        """
        deadline = time.monotonic() + max_wait
        taken: list[PageResult] = []
        while len(taken) < max_items:
            try:
                taken.append(self._queue.get(timeout=max(0.0, min(0.05, deadline - time.monotonic()))))
            except queue.Empty:
                if finished() or time.monotonic() >= deadline:
                    break
        return taken


def open_stream() -> str:
    """A new stream for this run's pages; its key is what batch tasks are given."""
    key = uuid.uuid4().hex
    _streams[key] = ResultStream()
    _stopping.clear()
    return key


def stream(key: str) -> ResultStream:
    """The stream a run opened."""
    return _streams[key]


def close_stream(key: str) -> None:
    """Forget a run's stream."""
    _streams.pop(key, None)


def request_stop() -> None:
    """Stop taking new pages (the run is being stopped); pages in flight finish quickly."""
    _stopping.set()


def stop_worker_processes() -> None:
    """Kill the extraction processes and multiprocessing's helpers now (a run is being stopped)."""
    from factwatch.runtime.processes import descendants, stop_processes

    shutdown_pool(wait=False)
    helpers = []
    for proc in descendants():
        try:
            # the forkserver and the pool workers forked from it; not the resource tracker,
            # which this process still talks to until it exits
            if "multiprocessing.forkserver" in " ".join(proc.cmdline()):
                helpers.append(proc)
        except Exception:  # it ended meanwhile
            continue
    stop_processes(helpers, grace=1.0)


def _stopped(job: PageJob) -> PageResult:
    return PageResult(url=job.url, outcome="error", fetched_at=datetime.now(timezone.utc),
                      error="the run was stopped before this page was fetched")


def process_batch(jobs: Sequence[PageJob], settings: FetchSettings, use_pool: bool = True,
                  stream_key: str | None = None) -> list[PageResult]:
    """Fetch a batch with threads, handing each changed page to a worker process as it arrives.

    Extraction starts with the first page, and at most a few pages per worker are
    held in memory at once, whatever the batch size. With `stream_key` (local
    runs), each finished page goes to the run's stream at once, so the writer
    can store it within seconds; otherwise the batch's pages are returned.
    """
    fetcher = shared_fetcher(settings)
    pool = extraction_pool() if use_pool else None
    slots = _in_flight_slots()
    sink = _streams.get(stream_key) if stream_key else None

    def fetch_then_extract(job: PageJob) -> _Pending | PageResult:
        if _stopping.is_set():
            return _stopped(job)
        item = fetch_page(fetcher, job)
        if isinstance(item, PageResult):
            return item
        if pool is None or not _needs_extraction(job, item):
            return _process_one(job, item)
        return _submit(pool, slots, job, item, _process_one)

    handed = [fetch_threads().submit(fetch_then_extract, job) for job in jobs]
    if sink is None:
        return [_collect(item.result(), _process_one) for item in handed]
    for item in as_completed(handed):
        sink.put(_collect(item.result(), _process_one))
    return []
