"""Storage: schema, batched writes, one transaction per batch, crash safety, the file lock."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from factwatch.storage import DatabaseBusy, connect, repo
from factwatch.storage.db import migrate
from writer_child import make_result

HERE = Path(__file__).resolve().parent


def integrity(db: str) -> dict:
    con = duckdb.connect(db, read_only=True)
    try:
        q = lambda sql: con.execute(sql).fetchall()[0][0]  # noqa: E731
        return {
            "versions": q("SELECT count(*) FROM versions"),
            "orphan_claims": q("SELECT count(*) FROM claims WHERE version_id NOT IN (SELECT version_id FROM versions)"),
            "orphan_changes": q("SELECT count(*) FROM changes WHERE to_version_id NOT IN (SELECT version_id FROM versions)"),
            "versions_without_fetch": q("SELECT count(*) FROM versions WHERE version_id NOT IN "
                                        "(SELECT version_id FROM fetches WHERE version_id IS NOT NULL)"),
            "claims_per_version": q("SELECT count(DISTINCT n) FROM (SELECT count(*) AS n FROM claims GROUP BY version_id)"),
        }
    finally:
        con.close()


def test_migrate_is_idempotent(db_path):
    with connect(db_path) as con:
        migrate(con)
        migrate(con)
        assert con.execute("SELECT count(*) FROM schema_info").fetchall() == [(1,)]


def test_a_batch_lands_whole_with_changes_between_versions(db_path):
    from factwatch.storage.writer import record_results

    with connect(db_path) as con:
        first = record_results(con, [make_result("https://news.example/a", 1)])
        second = record_results(con, [make_result("https://news.example/a", 2)])
        repeat = record_results(con, [make_result("https://news.example/a", 2)])
        assert first.outcomes == {"new_version": 1} and not first.flags
        assert second.outcomes == {"new_version": 1} and len(second.flags) == 40
        assert repeat.outcomes == {"unchanged": 1}
        assert con.execute("SELECT count(*), max(version_no) FROM versions").fetchall() == [(2, 2)]
        assert con.execute("SELECT count(*) FROM claims").fetchall() == [(80,)]
        state = repo.article_state(con, ["https://news.example/a"])
        assert state["https://news.example/a"][2] == "h2"


def test_a_failing_batch_leaves_nothing_behind(db_path, monkeypatch):
    from factwatch.storage import writer as record

    with connect(db_path) as con:
        record.record_results(con, [make_result("https://news.example/a", 1)])

        def explode(*args, **kwargs):
            raise RuntimeError("disk full")

        monkeypatch.setattr(record, "diff_claims", explode)
        with pytest.raises(RuntimeError):
            record.record_results(con, [make_result("https://news.example/a", 2),
                                        make_result("https://news.example/b", 2)])
        assert con.execute("SELECT count(*) FROM versions").fetchall() == [(1,)]
        assert con.execute("SELECT count(*) FROM articles").fetchall() == [(1,)]
        assert con.execute("SELECT count(*) FROM fetches").fetchall() == [(1,)]


def test_kill_9_mid_run_leaves_a_consistent_database_and_the_next_run_continues(db_path):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE), str(HERE.parent)])}
    child = subprocess.Popen([sys.executable, str(HERE / "writer_child.py"), db_path, "1"],
                             stdout=subprocess.PIPE, text=True, env=env)
    try:
        for _ in range(3):
            assert child.stdout.readline().startswith("committed")
        time.sleep(0.05)  # land somewhere inside the next batch
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    after_kill = integrity(db_path)
    assert after_kill["versions"] >= 150 and after_kill["versions"] % 50 == 0
    assert after_kill["orphan_claims"] == after_kill["orphan_changes"] == after_kill["versions_without_fetch"] == 0
    assert after_kill["claims_per_version"] == 1  # every stored version has all 40 of its claims

    from factwatch.storage.writer import record_results

    with connect(db_path) as con:
        report = record_results(con, [make_result("https://news.example/0", 999)])
    assert report.outcomes == {"new_version": 1}
    assert integrity(db_path)["versions"] == after_kill["versions"] + 1


def test_a_locked_file_is_waited_for_then_refused_clearly(db_path):
    with connect(db_path):
        pass
    holder = subprocess.Popen([sys.executable, "-c",
                               "import duckdb,sys,time; c=duckdb.connect(sys.argv[1]); print('held', flush=True); "
                               "time.sleep(30)", db_path], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        with pytest.raises(DatabaseBusy, match="in use by another process"):
            with connect(db_path, wait=1.0):
                pass
        assert 0.9 <= time.monotonic() - started < 10
    finally:
        holder.kill()
        holder.wait()
