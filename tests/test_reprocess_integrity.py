"""Reprocessing never loses what it cannot re-derive, and never races a check that stores a version meanwhile."""

from __future__ import annotations

from datetime import datetime, timezone

import duckdb
import pytest

from factwatch.cli.storyserver import StoryServer, demo_story_versions
from factwatch.flows.check import check_articles
from factwatch.flows.reprocess import reprocess_articles
from factwatch.runtime import workers
from factwatch.runtime.pipeline import PIPELINE_VERSION, PageResult, extract_page
from factwatch.storage import connect
from factwatch.storage.writer import record_results
from writer_child import make_result

PATH = "/world/ferry-capsizes"


def _rows(db: str, sql: str, params=()) -> list[tuple]:
    con = duckdb.connect(db, read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def _claims(db: str) -> list[tuple]:
    return _rows(db, "SELECT v.version_no, c.claim_type, c.key, c.value FROM claims c JOIN versions v "
                     "USING (version_id) ORDER BY ALL")


def _flags(db: str) -> list[tuple]:
    return _rows(db, "SELECT from_version_no, to_version_no, claim_type, change_kind, key, old_value, new_value "
                     "FROM change_flags ORDER BY ALL")


def _checked_story(db: str, steps=(0, 2, 3)) -> str:
    with StoryServer({PATH: demo_story_versions()}) as server:
        url = server.url(PATH)
        for step in steps:
            server.set_version(PATH, step)
            check_articles([url], db, timeout=5, allow_private_networks=True, host_delay=0)
    return url


def test_versions_that_cannot_be_reextracted_keep_their_claims_and_flags(prefect_harness, db_path):
    # The case: two stored versions whose pages yield no article any more.
    with connect(db_path) as con:
        record_results(con, [make_result("https://news.example/a", 1)])
        record_results(con, [make_result("https://news.example/a", 2)])
    before_claims, before_flags = _claims(db_path), _flags(db_path)
    assert len(before_claims) == 80 and len(before_flags) == 40

    result = reprocess_articles(db_path, everything=True)

    assert _claims(db_path) == before_claims and _flags(db_path) == before_flags
    assert {flag[3] for flag in before_flags} == {"update"}  # not turned into 40 false "removed" flags
    assert result["articles"] == 1 and result["flags"] == 40
    assert [(f["url"], f["reason"]) for f in result["failed"]] == [
        ("https://news.example/a", "no article text found on the page")] * 2
    assert _rows(db_path, "SELECT url, version_id, extractor, reason FROM reprocess_failures ORDER BY version_id") == [
        ("https://news.example/a", 1, PIPELINE_VERSION, "no article text found on the page"),
        ("https://news.example/a", 2, PIPELINE_VERSION, "no article text found on the page")]


def test_an_unreadable_stored_page_keeps_its_version_and_the_others_are_rederived(prefect_harness, db_path):
    _checked_story(db_path)
    before_claims, before_flags = _claims(db_path), _flags(db_path)
    con = duckdb.connect(db_path)
    con.execute("UPDATE versions SET raw_html_zlib = 'not zlib'::BLOB WHERE version_no = 2")
    con.execute("UPDATE versions SET extractor = 'old-engine'")
    con.execute("DELETE FROM claims WHERE version_id IN (SELECT version_id FROM versions WHERE version_no <> 2)")
    con.close()

    result = reprocess_articles(db_path)

    assert [(f["version_id"], f["reason"].split(" (")[0]) for f in result["failed"]] == [
        (2, "the stored page could not be decompressed")]
    assert _claims(db_path) == before_claims and _flags(db_path) == before_flags
    assert result["flags"] == len(before_flags)
    assert _rows(db_path, "SELECT version_no, extractor FROM versions ORDER BY 1") == [
        (1, PIPELINE_VERSION), (2, "old-engine"), (3, PIPELINE_VERSION)]
    again = reprocess_articles(db_path)  # the failed version stays stale, so it is tried again
    assert again["articles"] == 1 and len(again["failed"]) == 1
    assert _rows(db_path, "SELECT count(*) FROM reprocess_failures") == [(2,)]


def test_a_version_stored_while_reprocess_extracts_keeps_its_claims_and_flags(prefect_harness, db_path, tmp_path,
                                                                               monkeypatch):
    control = str(tmp_path / "control.duckdb")
    _checked_story(control)  # the same three versions, checked with nothing else running
    url = _checked_story(db_path, steps=(0, 2))
    latest_html = demo_story_versions()[3]
    real_extract = workers.extract_in_pool

    def extract_while_a_check_stores_version_3(pairs, *args, **kwargs):
        results = real_extract(pairs, *args, **kwargs)
        now = datetime.now(timezone.utc)
        page = PageResult(url=url, outcome="fetched", fetched_at=now, http_status=200,
                          extracted=extract_page(latest_html, url, now), html_hash="v3")
        with connect(db_path) as con:  # a check's writer, between reprocess's read and its write
            assert record_results(con, [page]).outcomes == {"new_version": 1}
        return results

    monkeypatch.setattr(workers, "extract_in_pool", extract_while_a_check_stores_version_3)
    result = reprocess_articles(db_path, everything=True)

    assert result["failed"] == [] and result["articles"] == 1
    assert _claims(db_path) == _claims(control)
    assert _flags(db_path) == _flags(control) and len(_flags(control)) == 7


def test_reprocess_and_a_check_in_another_process_on_the_same_urls_lose_nothing(prefect_harness, db_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    from check_child import stored_page

    here = Path(__file__).resolve().parent
    urls = [f"https://news.example/story-{i}" for i in range(4)]
    with connect(db_path) as con:
        for n in range(2):
            record_results(con, [stored_page(url, n) for url in urls])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(here), str(here.parent)])}
    child = subprocess.Popen([sys.executable, str(here / "check_child.py"), db_path, "2", "30", "0.4", *urls],
                             stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert child.stdout.readline().startswith("stored 2")
        runs = 0
        while child.poll() is None and runs < 10:  # reprocess over and over while the check keeps storing
            assert reprocess_articles(db_path, everything=True)["failed"] == []
            runs += 1
        assert child.wait(timeout=300) == 0
    finally:
        child.kill()
        child.wait()
    assert runs >= 2
    raced_claims, raced_flags = _claims(db_path), _flags(db_path)
    assert _rows(db_path, "SELECT count(*) FROM versions") == [(4 * 30,)]
    assert _rows(db_path, "SELECT count(*) FROM versions WHERE version_id NOT IN (SELECT version_id FROM claims)"
                 ) == [(0,)]
    reprocess_articles(db_path, everything=True)  # the same history, re-derived with nothing else running
    assert _claims(db_path) == raced_claims
    assert _flags(db_path) == raced_flags
    assert _rows(db_path, "SELECT count(DISTINCT to_version_id) FROM changes") == [(4 * 29,)]
