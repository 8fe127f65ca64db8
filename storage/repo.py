"""Read and write functions over a DuckDB connection. Parameters only; batched writes."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

import duckdb
import pyarrow as pa

from factwatch.claims import Claim
from factwatch.storage.migrations import ID_SEQUENCES

ID_COLUMNS = {table: column for table, (column, _seq) in ID_SEQUENCES.items()}
SEQUENCES = {table: seq for table, (_column, seq) in ID_SEQUENCES.items()}
APPENDABLE = set(ID_COLUMNS) | {"reprocess_failures", "alert_matches", "watches", "source_checks", "discoveries",
                                 "shrunken_versions", "stories", "story_articles", "story_events", "story_flags"}


def append_rows(con: duckdb.DuckDBPyConnection, table: str, columns: Mapping[str, Sequence]) -> int:
    """Insert column-wise rows through one Arrow table (no per-row inserts)."""
    if table not in APPENDABLE:
        raise ValueError(f"unknown table {table}")
    names = list(columns)
    if not names or not len(columns[names[0]]):
        return 0
    batch = pa.table({name: list(values) for name, values in columns.items()})
    view = f"_append_{table}"
    con.register(view, batch)
    cols = ", ".join(names)
    try:
        con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {view}")
    except duckdb.Error:
        with contextlib.suppress(duckdb.Error):  # refused in an aborted transaction: keep the first error
            con.unregister(view)
        raise
    con.unregister(view)
    return batch.num_rows


def reserve_ids(con: duckdb.DuckDBPyConnection, table: str, count: int) -> list[int]:
    """`count` fresh ids for a table from its sequence (ids are never reused; gaps are fine)."""
    if count <= 0:
        return []
    sequence = SEQUENCES[table]
    return sorted(r[0] for r in con.execute(f"SELECT nextval('{sequence}') FROM range(?)", [count]).fetchall())


def ensure_articles(con: duckdb.DuckDBPyConnection, urls: Iterable[str], now: datetime) -> dict[str, int]:
    """Return url -> article_id, creating the articles that are new."""
    wanted = sorted(set(urls))
    if not wanted:
        return {}
    known = dict(con.execute(
        "SELECT url, article_id FROM articles WHERE url IN (SELECT unnest(?::VARCHAR[]))", [wanted]).fetchall())
    missing = [u for u in wanted if u not in known]
    if missing:
        ids = reserve_ids(con, "articles", len(missing))
        append_rows(con, "articles", {"article_id": ids, "url": missing, "first_seen_at": [now] * len(missing)})
        known.update(zip(missing, ids))
    return known


def article_state(con: duckdb.DuckDBPyConnection, urls: Sequence[str]) -> dict[str, tuple]:
    """url -> (etag, last_modified, html_hash) from each URL's last successful fetch."""
    # The article_state view's rule, applied to the wanted URLs' fetches only: over the whole view, the
    # window ran over every fetch ever made (seconds on a million fetches).
    rows = con.execute(
        """SELECT url, etag, last_modified, html_hash FROM fetches
           WHERE url IN (SELECT unnest(?::VARCHAR[])) AND outcome IN ('new_version', 'unchanged', 'not_modified')
           QUALIFY row_number() OVER (PARTITION BY url ORDER BY fetched_at DESC, fetch_id DESC) = 1""",
        [list(urls)]).fetchall()
    return {url: (etag, lm, hh) for url, etag, lm, hh in rows}


def latest_versions(con: duckdb.DuckDBPyConnection, article_ids: Sequence[int]) -> dict[int, tuple]:
    """article_id -> (version_id, version_no, content_hash, text length of its newest version that did not shrink)."""
    # Only the batch's articles are read; the healthy length was a subquery per article that, decorrelated,
    # read the text of every stored version (41 s for 256 articles on 500,000 versions).
    rows = con.execute(
        """WITH v AS (
               SELECT article_id, version_id, version_no, content_hash, length(text) AS chars,
                      version_id IN (SELECT version_id FROM shrunken_versions) AS shrunk
               FROM versions WHERE article_id IN (SELECT unnest(?::BIGINT[])))
           SELECT article_id, arg_max(version_id, version_no), max(version_no), arg_max(content_hash, version_no),
                  arg_max(chars, version_no) FILTER (WHERE NOT shrunk)
           FROM v GROUP BY article_id""",
        [list(article_ids)]).fetchall()
    return {aid: (vid, no, h, healthy) for aid, vid, no, h, healthy in rows}


def claim_from_row(row: dict) -> Claim:
    """Rebuild a Claim from a stored row."""
    attributes = row["attributes"]
    if isinstance(attributes, str):
        attributes = json.loads(attributes)
    return Claim(row["claim_type"], row["key"], row["value"], row["text"], row["sentence"],
                 row["start_offset"], row["end_offset"], row["sentence_index"], row["qualifier"],
                 tuple((str(k), str(v)) for k, v in (attributes or {}).items()))


def first_pages(con: duckdb.DuckDBPyConnection, article_ids: Sequence[int]) -> dict[int, tuple[int, bytes | None]]:
    """article_id -> (version_id, stored page) of its first version, which later pages are stored against."""
    rows = con.execute("SELECT article_id, version_id, raw_html_zlib FROM versions "
                       "WHERE version_no = 1 AND article_id IN (SELECT unnest(?::BIGINT[]))",
                       [list(article_ids)]).fetchall()
    return {aid: (vid, page) for aid, vid, page in rows}


