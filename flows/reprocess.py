"""Prefect flow: re-derive claims and changes from stored raw HTML, without refetching.

When the extractor or the claims engine improves, this brings the whole
history up to date: every version is re-extracted from its stored page and
each article's changes are recomputed, one transaction per article.
"""

from __future__ import annotations

import zlib

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NONE

from flows import workers
from flows.extract import NoArticle
from flows.pipeline import PIPELINE_VERSION, extract_page
from flows.record import Reextracted, rewrite_claims
from storage import connect, default_db_path
from storage.reprocess import stale_articles, stored_pages

ARTICLES_PER_BATCH = 32


def _reextract(row: tuple) -> Reextracted:
    article_id, version_id, fetched_at, url, raw, encoding = row
    try:
        html = zlib.decompress(raw).decode("utf-8") if raw else ""
        extracted = extract_page(html, url, fetched_at, encoding)
    except (NoArticle, zlib.error):
        extracted = None
    return Reextracted(article_id, version_id, fetched_at, extracted)


def _reextract_chunk(rows: list[tuple]) -> list[Reextracted]:
    return [_reextract(row) for row in rows]


@task(cache_policy=NONE, task_run_name="reprocess {count} articles")
def reprocess_batch(db: str, articles: list[tuple[int, str]], count: int) -> int:
    """Re-extract one batch of articles in worker processes, then rewrite their claims."""
    with connect(db) as con:
        rows = stored_pages(con, [aid for aid, _url in articles])
    pool = workers.extraction_pool()
    chunks = [rows[i:i + 8] for i in range(0, len(rows), 8)]
    results = [r for part in (pool.map(_reextract_chunk, chunks) if pool else map(_reextract_chunk, chunks))
               for r in part]
    flags = 0
    with connect(db) as con:
        for article_id, url in articles:
            mine = [r for r in results if r.article_id == article_id]
            flags += rewrite_claims(con, article_id, url, mine)
    return flags


@flow(name="reprocess-articles")
def reprocess_articles(db: str | None = None, url: str | None = None, everything: bool = False) -> dict:
    """Re-extract stored versions made by an older extractor (or all with everything=True)."""
    db = db or default_db_path()
    with connect(db) as con:
        articles = stale_articles(con, PIPELINE_VERSION, url, everything)
    flags = 0
    try:
        for i in range(0, len(articles), ARTICLES_PER_BATCH):
            batch = articles[i:i + ARTICLES_PER_BATCH]
            flags += reprocess_batch(db, batch, len(batch))
    finally:
        workers.shutdown_pool()
    get_run_logger().info("reprocessed %s articles with %s; %s flags", len(articles), PIPELINE_VERSION, flags)
    return {"articles": len(articles), "flags": flags, "extractor": PIPELINE_VERSION}
