"""Prefect flow: re-derive claims and changes from stored raw HTML, without refetching.

When the extractor or the claims engine improves, this brings the whole
history up to date: every version is re-extracted from its stored page and
each article's changes are recomputed, one transaction per article.
"""

from __future__ import annotations

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NONE

from factwatch.runtime import workers
from factwatch.net.fetch import FetchResult
from factwatch.runtime.pipeline import PIPELINE_VERSION, PageJob, PageResult, PageUnreadable, page_html
from factwatch.storage.writer import Reextracted, rewrite_claims
from factwatch.settings import load_settings
from factwatch.storage import connect
from factwatch.storage.reprocess import stale_articles, stored_pages

ARTICLES_PER_BATCH = 32


class _Unreadable(Exception):
    """A stored page that cannot be turned back into HTML."""


def _stored_html(raw: bytes | None, reference: bytes | None) -> str:
    if not raw:
        raise _Unreadable("no page is stored for this version")
    try:
        return page_html(raw, reference)
    except PageUnreadable as exc:
        raise _Unreadable(f"the stored page could not be decompressed ({exc})") from None


def _reextract(rows: list[tuple]) -> list[PageResult]:
    """Each stored page through the pipeline in the worker processes; unreadable ones fail here."""
    results: list[PageResult | None] = [None] * len(rows)
    pairs, where = [], []
    for i, (_article_id, _version_id, fetched_at, url, raw, encoding, reference) in enumerate(rows):
        try:
            html = _stored_html(raw, reference)
        except _Unreadable as exc:
            results[i] = PageResult(url=url, outcome="error", fetched_at=fetched_at, error=str(exc))
            continue
        pairs.append((PageJob(url), FetchResult(url, url, 200, False, html, encoding, None, None, fetched_at)))
        where.append(i)
    for i, result in zip(where, workers.extract_in_pool(pairs)):
        results[i] = result
    return results


def _failure(url: str, version_id: int, reason: str) -> dict:
    return {"url": url, "version_id": version_id, "reason": reason}


@task(cache_policy=NONE, task_run_name="reprocess {count} articles")
def reprocess_batch(db: str, articles: list[tuple[int, str]], count: int, lock_wait: float = 120.0) -> dict:
    """Re-extract one batch of articles in the worker processes, then rewrite their claims.

    Returns {"flags": flags the articles hold now, "failed": [{"url", "version_id", "reason"}]}.
    """
    with connect(db, wait=lock_wait) as con:
        rows = stored_pages(con, [aid for aid, _url in articles])
    results = _reextract(rows)
    redone = [Reextracted(row[0], row[1], row[2], result.extracted if result.outcome == "fetched" else None,
                          None if result.outcome == "fetched" else (result.error or result.outcome))
              for row, result in zip(rows, results)]
    flags, failed = 0, []
    with connect(db, wait=lock_wait) as con:
        for article_id, url in articles:
            done = rewrite_claims(con, article_id, url, [r for r in redone if r.article_id == article_id])
            flags += done.flags
            failed += [_failure(url, vid, reason) for vid, reason in done.failed]
    return {"flags": flags, "failed": failed}


@flow(name="reprocess-articles")
def reprocess_articles(db: str | None = None, url: str | None = None, everything: bool = False) -> dict:
    """Re-extract stored versions made by an older extractor (or all with everything=True).

    A version whose page cannot be re-extracted keeps its claims and flags; it is
    listed in the result's "failed" (url, version_id, reason), logged, and recorded
    in the reprocess_failures table, and is tried again by the next reprocess.
    """
    settings = load_settings(db=db)
    db = settings.db
    workers.configure(settings.extraction_workers, settings.fetch_threads)
    with connect(db, wait=settings.lock_wait) as con:
        articles = stale_articles(con, PIPELINE_VERSION, url, everything)
    flags, failed = 0, []
    try:
        for i in range(0, len(articles), ARTICLES_PER_BATCH):
            batch = articles[i:i + ARTICLES_PER_BATCH]
            done = reprocess_batch(db, batch, len(batch), settings.lock_wait)
            flags += done["flags"]
            failed += done["failed"]
    finally:
        workers.shutdown_pool()
    logger = get_run_logger()
    logger.info("reprocessed %s articles with %s; %s flags; %s versions could not be re-extracted",
                len(articles), PIPELINE_VERSION, flags, len(failed))
    for item in failed:
        logger.warning("%s (version %s) kept its stored claims: %s", item["url"], item["version_id"], item["reason"])
    return {"articles": len(articles), "flags": flags, "extractor": PIPELINE_VERSION, "failed": failed}
