"""`prefect deploy --all` from this checkout plus a process worker runs the real flows.

A real `prefect server start`, a process work pool, the deployments in
prefect.yaml (entrypoints by file path) and a worker, all on loopback; the
watch deployment is run once and must store the watched page in the
worker's $FACTWATCH_DB.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from factwatch.cli.storyserver import StoryServer, demo_story_versions
from prefect_server import prefect_server

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]
PREFECT = [sys.executable, "-m", "prefect"]
PATH = "/world/ferry-capsizes"


def _wait(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.5)
    raise AssertionError(f"{what} not reached within {timeout} s")


def _stored(db: Path) -> list[tuple]:
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error:
        return []
    try:
        return con.execute("SELECT url, outcome FROM fetch_log").fetchall()
    finally:
        con.close()


def test_the_discover_deployment_runs_every_10_minutes():
    """prefect.yaml schedules discover-articles every 600 s, as the README says (no server needed)."""
    import yaml

    spec = yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))
    discover, = [d for d in spec["deployments"] if d["name"] == "discover"]
    assert discover["entrypoint"] == "flows/discover.py:discover_articles"
    assert [s["interval"] for s in discover["schedules"]] == [600]
    assert "every 10 minutes" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_prefect_deploy_all_and_a_process_worker_run_the_watch_flow(tmp_path):
    db = tmp_path / "worker.duckdb"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(tmp_path / "prefect"), PREFECT_SERVER_ANALYTICS_ENABLED="false",
               PREFECT_WORKER_QUERY_SECONDS="2", FACTWATCH_DB=str(db), FACTWATCH_ALLOW_PRIVATE_NETWORKS="1",
               FACTWATCH_HOST_DELAY="0", FACTWATCH_WORKERS="1")
    with prefect_server(env) as api:
        env["PREFECT_API_URL"] = api
        run = lambda *args: subprocess.run([*PREFECT, *args], env=env, cwd=ROOT, capture_output=True,  # noqa: E731
                                           text=True, timeout=180)
        done = run("work-pool", "create", "factwatch", "--type", "process")
        assert done.returncode == 0, done.stderr
        done = run("--no-prompt", "deploy", "--all")
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        assert "watch-articles/watch" in done.stdout and "reprocess-articles/reprocess" in done.stdout
        assert "discover-articles/discover" in done.stdout
        with StoryServer({PATH: demo_story_versions()}) as story:
            subprocess.run([sys.executable, "-m", "factwatch.cli.launcher", "watch", "add", story.url(PATH)],
                           env=env, check=True, capture_output=True, timeout=60)
            worker = subprocess.Popen([*PREFECT, "worker", "start", "--pool", "factwatch"], env=env, cwd=ROOT,
                                      stdout=subprocess.DEVNULL, stderr=open(tmp_path / "worker.err", "wb"),
                                      start_new_session=True)
            try:
                done = run("deployment", "run", "watch-articles/watch")
                assert done.returncode == 0, done.stderr
                _wait(lambda: _stored(db), 120, "the worker's run storing the page")
            finally:
                os.killpg(worker.pid, signal.SIGTERM)
                worker.wait(timeout=30)
        assert _stored(db) == [(story.url(PATH), "new_version")]
