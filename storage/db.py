"""Connecting to the DuckDB file: schema, migrations, the file lock, transactions.

DuckDB lets one process at a time open a file for writing, and a second
process cannot open it at all, not even read-only. factwatch therefore holds
the file only for short reads and batched writes, and waits (bounded) for the
lock when another factwatch process has it.
"""

from __future__ import annotations

import logging
import os
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import duckdb

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
# The settings' defaults (factwatch.settings): callers pass the run's own values.
DEFAULT_DB = "factwatch.duckdb"
LOCK_WAIT_SECONDS = 120.0


class DatabaseBusy(Exception):
    """Another process held the database file for longer than we would wait."""


def _sql(name: str) -> str:
    return resources.files("factwatch.storage").joinpath(name).read_text(encoding="utf-8")


def _is_lock_error(exc: duckdb.Error) -> bool:
    text = str(exc).lower()
    return "lock" in text or "being used by another process" in text


def _open(path: str, read_only: bool, wait: float) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + wait
    delay = 0.05
    while True:
        try:
            return duckdb.connect(path, read_only=read_only)
        except duckdb.Error as exc:
            if not _is_lock_error(exc):
                raise
            if time.monotonic() >= deadline:
                raise DatabaseBusy(
                    f"{path} is in use by another process (waited {wait:g} s); try again when it finishes"
                ) from exc
            log.info("database %s is locked by another process; waiting", path)
            time.sleep(delay + random.uniform(0, delay))
            delay = min(delay * 2, 1.0)


def migrate(con: duckdb.DuckDBPyConnection) -> None:
    """Create tables if missing, apply migrations, and (re)create the views."""
    con.execute(_sql("schema.sql"))
    row = con.execute("SELECT max(schema_version) FROM schema_info").fetchall()[0]
    current = row[0] if row and row[0] is not None else 0
    if current < SCHEMA_VERSION:
        # Version 1 is the first schema; later migrations go here, one step each.
        con.execute("INSERT INTO schema_info VALUES (?)", [SCHEMA_VERSION])
    con.execute(_sql("views.sql"))


@contextmanager
def connect(path: str | os.PathLike, *, read_only: bool = False,
            wait: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the database (creating and migrating it when writable) and close it after."""
    db = str(path)
    if read_only and not Path(db).exists():
        raise FileNotFoundError(f"no factwatch database at {db}")
    if not read_only and Path(db).parent != Path(""):
        Path(db).parent.mkdir(parents=True, exist_ok=True)
    con = _open(db, read_only, LOCK_WAIT_SECONDS if wait is None else wait)
    try:
        if not read_only:
            migrate(con)
        yield con
    finally:
        con.close()


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """Run a block in one transaction: everything lands, or nothing does."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
