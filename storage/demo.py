"""The demo database's mark: `factwatch demo` recreates its file only when the mark says it made it."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import duckdb

from factwatch.storage.db import DatabaseBusy, DatabaseCorrupt, connect

MARK_TABLE = "factwatch_demo"


class NotADemoDatabase(Exception):
    """The file the demo would replace is not a database the demo made."""


def mark_demo_database(con: duckdb.DuckDBPyConnection) -> None:
    """Mark a database as the demo's, so a later demo may delete it."""
    con.execute(f"CREATE TABLE IF NOT EXISTS {MARK_TABLE} (created_at TIMESTAMPTZ NOT NULL)")
    con.execute(f"INSERT INTO {MARK_TABLE} VALUES (?)", [datetime.now(timezone.utc)])


def is_demo_database(path: str) -> bool:
    """True when the file is a DuckDB database carrying the demo's mark."""
    try:
        with connect(path, read_only=True, wait=5.0) as con:
            return bool(con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ?",
                                    [MARK_TABLE]).fetchall()[0][0])
    except DatabaseCorrupt:
        return False
    except DatabaseBusy as exc:
        raise NotADemoDatabase(f"{path} is in use by another process; it was left untouched") from exc


def remove_demo_database(path: str) -> None:
    """Delete a previous demo database (and its WAL); refuse, touching nothing, for any other file."""
    db, wal = Path(path), Path(path + ".wal")
    if not db.exists():
        if wal.exists():
            raise NotADemoDatabase(f"{wal} exists without {db}; it was left untouched (pass another --db)")
        return
    if not db.is_file() or not is_demo_database(path):
        raise NotADemoDatabase(f"{path} is not a database made by `factwatch demo`; it was left untouched "
                               "(pass another --db)")
    db.unlink()
    wal.unlink(missing_ok=True)
