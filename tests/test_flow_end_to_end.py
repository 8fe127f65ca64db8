"""End to end: a story served on loopback, checked by the real Prefect flow into a real DuckDB file."""

from __future__ import annotations


import duckdb
import pytest

from factwatch.flows.check import check_articles
from factwatch.runtime.pipeline import page_html
from factwatch.cli.storyserver import StoryServer, demo_story_versions

PATH = "/world/ferry-capsizes"
EVIDENCE = "Ferry capsizes on Lake Tanganyika, killing at least 17"  # the headline states the toll first


def _check(url, db):
    return check_articles([url], db, timeout=5, allow_private_networks=True, host_delay=0)


def _flags(summary):
    return sorted((f["claim"], f["kind"], f["change"]) for f in summary.flags)


@pytest.fixture
def story():
    with StoryServer({PATH: demo_story_versions()}) as server:
        yield server


def test_story_versions_raise_exactly_the_fact_changes(prefect_harness, story, db_path):
    url = story.url(PATH)
    first = _check(url, db_path)
    assert first.outcomes == {"new_version": 1} and first.flags == []  # the baseline raises nothing

    story.set_version(PATH, 1)  # only ads, comment counter, tokens and nav changed
    second = _check(url, db_path)
    assert second.outcomes == {"unchanged": 1} and second.flags == []

    story.set_version(PATH, 2)
    third = _check(url, db_path)
    assert third.outcomes == {"new_version": 1}
    assert _flags(third) == sorted([
        ("casualty", "update", "13 → 17"),
        ("person", "correction", "Joseph Mwakalinga → Joseph Mwakalinda"),
        ("date", "update", "2024-02-21/2024-02-29 → 2024-02-28"),
        ("correction_notice", "added", "— → Correction: An earlier version of this article misspelled the name "
                                       "of the regional police commander, Joseph Mwakalinda."),
    ])
    casualty_flags = [f for f in third.flags if f["claim"] == "casualty"]
    assert len(casualty_flags) == 1, casualty_flags
    assert casualty_flags[0]["evidence"] == EVIDENCE

    story.set_version(PATH, 3)
    fourth = _check(url, db_path)
    assert _flags(fourth) == sorted([
        ("casualty", "correction", "17 → 15"),
        # the newly quoted spokesperson (a known miss of the tagger until its learned gate, 2026-12-08)
        ("person", "added", "— → Neema Kileo"),
        ("date", "added", "— → 2024-01-01/2024-01-31"),
    ])

    con = duckdb.connect(db_path, read_only=True)
    try:
        log = con.execute("SELECT outcome, http_status, error FROM fetch_log ORDER BY fetched_at").fetchall()
        assert log == [("new_version", 200, None), ("unchanged", 200, None),
                       ("new_version", 200, None), ("new_version", 200, None)]
        flags = con.execute(
            "SELECT old_value, new_value, old_sentence, new_sentence, from_version_no, to_version_no "
            "FROM change_flags WHERE claim_type = 'casualty' AND change_kind = 'update'").fetchall()
        assert [(f[0], f[1], f[4], f[5]) for f in flags] == [("13", "17", 1, 2)]
        assert "13" in flags[0][2] and "17" in flags[0][3]
        versions = con.execute("SELECT version_no, raw_html_zlib, text FROM versions ORDER BY version_no").fetchall()
        assert [v[0] for v in versions] == [1, 2, 3]
        assert "Lake Tanganyika" in page_html(versions[0][1])
        assert "Most read" not in versions[0][2] and "comments" not in versions[0][2]
        silent = con.execute("SELECT claim_type, old_value, new_value FROM silent_corrections").fetchall()
        assert silent == [("casualty", "17", "15")]  # the name correction came with a notice; this did not
        linked = con.execute("SELECT notice FROM change_flags WHERE claim_type = 'person'").fetchall()
        assert linked[0][0].startswith("Correction: An earlier version")
        orphans = con.execute("SELECT count(*) FROM claims WHERE version_id NOT IN (SELECT version_id FROM versions)")
        assert orphans.fetchall() == [(0,)]
    finally:
        con.close()


def test_conditional_get_gives_not_modified_without_reparsing(prefect_harness, db_path):
    with StoryServer({PATH: demo_story_versions()}, chrome_noise=False) as server:
        url = server.url(PATH)
        assert _check(url, db_path).outcomes == {"new_version": 1}
        assert _check(url, db_path).outcomes == {"not_modified": 1}
        page_requests = [headers for path, headers in server.requests if path == PATH]
        assert page_requests[-1].get("If-None-Match", "").startswith('"')


def test_one_bad_url_does_not_sink_the_run(prefect_harness, story, db_path):
    good = story.url(PATH)
    missing = story.url("/no-such-article")
    summary = _check_many([good, missing], db_path)
    assert summary.outcomes == {"new_version": 1, "error": 1}
    assert summary.failed == 1
    con = duckdb.connect(db_path, read_only=True)
    try:
        row = con.execute("SELECT outcome, http_status, error FROM fetch_log WHERE url = ?", [missing]).fetchall()
    finally:
        con.close()
    assert row[0][0] == "error" and row[0][1] == 404 and "404" in row[0][2]


def _check_many(urls, db):
    return check_articles(urls, db, timeout=5, allow_private_networks=True, host_delay=0)
