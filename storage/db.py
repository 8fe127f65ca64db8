"""Connecting to the DuckDB file: schema, migrations, the file lock, transactions.

DuckDB lets one process at a time open a file for writing, and a second
process cannot open it at all, not even read-only. factwatch therefore holds
the file only for short reads and batched writes, and waits (bounded) for the
lock when another factwatch process has it. A damaged file is not a lock: it is
reported at once as `DatabaseCorrupt`, never waited for.
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

from factwatch.storage import migrations

log = logging.getLogger(__name__)

# Bump when schema.sql or views.sql change, and add the step to migrations.STEPS.
SCHEMA_VERSION = 7
# The settings' default (factwatch.settings): callers pass the run's own value.
LOCK_WAIT_SECONDS = 120.0
NEW_FILE_SECONDS = 5.0  # how long a half-written new file is taken for one being created, not a damaged one


class DatabaseBusy(Exception):
    """Another process held the database file for longer than we would wait."""


class DatabaseCorrupt(Exception):
    """The database file is damaged or is not a DuckDB database."""


class SchemaTooNew(Exception):
    """The database was written by a newer factwatch than this one."""


def _sql(name: str) -> str:
    return resources.files("factwatch.storage").joinpath(name).read_text(encoding="utf-8")


def _is_lock_error(exc: duckdb.Error) -> bool:
    """DuckDB refuses a file another process holds with an IOException about its lock."""
    return isinstance(exc, duckdb.IOException) and "could not set lock on file" in str(exc).lower()


def is_corruption(exc: BaseException) -> bool:
    """DuckDB reports bad checksums and unreadable files with the bare Error type (or these two)."""
    if type(exc) is duckdb.Error or isinstance(exc, (duckdb.InternalException, duckdb.SerializationException)):
        return True
    return isinstance(exc, duckdb.IOException) and "not a valid duckdb database file" in str(exc).lower()


def _corrupt(path: str, exc: BaseException) -> DatabaseCorrupt:
    return DatabaseCorrupt(f"{path} is damaged or is not a DuckDB database ({str(exc).splitlines()[0]}); "
                           "restore it from a backup or move it aside")


def _being_created(path: str, exc: BaseException) -> bool:
    """A file that is "not a valid DuckDB database" because another process created it a moment ago
    (two runs starting on a new file at once): modified within the last few seconds. An older bad
    file is reported at once."""
    if "not a valid duckdb database file" not in str(exc).lower():
        return False
    try:
        return time.time() - os.stat(path).st_mtime < NEW_FILE_SECONDS
    except OSError:
        return False


def _open(path: str, read_only: bool, wait: float) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + wait
    delay = 0.05
    while True:
        try:
            return duckdb.connect(path, read_only=read_only)
        except duckdb.Error as exc:
            if is_corruption(exc) and not (_being_created(path, exc) and time.monotonic() < deadline):
                raise _corrupt(path, exc) from exc
            if is_corruption(exc):  # another process created the file a moment ago and is writing its header
                time.sleep(delay)
                continue
            if not _is_lock_error(exc):
                raise
            if time.monotonic() >= deadline:
                raise DatabaseBusy(
                    f"{path} is in use by another process (waited {wait:g} s); try again when it finishes"
                ) from exc
            log.info("database %s is locked by another process; waiting", path)
            time.sleep(delay + random.uniform(0, delay))
            delay = min(delay * 2, 1.0)


def stored_version(con: duckdb.DuckDBPyConnection) -> int:
    """The schema version the file holds: 0 for an empty file."""
    try:
        row = con.execute("SELECT max(schema_version) FROM schema_info").fetchall()[0]
    except duckdb.CatalogException:
        return 0
    return row[0] or 0


def migrate(con: duckdb.DuckDBPyConnection) -> bool:
    """Bring the file to SCHEMA_VERSION in one transaction; False (and nothing run) when it is there."""
    current = stored_version(con)
    if current == SCHEMA_VERSION:
        return False
    if current > SCHEMA_VERSION:
        raise SchemaTooNew(f"the database has schema version {current}; this factwatch knows up to "
                           f"{SCHEMA_VERSION}: upgrade factwatch")
    with transaction(con):
        if current:
            for step in migrations.STEPS[current - 1:SCHEMA_VERSION - 1]:
                step(con)
        con.execute(_sql("schema.sql"))
        con.execute(_sql("views.sql"))
        con.execute("INSERT INTO schema_info VALUES (?)", [SCHEMA_VERSION])
    log.info("database schema migrated from version %s to %s", current, SCHEMA_VERSION)
    return True


@contextmanager
def connect(path: str | os.PathLike, *, read_only: bool = False,
            wait: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the database (creating or migrating it when writable) and close it after.

    Corruption found while the connection is in use is raised as DatabaseCorrupt.
    """
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
    except duckdb.Error as exc:
        if is_corruption(exc):
            raise _corrupt(db, exc) from exc
        raise
    finally:
        con.close()


# How long a run keeps the file open between its batches before letting other processes have a turn.
HOLD_SECONDS = 10.0


class HeldOpen:
    """Keeps a database open in this process across a run's batches.

    DuckDB shares one open database between the connections a process makes to a
    file, and writes the file out (a checkpoint) when the last one closes. Without
    a holder, every batch paid an open and a checkpoint (about a second on a busy
    disk, whatever the batch size); with one, each batch's connect() reuses the
    open database. The holder lets go after a write once it has held the file for
    `period` seconds, so a reader in another process gets its turn during a long run.
    """

    def __init__(self, path: str | os.PathLike, wait: float = LOCK_WAIT_SECONDS, period: float = HOLD_SECONDS) -> None:
        self.path, self.wait, self.period = str(path), wait, period
        self._con: duckdb.DuckDBPyConnection | None = None
        self._since = 0.0

    def take(self) -> None:
        """Open the database unless this holder has it open already (waits for the lock like connect)."""
        if self._con is None:
            con = _open(self.path, False, self.wait)
            try:
                migrate(con)
            except BaseException:
                con.close()
                raise
            self._con, self._since = con, time.monotonic()

    def let_go_if_due(self) -> None:
        """Close the database (writing it out) once it has been held for the period."""
        if self._con is not None and time.monotonic() - self._since >= self.period:
            self.release()

    def release(self) -> None:
        """Close the database now; the next take() opens it again."""
        con, self._con = self._con, None
        if con is not None:
            con.close()

    def __enter__(self) -> HeldOpen:
        return self

    def __exit__(self, *exc) -> None:
        self.release()


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
