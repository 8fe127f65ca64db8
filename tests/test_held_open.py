"""A run keeps its database open across batches, and lets go so other processes get their turn."""

from __future__ import annotations

import subprocess
import sys

from factwatch.storage import HeldOpen, connect


def _other_process_can_open(path) -> bool:
    probe = subprocess.run([sys.executable, "-c", f"import duckdb; duckdb.connect({str(path)!r}, read_only=True)"],
                           capture_output=True, text=True)
    return probe.returncode == 0


def test_batches_reuse_the_held_database_and_it_is_let_go_after_its_period(tmp_path):
    db = tmp_path / "held.duckdb"
    with HeldOpen(db, wait=5, period=3600) as hold:
        hold.take()
        for n in range(3):  # each batch connects and closes as before; the file stays open in between
            with connect(db) as con:
                con.execute("INSERT INTO watches VALUES (?, now(), NULL)", [f"https://a.example/{n}"])
        assert not _other_process_can_open(db)
        hold.let_go_if_due()  # held for less than its period: kept
        assert not _other_process_can_open(db)
        hold.period = 0
        hold.let_go_if_due()
        assert _other_process_can_open(db)  # written out and released
        hold.take()  # the next batch takes it again
        assert not _other_process_can_open(db)
    assert _other_process_can_open(db)
    with connect(db, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM watches").fetchall() == [(3,)]
