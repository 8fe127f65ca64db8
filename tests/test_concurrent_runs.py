"""Two factwatch runs checking the same URLs in one DuckDB file at once both finish, and each page is stored once."""

from __future__ import annotations

import os
import subprocess
import sys

import duckdb

from factwatch.cli.storyserver import StoryServer, demo_story_versions


def test_two_concurrent_checks_of_the_same_urls_store_each_page_once(tmp_path):
    db = str(tmp_path / "shared.duckdb")
    pages = {f"/story/{i}": demo_story_versions()[:1] for i in range(24)}
    with StoryServer(pages) as server:
        urls = [server.url(p) for p in pages]
        listing = tmp_path / "urls.txt"
        listing.write_text("\n".join(urls), encoding="utf-8")
        procs = []
        for run in range(2):  # both runs race for every URL: fetched twice, stored once
            env = {**os.environ, "PREFECT_HOME": str(tmp_path / f"prefect{run}"),
                   "FACTWATCH_BATCH_SIZE": "4", "FACTWATCH_WORKERS": "1",
                   # two Prefect APIs start at once on a shared 2-core machine: give them time
                   "FACTWATCH_API_STARTUP_TIMEOUT": "120", "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120"}
            env.pop("PREFECT_API_URL", None)
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "factwatch.cli.app", "check", "--from", str(listing), "--db", db,
                 "--allow-private-networks"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
        outputs = [p.communicate(timeout=300)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    con = duckdb.connect(db, read_only=True)
    try:
        per_url = con.execute("SELECT url, count(*) FROM latest_versions JOIN versions v USING (article_id) "
                              "GROUP BY url").fetchall()
        versions = con.execute("SELECT count(*), count(DISTINCT (article_id, content_hash)) FROM versions").fetchall()
        outcomes = dict(con.execute("SELECT outcome, count(*) FROM fetch_log GROUP BY outcome").fetchall())
        claims = con.execute("SELECT count(DISTINCT version_id), count(*) FROM claims").fetchall()
        runs = con.execute("SELECT count(DISTINCT run_id) FROM fetches").fetchall()
    finally:
        con.close()
    assert sorted(per_url) == sorted((url, 1) for url in urls)  # one version per page, not two
    assert versions == [(24, 24)]
    assert outcomes["new_version"] == 24 and sum(outcomes.values()) == 48, outcomes
    assert set(outcomes) <= {"new_version", "unchanged", "not_modified"}, outcomes
    assert claims == [(24, 24 * 9)]  # the story's first version holds 9 claims, stored once per page
    assert runs == [(2,)]
