"""Reads for reprocessing: stored raw pages whose claims came from an older extractor."""

from __future__ import annotations

import duckdb


def stale_articles(con: duckdb.DuckDBPyConnection, current_extractor: str, url: str | None = None,
                   everything: bool = False) -> list[tuple[int, str]]:
    """(article_id, url) of articles with a version made by another extractor (or all)."""
    return con.execute(
        """SELECT DISTINCT a.article_id, a.url FROM versions v JOIN articles a USING (article_id)
           WHERE (? OR v.extractor <> ?) AND (?::VARCHAR IS NULL OR a.url = ?)
           ORDER BY a.article_id""", [everything, current_extractor, url, url]).fetchall()


def stored_pages(con: duckdb.DuckDBPyConnection, article_ids: list[int]) -> list[tuple]:
    """(article_id, version_id, fetched_at, url, raw_html_zlib, html_encoding, the page it was stored against)
    for every version."""
    return con.execute(
        """SELECT v.article_id, v.version_id, v.fetched_at, a.url, v.raw_html_zlib, v.html_encoding, b.raw_html_zlib
           FROM versions v JOIN articles a USING (article_id)
           LEFT JOIN versions b ON b.version_id = v.page_base_version_id
           WHERE v.article_id IN (SELECT unnest(?::BIGINT[])) ORDER BY v.article_id, v.version_no""",
        [article_ids]).fetchall()
