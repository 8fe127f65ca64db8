"""Scale-out: batches run on a Dask cluster (prefect-dask) while the flow stays the only writer."""

from __future__ import annotations

import os
import subprocess
import sys

import duckdb
import pytest

from factwatch.cli.storyserver import StoryServer, demo_story_versions

pytest.importorskip("prefect_dask")


def _span(server: StoryServer) -> tuple[int, float]:
    """How many pages were requested, and the seconds from the first to the last request."""
    times = sorted(t for path, t in server.request_times if path != "/robots.txt")
    return len(times), times[-1] - times[0]


def test_check_runs_its_batches_on_a_dask_cluster_and_stays_polite_per_host(tmp_path):
    db = str(tmp_path / "dask.duckdb")
    pages = {f"/story/{i}": demo_story_versions()[:1] for i in range(6)}
    with StoryServer(pages) as one, StoryServer(pages) as two:
        listing = tmp_path / "urls.txt"
        urls = [server.url(p) for p in pages for server in (one, two)]  # hosts interleaved
        listing.write_text("\n".join(urls), encoding="utf-8")
        env = {**os.environ, "FACTWATCH_TASK_RUNNER": "dask", "FACTWATCH_BATCH_SIZE": "2",
               "FACTWATCH_HOST_DELAY": "0.5", "PREFECT_HOME": str(tmp_path / "prefect"),
               "PREFECT_LOGGING_LEVEL": "INFO", "FACTWATCH_API_STARTUP_TIMEOUT": "120",
               "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120"}
        env.pop("PREFECT_API_URL", None)
        done = subprocess.run([sys.executable, "-m", "factwatch.cli.launcher", "check", "--from", str(listing),
                               "--db", db, "--allow-private-networks"], env=env, capture_output=True, text=True,
                               timeout=400)
        spans = [_span(one), _span(two)]
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "LocalCluster" in done.stdout + done.stderr  # prefect-dask started a cluster for the run
    # Batches of 2 would put each host on several Dask workers at once (6 pages in about 1 s);
    # one host's pages stay in one batch, so one fetcher spaces them: 5 gaps of 0.5 s. The
    # span, not each gap, is asserted: a busy worker can delay one request's arrival.
    assert [n for n, _ in spans] == [6, 6]
    assert all(span >= 2.0 for _, span in spans), spans
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
