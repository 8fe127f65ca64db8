"""Read-only queries behind `factwatch stories` and `factwatch report`."""

from __future__ import annotations

from datetime import datetime, timezone

import duckdb

from factwatch.storage.queries import _dicts
from factwatch.storage.stories import story_toll_rows


def has_stories(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the file has the story tables (schema version 6 on; an older file gains them when next written)."""
    return bool(con.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = 'story_tolls'").fetchall()[0][0])


def story_rows(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Standing stories, newest first: articles, outlets, the killed toll range and whether outlets disagree."""
    return _dicts(con.execute(
        """SELECT s.story_id, s.title, s.created_at, count(sa.article_id) AS articles,
                  count(DISTINCT url_outlet(sa.url)) AS outlets,
                  (SELECT min(t.low) FROM story_tolls t WHERE t.story_id = s.story_id AND t.outcome = 'killed') AS killed_low,
                  (SELECT max(t.high) FROM story_tolls t WHERE t.story_id = s.story_id AND t.outcome = 'killed') AS killed_high,
                  coalesce((SELECT bool_or(t.disagree) FROM story_tolls t WHERE t.story_id = s.story_id), false) AS disagree
           FROM stories s JOIN story_articles sa USING (story_id)
           WHERE s.merged_into IS NULL GROUP BY ALL ORDER BY s.created_at DESC, s.story_id DESC"""))


def story_members(con: duckdb.DuckDBPyConnection, story_id: int) -> list[dict]:
    """A story's articles with how each got there."""
    return _dicts(con.execute(
        "SELECT url, url_outlet(url) AS outlet, method, score, pinned, joined_at FROM story_articles "
        "WHERE story_id = ? ORDER BY joined_at, url", [story_id]))


def _versions(con: duckdb.DuckDBPyConnection, article_id: int) -> list[dict]:
    versions = _dicts(con.execute(
        "SELECT version_id, version_no, fetched_at, title, text FROM versions WHERE article_id = ? ORDER BY version_no",
        [article_id]))
    ids = [v["version_id"] for v in versions]
    flags = _dicts(con.execute(
        """SELECT to_version_id, claim_type, change_kind, old_value, new_value, old_text, new_text, new_sentence,
                  reason, notice FROM changes WHERE list_contains(?, to_version_id) ORDER BY change_id""", [ids]))
    notices = con.execute("SELECT version_id, sentence FROM claims WHERE claim_type = 'correction_notice' "
                          "AND list_contains(?, version_id)", [ids]).fetchall()
    for v in versions:
        v["flags"] = [f for f in flags if f["to_version_id"] == v["version_id"]]
        v["notices"] = [s for vid, s in notices if vid == v["version_id"]]
    return versions


def report_data(con: duckdb.DuckDBPyConnection, story_id: int) -> dict:
    """Everything the HTML report of a story shows."""
    title = con.execute("SELECT title FROM stories WHERE story_id = ?", [story_id]).fetchall()[0][0]
    articles = _dicts(con.execute("SELECT article_id, url, url_outlet(url) AS outlet FROM story_articles "
                                  "WHERE story_id = ? ORDER BY outlet, url", [story_id]))
    for article in articles:
        article["versions"] = _versions(con, article["article_id"])
    return {
        "story_id": story_id, "title": title, "made_at": datetime.now(timezone.utc),
        "tolls": story_toll_rows(con, [story_id]),
        "outlet_tolls": _dicts(con.execute("SELECT * FROM story_outlet_tolls WHERE story_id = ? "
                                           "ORDER BY outcome, victim_group, outlet", [story_id])),
        "timeline": _dicts(con.execute("SELECT outlet, url, fetched_at, value, qualifier, high, outcome, victim_group "
                                       "FROM story_toll_versions WHERE story_id = ? ORDER BY outlet, fetched_at",
                                       [story_id])),
        "flags": _dicts(con.execute("SELECT kind, outcome, victim_group, raised_at, resolved_at, detail "
                                    "FROM story_flags WHERE story_id = ? ORDER BY raised_at", [story_id])),
        "articles": [a for a in articles if a["versions"]],
    }
