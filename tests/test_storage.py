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
from factwatch.storage.db import SCHEMA_VERSION, migrate
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


def test_migrate_runs_once_per_schema_version(db_path, monkeypatch):
    from factwatch.storage import db as dbmod

    with connect(db_path) as con:
        assert con.execute("SELECT schema_version FROM schema_info").fetchall() == [(dbmod.SCHEMA_VERSION,)]
    loaded = []
    monkeypatch.setattr(dbmod, "_sql", lambda name: loaded.append(name) or "")
    with connect(db_path) as con:
        assert migrate(con) is False
    assert loaded == []  # no DDL and no CREATE OR REPLACE VIEW on an up-to-date file


def _v1_database(path: str) -> None:
    """A database as factwatch 0.x (schema version 1) left it, with a repeated claim_id."""
    con = duckdb.connect(path)
    con.execute((HERE / "fixtures" / "schema_v1.sql").read_text(encoding="utf-8"))
    con.execute("INSERT INTO schema_info VALUES (1)")
    con.execute("INSERT INTO articles VALUES (1, 'https://news.example/old', now())")
    con.execute("INSERT INTO versions (version_id, article_id, version_no, fetched_at, content_hash, text, extractor) "
                "VALUES (1, 1, 1, now(), 'h1', 'At least 11 people were killed.', 'old'), "
                "(2, 1, 2, now(), 'h2', 'At least 12 people were killed.', 'old')")
    claim = "'casualty', 'casualty:killed:people', '{n}', 'At least {n} people', 's', 0, 0, 10, 'at least', '{{}}'"
    con.execute(f"INSERT INTO claims VALUES (1, 1, {claim.format(n=11)}), (1, 2, {claim.format(n=12)})")
    con.execute("INSERT INTO changes VALUES (1, 1, 1, 2, now(), 'casualty', 'update', 'casualty:killed:people', "
                "'11', '12', NULL, NULL, NULL, NULL, 0.9, 'death toll rose from 11 to 12', NULL)")
    con.execute("INSERT INTO fetches (fetch_id, url, article_id, fetched_at, outcome, version_id) VALUES "
                "(1, 'https://news.example/old', 1, now(), 'new_version', 1), "
                "(2, 'https://news.example/old', 1, now(), 'new_version', 2)")
    con.execute("INSERT INTO watches VALUES ('https://news.example/old', now(), NULL)")
    con.close()


TABLES = ("articles", "versions", "claims", "changes", "fetches", "watches")


def test_a_version_1_database_migrates_in_place_without_losing_rows(db_path):
    from factwatch.storage.writer import record_results

    _v1_database(db_path)
    with connect(db_path) as con:
        assert con.execute("SELECT max(schema_version) FROM schema_info").fetchall() == [(SCHEMA_VERSION,)]
        assert [con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in TABLES] == [1, 2, 2, 1, 2, 1]
        assert con.execute("SELECT claim_id, version_id, value FROM claims ORDER BY claim_id").fetchall() == [
            (1, 1, "11"), (2, 2, "12")]  # the repeated id was renumbered, not dropped
        with pytest.raises(duckdb.ConstraintException):
            con.execute("INSERT INTO claims SELECT * FROM claims WHERE claim_id = 1")
        report = record_results(con, [make_result("https://news.example/old", 3)])
        assert report.outcomes == {"new_version": 1}
        assert con.execute("SELECT min(claim_id), count(*) FROM claims WHERE version_id > 2").fetchall() == [(3, 40)]
        assert con.execute("SELECT version_id, version_no FROM versions ORDER BY version_id").fetchall()[-1] == (3, 3)
        assert con.execute("SELECT count(*) FROM change_flags").fetchall() == [(42,)]  # 1 kept, 40 added, 1 removed
        assert con.execute("SELECT column_name, data_type, is_nullable FROM duckdb_columns() WHERE table_name = "
                           "'claims' AND column_name IN ('attributes', 'value') ORDER BY 1").fetchall() == [
            ("attributes", "JSON", False), ("value", "VARCHAR", False)]


def test_a_migration_that_fails_leaves_the_version_1_file_as_it_was(db_path, monkeypatch):
    from factwatch.storage import migrations

    _v1_database(db_path)

    def fail(con):
        raise RuntimeError("disk full")

    monkeypatch.setattr(migrations, "STEPS", (fail,))
    with pytest.raises(RuntimeError):
        with connect(db_path):
            pass
    con = duckdb.connect(db_path, read_only=True)
    try:
        assert con.execute("SELECT max(schema_version) FROM schema_info").fetchall() == [(1,)]
        assert [con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in TABLES] == [1, 2, 2, 1, 2, 1]
    finally:
        con.close()


@pytest.mark.parametrize("table, id_column", [("claims", "claim_id"), ("changes", "change_id"),
                                              ("fetches", "fetch_id"), ("versions", "version_id")])
