"""Export tables and views to Parquet."""

from __future__ import annotations

from pathlib import Path

import duckdb

EXPORTED = ("articles", "versions", "claims", "changes", "fetches", "watches",
            "change_flags", "fetch_log", "silent_corrections", "latest_claims", "casualty_timeline",
            "article_activity")
# Schema version 6: a file written before it (opened read-only, so not upgraded) has none of these.
EXPORTED_STORIES = ("stories", "story_articles", "story_flags", "story_tolls", "story_outlet_tolls",
                    "outlet_corrections")


def export_parquet(con: duckdb.DuckDBPyConnection, folder: Path) -> list[tuple[str, int]]:
    """Write each table and view to FOLDER/<name>.parquet; return (name, rows)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    present = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() UNION ALL "
                                         "SELECT view_name FROM duckdb_views()").fetchall()}
    for name in EXPORTED + tuple(n for n in EXPORTED_STORIES if n in present):
        target = str(folder / f"{name}.parquet").replace("'", "''")
        con.execute(f"COPY (SELECT * FROM {name}) TO '{target}' (FORMAT parquet)")
        written.append((name, con.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0]))
    return written
