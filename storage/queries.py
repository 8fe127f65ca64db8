"""Read-only queries behind the CLI's changes, history and watch list."""

from __future__ import annotations

from datetime import datetime

import duckdb


def _dicts(cursor: duckdb.DuckDBPyConnection) -> list[dict]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def change_rows(con: duckdb.DuckDBPyConnection, url: str | None = None,
                since: datetime | None = None) -> list[dict]:
    """Flags from the change_flags view, newest first, optionally for one URL or since a moment."""
    return _dicts(con.execute(
        """SELECT url, detected_at, claim_type, change_kind, old_value, new_value, reason, confidence,
                  old_sentence, new_sentence, notice, from_version_id, to_version_id,
                  from_version_no, to_version_no, key, title
           FROM change_flags
           WHERE (?::VARCHAR IS NULL OR url = ?) AND (?::TIMESTAMPTZ IS NULL OR detected_at >= ?::TIMESTAMPTZ)
           ORDER BY detected_at DESC, change_id""",
        [url, url, since, since]))


def version_rows(con: duckdb.DuckDBPyConnection, url: str) -> list[dict]:
    """An article's versions, oldest first, with their claim and flag counts."""
    return _dicts(con.execute(
        """SELECT v.version_no, v.version_id, v.fetched_at, v.title, v.published_at, left(v.content_hash, 10) AS hash,
                  (SELECT count(*) FROM claims c WHERE c.version_id = v.version_id) AS claims,
                  (SELECT count(*) FROM changes ch WHERE ch.to_version_id = v.version_id) AS flags
           FROM versions v JOIN articles a USING (article_id)
           WHERE a.url = ? ORDER BY v.version_no""", [url]))


def claim_timeline(con: duckdb.DuckDBPyConnection, url: str) -> list[dict]:
    """Each claim key's value at each version of an article."""
    return _dicts(con.execute(
        """SELECT c.claim_type, c.key, v.version_no, c.qualifier, c.value, c.text
           FROM claims c JOIN versions v USING (version_id) JOIN articles a USING (article_id)
           WHERE a.url = ?
           ORDER BY c.claim_type, c.key, v.version_no, c.sentence_index""", [url]))
