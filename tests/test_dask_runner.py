"""Scale-out: batches run on a Dask cluster (prefect-dask) while the flow stays the only writer."""

from __future__ import annotations

import os
import subprocess
import sys

import duckdb
import pytest

from factwatch.cli.storyserver import StoryServer, demo_story_versions

pytest.importorskip("prefect_dask")


def _spacing(server: StoryServer) -> list[float]:
    times = sorted(t for path, t in server.request_times if path != "/robots.txt")
    return [b - a for a, b in zip(times, times[1:])]


def test_check_runs_its_batches_on_a_dask_cluster_and_stays_polite_per_host(tmp_path):
    db = str(tmp_path / "dask.duckdb")
    pages = {f"/story/{i}": demo_story_versions()[:1] for i in range(6)}
    with StoryServer(pages) as one, StoryServer(pages) as two:
        listing = tmp_path / "urls.txt"
        urls = [server.url(p) for p in pages for server in (one, two)]  # hosts interleaved
        listing.write_text("\n".join(urls), encoding="utf-8")
        env = {**os.environ, "FACTWATCH_TASK_RUNNER": "dask", "FACTWATCH_BATCH_SIZE": "2",
               "FACTWATCH_HOST_DELAY": "0.5", "PREFECT_HOME": str(tmp_path / "prefect"),
               "PREFECT_LOGGING_LEVEL": "INFO"}
        env.pop("PREFECT_API_URL", None)
        done = subprocess.run([sys.executable, "-m", "factwatch.cli.app", "check", "--from", str(listing), "--db", db,
                               "--allow-private-networks"], env=env, capture_output=True, text=True, timeout=300)
        gaps = _spacing(one) + _spacing(two)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "LocalCluster" in done.stdout + done.stderr  # prefect-dask started a cluster for the run
    # Batches of 2 would put each host on several Dask workers at once; one host's pages
    # stay in one batch, so one worker (one fetcher) spaces them.
    assert len(gaps) == 10 and min(gaps) >= 0.45, gaps
    con = duckdb.connect(db, read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM versions").fetchall() == [(12,)]
        assert con.execute("""SELECT DISTINCT value FROM claims
                              WHERE claim_type = 'casualty' AND attributes->>'outcome' = 'killed'""").fetchall() == [("13",)]
    finally:
        con.close()


def test_unknown_task_runner_is_a_clear_error(monkeypatch):
    from factwatch.settings import SettingsError, load_settings

    monkeypatch.setenv("FACTWATCH_TASK_RUNNER", "ray")
    with pytest.raises(SettingsError, match="FACTWATCH_TASK_RUNNER='ray' is not valid: must be local or dask"):
        load_settings()