def test_the_database_refuses_a_repeated_id(db_path, table, id_column):
    from factwatch.storage.writer import record_results

    with connect(db_path) as con:
        record_results(con, [make_result("https://news.example/a", 1)])
        record_results(con, [make_result("https://news.example/a", 2)])
        with pytest.raises(duckdb.ConstraintException):
            con.execute(f"INSERT INTO {table} SELECT * FROM {table} WHERE {id_column} = "
                        f"(SELECT min({id_column}) FROM {table})")
        with pytest.raises(duckdb.ConstraintException):  # and one article cannot hold version 2 twice
            con.execute("INSERT INTO versions SELECT * REPLACE (version_id + 100 AS version_id) FROM versions "
                        "WHERE version_no = 2")


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


def test_one_page_the_schema_refuses_is_recorded_and_the_rest_of_its_batch_lands(db_path):
    from dataclasses import replace

    from factwatch.storage.writer import record_results

    bad = replace(make_result("https://news.example/bad", 1), http_status=2**40)  # no INTEGER holds it
    batch = [make_result("https://news.example/a", 1), bad, make_result("https://news.example/c", 1)]
    with connect(db_path) as con:
        report = record_results(con, batch, run_id="run-1")
        assert report.outcomes == {"new_version": 2, "error": 1}
        assert report.errors == [("https://news.example/bad", report.errors[0][1])]
        assert report.errors[0][1].startswith("the page could not be stored (ConversionException:")
        log = con.execute("SELECT url, outcome, error IS NOT NULL, version_id IS NULL, run_id FROM fetch_log "
                          "ORDER BY url").fetchall()
        assert log == [("https://news.example/a", "new_version", False, False, "run-1"),
                       ("https://news.example/bad", "error", True, True, "run-1"),
                       ("https://news.example/c", "new_version", False, False, "run-1")]
        assert con.execute("SELECT count(*) FROM versions").fetchall() == [(2,)]
        assert con.execute("SELECT count(*) FROM claims").fetchall() == [(80,)]


def test_a_page_that_fails_mid_write_leaves_none_of_its_rows(db_path, monkeypatch):
    from factwatch.storage import writer as record

    with connect(db_path) as con:
        record.record_results(con, [make_result("https://news.example/a", 1)])

        def explode(*args, **kwargs):
            raise RuntimeError("a bug in the diff")

        monkeypatch.setattr(record, "diff_claims", explode)
        report = record.record_results(con, [make_result("https://news.example/a", 2),
                                             make_result("https://news.example/b", 2)])
        assert report.outcomes == {"error": 1, "new_version": 1}
        assert con.execute("SELECT url, version_no FROM latest_versions ORDER BY url").fetchall() == [
            ("https://news.example/a", 1), ("https://news.example/b", 1)]  # a's second version left nothing
        assert con.execute("SELECT count(*) FROM claims").fetchall() == [(80,)]
        assert con.execute("SELECT outcome, error FROM fetch_log WHERE url = 'https://news.example/a' "
                           "ORDER BY fetch_id").fetchall() == [
            ("new_version", None), ("error", "the page could not be stored (RuntimeError: a bug in the diff)")]


def test_when_nothing_can_be_written_the_error_is_raised_and_nothing_lands(db_path, monkeypatch):
    from factwatch.storage import writer as record

    with connect(db_path) as con:
        record.record_results(con, [make_result("https://news.example/a", 1)])

        def disk_full(*args, **kwargs):
            raise duckdb.IOException("IO Error: No space left on device")

        monkeypatch.setattr(record.repo, "append_rows", disk_full)
        with pytest.raises(duckdb.IOException):
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


def _damage(path: str, start: int) -> None:
    with open(path, "r+b") as f:
        size = f.seek(0, os.SEEK_END)
        f.seek(start)
        f.write(bytes(range(256)) * ((size - start) // 256 + 1))


@pytest.mark.parametrize("start", [4096, 12288], ids=["header", "blocks"])
def test_a_corrupted_file_is_reported_as_corrupt_at_once_not_waited_for(db_path, start):
    from factwatch.storage import DatabaseCorrupt
    from factwatch.storage.writer import record_results

    with connect(db_path) as con:
        record_results(con, [make_result(f"https://news.example/{i}", 1) for i in range(20)])
    _damage(db_path, start)
    started = time.monotonic()
    for read_only in (False, True):
        with pytest.raises(DatabaseCorrupt, match="is damaged or is not a DuckDB database") as caught:
            with connect(db_path, read_only=read_only, wait=30.0) as con:
                con.execute("SELECT count(*), max(text) FROM versions").fetchall()
        assert db_path in str(caught.value) and not isinstance(caught.value, DatabaseBusy)
    assert time.monotonic() - started < 5


def test_a_file_that_is_not_a_database_is_reported_as_such(db_path):
    from factwatch.storage import DatabaseCorrupt

    Path(db_path).write_bytes(b"these are my notes, not a database\n" * 200)
    with pytest.raises(DatabaseCorrupt, match="not a DuckDB database"):
        with connect(db_path, wait=30.0):
            pass
    assert Path(db_path).read_bytes().startswith(b"these are my notes")