CLAIM_COLUMNS = ("claim_type", "key", "value", "text", "sentence", "start_offset", "end_offset",
                 "sentence_index", "qualifier", "attributes")


def recent_claims(con: duckdb.DuckDBPyConnection, article_ids: Sequence[int],
                  depth: int) -> dict[int, list[tuple[int, list[dict]]]]:
    """article_id -> [(version_id, claim rows)] for its last `depth` versions that did not shrink, oldest first."""
    rows = con.execute(
        f"""WITH recent AS (
              SELECT article_id, version_id, version_no FROM versions
              WHERE article_id IN (SELECT unnest(?::BIGINT[]))
                AND version_id NOT IN (SELECT version_id FROM shrunken_versions)
              QUALIFY row_number() OVER (PARTITION BY article_id ORDER BY version_no DESC) <= ?)
            SELECT r.article_id, r.version_id, r.version_no, {", ".join("c." + c for c in CLAIM_COLUMNS)}
            FROM recent r LEFT JOIN claims c USING (version_id)
            ORDER BY r.article_id, r.version_no, c.sentence_index, c.start_offset, c.claim_id""",
        [list(article_ids), depth]).fetchall()
    result: dict[int, list[tuple[int, list[dict]]]] = {}
    for article_id, version_id, _no, *claim in rows:
        versions = result.setdefault(article_id, [])
        if not versions or versions[-1][0] != version_id:
            versions.append((version_id, []))
        if claim[0] is not None:
            versions[-1][1].append(dict(zip(CLAIM_COLUMNS, claim)))
    return result


def version_claims(con: duckdb.DuckDBPyConnection, version_ids: Sequence[int]) -> dict[int, list[dict]]:
    """version_id -> its stored claim rows, in text order."""
    rows = con.execute(
        f"""SELECT version_id, {", ".join(CLAIM_COLUMNS)} FROM claims WHERE version_id IN (SELECT unnest(?::BIGINT[]))
            ORDER BY version_id, sentence_index, start_offset, claim_id""", [list(version_ids)]).fetchall()
    result: dict[int, list[dict]] = {}
    for version_id, *claim in rows:
        result.setdefault(version_id, []).append(dict(zip(CLAIM_COLUMNS, claim)))
    return result


def add_watch(con: duckdb.DuckDBPyConnection, url: str, every_seconds: int | None, now: datetime) -> bool:
    """Add a URL to the watchlist (or change its cadence); True when it was new."""
    exists = con.execute("SELECT count(*) FROM watches WHERE url = ?", [url]).fetchall()[0][0]
    if exists:
        con.execute("UPDATE watches SET every_seconds = ? WHERE url = ?", [every_seconds, url])
        return False
    con.execute("INSERT INTO watches VALUES (?, ?, ?)", [url, now, every_seconds])
    return True


def remove_watch(con: duckdb.DuckDBPyConnection, url: str) -> bool:
    """Remove a URL from the watchlist; its history stays. True when it was there."""
    removed = con.execute("DELETE FROM watches WHERE url = ? RETURNING url", [url]).fetchall()
    return bool(removed)


# Per watch: url, added_at, every_seconds, published (the page's date), last check, fluid (a qualified toll in
# its latest version), last change (a new version after the first, or the first when discovery did not list
# it), and when the feed or sitemap it was watched from says it was published. Aggregates, not a correlated
# subquery per watch: one pass over fetches and versions whatever the number of watches.
WATCH_TIMING_SQL = """
    WITH listed AS (
        SELECT url, min(published_at) AS listed_at FROM discoveries
        WHERE outcome = 'watched' AND published_at IS NOT NULL GROUP BY url),
    latest AS (
        SELECT article_id, max(version_no) AS version_no, arg_max(version_id, version_no) AS version_id,
               arg_max(fetched_at, version_no) AS fetched_at, arg_max(published_at, version_no) AS published_at
        FROM versions GROUP BY article_id),
    checked AS (SELECT url, max(fetched_at) AS last_checked_at FROM fetches GROUP BY url)
    SELECT w.url, w.added_at, w.every_seconds, lv.published_at, c.last_checked_at,
           coalesce(lv.version_id IN (SELECT version_id FROM claims
                                      WHERE claim_type = 'casualty' AND qualifier <> ''), false) AS fluid,
           CASE WHEN l.listed_at IS NULL OR lv.version_no > 1 THEN lv.fetched_at END AS last_changed_at,
           l.listed_at
    FROM watches w LEFT JOIN articles a USING (url) LEFT JOIN latest lv USING (article_id)
         LEFT JOIN checked c USING (url) LEFT JOIN listed l USING (url)"""


def watch_schedule_inputs(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """Per watch: url, added_at, every_seconds, published, last check, fluid, last change, listed (WATCH_TIMING_SQL).

    For a watch that discovery added the first version is no change: its schedule starts from the listed date.
    """
    return con.execute(f"SELECT * FROM ({WATCH_TIMING_SQL}) ORDER BY added_at, url").fetchall()
