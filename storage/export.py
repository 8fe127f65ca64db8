"""Export tables and views to Parquet."""

from __future__ import annotations

from pathlib import Path

import duckdb

EXPORTED = ("articles", "versions", "claims", "changes", "fetches", "watches",
            "change_flags", "fetch_log", "silent_corrections", "latest_claims", "casualty_timeline",
            "article_activity")


def export_parquet(con: duckdb.DuckDBPyConnection, folder: Path) -> list[tuple[str, int]]:
    """Write each table and view to FOLDER/<name>.parquet; return (name, rows)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in EXPORTED:
        target = str(folder / f"{name}.parquet").replace("'", "''")
        con.execute(f"COPY (SELECT * FROM {name}) TO '{target}' (FORMAT parquet)")
        written.append((name, con.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0]))
    return written
