"""Scale-out: batches run on a Dask cluster (prefect-dask) while the flow stays the only writer."""

from __future__ import annotations

import os
import subprocess
import sys

import duckdb
import pytest

from factwatch.cli.storyserver import StoryServer, demo_story_versions

pytest.importorskip("prefect_dask")


def test_check_runs_its_batches_on_a_dask_cluster(tmp_path):
    db = str(tmp_path / "dask.duckdb")
    pages = {f"/story/{i}": demo_story_versions()[:1] for i in range(6)}
    with StoryServer(pages) as server:
        listing = tmp_path / "urls.txt"
        listing.write_text("\n".join(server.url(p) for p in pages), encoding="utf-8")
        env = {**os.environ, "FACTWATCH_TASK_RUNNER": "dask", "FACTWATCH_BATCH_SIZE": "2",
               "PREFECT_HOME": str(tmp_path / "prefect"), "PREFECT_LOGGING_LEVEL": "INFO"}
        env.pop("PREFECT_API_URL", None)
        done = subprocess.run([sys.executable, "-m", "factwatch.cli.app", "check", "--from", str(listing), "--db", db,
                               "--allow-private-networks"], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "LocalCluster" in done.stdout + done.stderr  # prefect-dask started a cluster for the run
    con = duckdb.connect(db, read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM versions").fetchall() == [(6,)]
        assert con.execute("SELECT count(DISTINCT value) FROM claims WHERE claim_type = 'casualty'").fetchall()[0][0] >= 1
    finally:
        con.close()


def test_unknown_task_runner_is_a_clear_error(monkeypatch):
    from factwatch.settings import SettingsError, load_settings

    monkeypatch.setenv("FACTWATCH_TASK_RUNNER", "ray")
    with pytest.raises(SettingsError, match="FACTWATCH_TASK_RUNNER='ray' is not valid: must be local or dask"):
        load_settings()
