"""Prefect flow: re-derive claims and changes from stored raw HTML, without refetching.

When the extractor or the claims engine improves, this brings the whole
history up to date: every version is re-extracted from its stored page and
each article's changes are recomputed, one transaction per article.
"""

from __future__ import annotations

import zlib

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NONE

from factwatch.runtime import workers
from factwatch.net.fetch import FetchResult
from factwatch.runtime.pipeline import PIPELINE_VERSION, PageJob
from factwatch.storage.writer import Reextracted, rewrite_claims
from factwatch.settings import load_settings
from factwatch.storage import connect
from factwatch.storage.reprocess import stale_articles, stored_pages

ARTICLES_PER_BATCH = 32


def _stored_page(row: tuple) -> tuple[PageJob, FetchResult]:
    """A stored version as the pipeline's input: the page as it was fetched then."""
    _article_id, _version_id, fetched_at, url, raw, encoding = row
    try:
        html = zlib.decompress(raw).decode("utf-8") if raw else ""
    except zlib.error:
        html = ""
    return PageJob(url), FetchResult(url, url, 200, False, html, encoding, None, None, fetched_at)


@task(cache_policy=NONE, task_run_name="reprocess {count} articles")
def reprocess_batch(db: str, articles: list[tuple[int, str]], count: int, lock_wait: float = 120.0) -> int:
    """Re-extract one batch of articles in the worker processes, then rewrite their claims."""
    with connect(db, wait=lock_wait) as con:
        rows = stored_pages(con, [aid for aid, _url in articles])
    results = workers.extract_in_pool([_stored_page(row) for row in rows])
    redone = [Reextracted(row[0], row[1], row[2], result.extracted) for row, result in zip(rows, results)]
    flags = 0
    with connect(db, wait=lock_wait) as con:
        for article_id, url in articles:
            flags += rewrite_claims(con, article_id, url, [r for r in redone if r.article_id == article_id])
    return flags


@flow(name="reprocess-articles")
def reprocess_articles(db: str | None = None, url: str | None = None, everything: bool = False) -> dict:
    """Re-extract stored versions made by an older extractor (or all with everything=True)."""
    settings = load_settings(db=db)
    db = settings.db
    workers.configure(settings.extraction_workers, settings.fetch_threads)
    with connect(db, wait=settings.lock_wait) as con:
        articles = stale_articles(con, PIPELINE_VERSION, url, everything)
    flags = 0
    try:
        for i in range(0, len(articles), ARTICLES_PER_BATCH):
            batch = articles[i:i + ARTICLES_PER_BATCH]
            flags += reprocess_batch(db, batch, len(batch), settings.lock_wait)
    finally:
        workers.shutdown_pool()
    get_run_logger().info("reprocessed %s articles with %s; %s flags", len(articles), PIPELINE_VERSION, flags)
    return {"articles": len(articles), "flags": flags, "extractor": PIPELINE_VERSION}
