"""Two factwatch runs against one DuckDB file at once both finish and store everything."""

from __future__ import annotations

import os
import subprocess
import sys

import duckdb

from factwatch.cli.storyserver import StoryServer, demo_story_versions


def test_two_concurrent_checks_both_store_everything(tmp_path):
    db = str(tmp_path / "shared.duckdb")
    pages = {f"/story/{i}": demo_story_versions()[:1] for i in range(24)}
    with StoryServer(pages) as server:
        urls = [server.url(p) for p in pages]
        procs = []
        for half, chunk in enumerate((urls[:12], urls[12:])):
            listing = tmp_path / f"urls{half}.txt"
            listing.write_text("\n".join(chunk), encoding="utf-8")
            env = {**os.environ, "PREFECT_HOME": str(tmp_path / f"prefect{half}"),
                   "FACTWATCH_BATCH_SIZE": "4", "FACTWATCH_WORKERS": "1"}
            env.pop("PREFECT_API_URL", None)
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "factwatch.cli.app", "check", "--from", str(listing), "--db", db,
                 "--allow-private-networks"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
        outputs = [p.communicate(timeout=300)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    con = duckdb.connect(db, read_only=True)
    try:
        stored = con.execute("SELECT count(DISTINCT url) FROM fetch_log WHERE outcome = 'new_version'").fetchall()
        versions = con.execute("SELECT count(*) FROM versions").fetchall()
        runs = con.execute("SELECT count(DISTINCT run_id) FROM fetches").fetchall()
    finally:
        con.close()
    assert stored == [(24,)] and versions == [(24,)] and runs == [(2,)]
