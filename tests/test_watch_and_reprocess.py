"""The scheduled flow checks only due watches; reprocess re-derives claims from stored pages; export writes Parquet."""

from __future__ import annotations

from datetime import datetime, timezone

import duckdb
from typer.testing import CliRunner

from factwatch.flows.check import watch_articles
from factwatch.cli.app import app
from factwatch.flows.reprocess import reprocess_articles
from factwatch.cli.storyserver import StoryServer, demo_story_versions
from factwatch.storage import connect, repo


def test_watch_flow_checks_due_watches_only_and_flags_changes(prefect_harness, db_path):
    versions = demo_story_versions()
    with StoryServer({"/ferry": versions, "/quiet": versions[:1]}) as server:
        ferry, quiet = server.url("/ferry"), server.url("/quiet")
        now = datetime.now(timezone.utc)
        with connect(db_path) as con:
            repo.add_watch(con, ferry, None, now)
            repo.add_watch(con, quiet, 86400, now)
        first = watch_articles(db_path, timeout=5, allow_private_networks=True, host_delay=0)
        assert first.checked == 2 and first.outcomes == {"new_version": 2}

        second = watch_articles(db_path, timeout=5, allow_private_networks=True, host_delay=0)
        assert second.checked == 0  # nothing is due minutes after a check

        server.set_version("/ferry", 2)
        forced = watch_articles(db_path, timeout=5, every_seconds=1, allow_private_networks=True, host_delay=0)
    assert forced.checked == 2  # an explicit cadence makes everything not checked in the last second due
    assert ("casualty", "update", "13 → 17") in {(f["claim"], f["kind"], f["change"]) for f in forced.flags}


def test_reprocess_rederives_claims_and_changes_from_stored_pages(prefect_harness, db_path):
    versions = demo_story_versions()
    with StoryServer({"/ferry": versions}) as server:
        url = server.url("/ferry")
        from factwatch.flows.check import check_articles

        for step in (0, 2, 3):
            server.set_version("/ferry", step)
            check_articles([url], db_path, timeout=5, allow_private_networks=True, host_delay=0)
    con = duckdb.connect(db_path)
    before = con.execute("SELECT claim_type, change_kind, old_value, new_value FROM changes ORDER BY ALL").fetchall()
    con.execute("DELETE FROM claims")  # as if an older engine had found nothing
    con.execute("DELETE FROM changes")
    con.execute("UPDATE versions SET extractor = 'old-engine'")
    con.close()

    result = reprocess_articles(db_path)
    assert result["articles"] == 1 and result["flags"] == len(before) == 7 and result["failed"] == []
    con = duckdb.connect(db_path, read_only=True)
    try:
        after = con.execute("SELECT claim_type, change_kind, old_value, new_value FROM changes ORDER BY ALL").fetchall()
        stale = con.execute("SELECT count(*) FROM versions WHERE extractor = 'old-engine'").fetchall()
        claims = con.execute("SELECT v.version_no, count(*) FROM claims JOIN versions v USING (version_id) "
                             "GROUP BY ALL ORDER BY 1").fetchall()
    finally:
        con.close()
    assert after == before and stale == [(0,)] and claims == [(1, 9), (2, 10), (3, 12)]  # v4 adds the spokesperson (see test_flow_end_to_end)
    assert reprocess_articles(db_path)["articles"] == 0  # nothing stale is left


def test_export_writes_every_table_and_view_as_parquet(prefect_harness, db_path, tmp_path):
    from factwatch.flows.check import check_articles

    with StoryServer({"/ferry": demo_story_versions()}) as server:
        check_articles([server.url("/ferry")], db_path, timeout=5, allow_private_networks=True, host_delay=0)
    out = tmp_path / "parquet"
    result = CliRunner().invoke(app, ["export", "--parquet", str(out), "--db", db_path])
    assert result.exit_code == 0, result.output
    assert (out / "versions.parquet").exists() and (out / "change_flags.parquet").exists()
    assert "story_tolls.parquet: 3 rows" in result.output  # killed, injured and missing in the one story
    rows = duckdb.connect().execute(f"SELECT count(*) FROM '{out / 'claims.parquet'}'").fetchall()[0][0]
    assert rows == 9 and "claims.parquet: 9 rows" in result.output  # the story's first version has 9 claims
