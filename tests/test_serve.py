"""`factwatch serve` watches on a real schedule with nothing started by hand, and stops cleanly.

Real processes, real HTTP on loopback, a real DuckDB file: the story's toll
changes while `serve` runs, the flag must appear, and after SIGINT every
process the run started must be gone soon after (STOP_WITHIN, generous for a loaded shared
machine: a hang fails, a slow second does not; speed is for the benchmarks).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import feedparser
import psutil
import pytest
import requests

from factwatch.cli.storyserver import StoryServer, demo_story_versions
from prefect_server import prefect_server

pytestmark = pytest.mark.slow
PATH = "/world/ferry-capsizes"
FACTWATCH = [sys.executable, "-m", "factwatch.cli.launcher"]
STOP_WITHIN = 15  # seconds


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(PREFECT_HOME=str(tmp_path / "prefect-home"), PREFECT_SERVER_ANALYTICS_ENABLED="false",
               FACTWATCH_ALLOW_PRIVATE_NETWORKS="1", FACTWATCH_HOST_DELAY="0", FACTWATCH_WORKERS="1")
    env.update(extra)
    return env


def _toll_flags(db: Path) -> list[tuple]:
    if not db.exists():
        return []
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error:  # the served run holds the file for a moment
        return []
    try:
        return con.execute("""SELECT old_value, new_value FROM change_flags
                              WHERE claim_type = 'casualty' AND change_kind = 'update'""").fetchall()
    finally:
        con.close()


def _fetches(db: Path) -> int:
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error:
        return 0
    try:
        return con.execute("SELECT count(*) FROM fetch_log").fetchall()[0][0]
    finally:
        con.close()


def _wait_for(predicate, timeout: float, proc: subprocess.Popen) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if predicate():
            return time.monotonic() - start
        assert proc.poll() is None, f"serve exited early: {proc.stderr.read() if proc.stderr else ''}"
        time.sleep(0.5)
    raise AssertionError(f"not reached within {timeout} s")


def _serve(tmp_path, db, env):
    return subprocess.Popen([*FACTWATCH, "serve", "--every", "5s", "--db", str(db)], env=env,
                            stdout=subprocess.DEVNULL, stderr=open(tmp_path / "serve.err", "wb"),
                            start_new_session=True)


def _alive(process: psutil.Process) -> bool:
    """Still running, as the same process: pids wrap at 32768 here, so a bare pid can name a stranger."""
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _stop_and_check_nothing_is_left(proc: subprocess.Popen, seen: dict[int, psutil.Process]) -> None:
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    # Generous for a loaded shared machine (speed is the benchmarks' business); a hang still fails.
    deadline = time.monotonic() + STOP_WITHIN
    while time.monotonic() < deadline:
        alive = [p.pid for p in seen.values() if _alive(p)]
        group = [p for p in psutil.pids() if _pgid(p) == proc.pid]
        if proc.poll() is not None and not alive and not group:
            return
        time.sleep(0.1)
    for process in seen.values():
        if _alive(process):
            process.kill()
    raise AssertionError(f"processes left {STOP_WITHIN} s after SIGINT: {alive or group}")


def _pgid(pid: int) -> int | None:
    try:
        return os.getpgid(pid)
    except OSError:
        return None


def _tree(pid: int) -> dict[int, psutil.Process]:
    try:
        root = psutil.Process(pid)
        return {p.pid: p for p in (root, *root.children(recursive=True))}
    except psutil.NoSuchProcess:
        return {}


def test_serve_owns_a_local_server_runs_on_schedule_and_stops_cleanly(tmp_path):
    db = tmp_path / "watch.duckdb"
    env = _env(tmp_path)
    with StoryServer({PATH: demo_story_versions()}) as story:
        url = story.url(PATH)
        subprocess.run([*FACTWATCH, "watch", "add", url, "--every", "5s", "--db", str(db)], env=env, check=True,
                       capture_output=True, timeout=60)
        started = time.monotonic()
        proc = _serve(tmp_path, db, env)
        seen: dict[int, psutil.Process] = {}
        try:
            def first_run_done() -> bool:
                seen.update(_tree(proc.pid))
                return _fetches(db) >= 1

            first = _wait_for(first_run_done, 90, proc)
            story.advance()
            story.advance()  # v3: the toll rises from 13 to 17

            def flagged() -> bool:
                seen.update(_tree(proc.pid))
                return ("13", "17") in _toll_flags(db)

            to_flag = _wait_for(flagged, 60, proc)
            print(f"serve start -> first completed run {first:.1f} s; page change -> flag {to_flag:.1f} s")
            feed_url = next(line.split("Atom feed of flags: ")[1].strip() for line in
                            (tmp_path / "serve.err").read_text().splitlines() if "Atom feed of flags: " in line)
            feed = feedparser.parse(requests.get(feed_url, timeout=30).text)
            assert not feed.bozo and any("rose from 13 to 17" in e.title for e in feed.entries), feed.entries
            assert any("prefect" in " ".join(psutil.Process(p).cmdline()) and "server" in
                       " ".join(psutil.Process(p).cmdline()) for p in _tree(proc.pid)), "no local server started"
        finally:
            seen.update(_tree(proc.pid))
            _stop_and_check_nothing_is_left(proc, seen)
        assert time.monotonic() - started < 200
    err = (tmp_path / "serve.err").read_text()
    assert "Prefect UI: http://127.0.0.1:" in err
    assert "Traceback" not in err
    con = duckdb.connect(str(db))  # the database opens cleanly, for writing, after the stop
    assert con.execute("SELECT count(*) FROM versions").fetchall()[0][0] == 2
    con.close()


def test_serve_uses_a_running_server_and_stopping_it_mid_run_cancels_the_run(tmp_path):
    """On a server it does not own, serve starts no second one; Ctrl-C during a run cancels that run.

    The run must end Cancelled in Prefect (not Crashed), with no traceback, and keep what it wrote.
    """
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.objects import StateType
    from prefect.settings import PREFECT_API_URL, temporary_settings

    db = tmp_path / "watch.duckdb"
    versions = demo_story_versions()
    pages = {f"/news/story-{i}": [versions[i % 4]] for i in range(30)}
    with prefect_server(_env(tmp_path, PREFECT_HOME=str(tmp_path / "server-home"))) as api:
        env = _env(tmp_path, PREFECT_API_URL=api, FACTWATCH_HOST_DELAY="1")  # a polite run: 1 page/s
        with StoryServer(pages) as story:
            for path in pages:
                subprocess.run([*FACTWATCH, "watch", "add", story.url(path), "--every", "1h", "--db", str(db)],
                               env=env, check=True, capture_output=True, timeout=60)
            proc = _serve(tmp_path, db, env)
            seen: dict[int, psutil.Process] = {}
            try:
                def running() -> bool:
                    seen.update(_tree(proc.pid))
                    return _fetches(db) >= 2

                _wait_for(running, 120, proc)
                own = [" ".join(psutil.Process(p).cmdline()) for p in _tree(proc.pid) if psutil.pid_exists(p)]
                assert not [c for c in own if "server start" in c or "uvicorn" in c], own
            finally:
                seen.update(_tree(proc.pid))
                _stop_and_check_nothing_is_left(proc, seen)
        err = (tmp_path / "serve.err").read_text()
        assert f"using the Prefect server at {api}" in err
        assert "Traceback" not in err and "Crash" not in err, err
        written = _fetches(db)
        assert 2 <= written < len(pages), "the stop did not land mid-run"
        with temporary_settings(updates={PREFECT_API_URL: api}), get_client(sync_client=True) as client:
            states = [run.state.type for run in client.read_flow_runs()]
        assert StateType.CANCELLED in states and StateType.CRASHED not in states, states
        # leaving the block asserts the server is still running: serve must not stop a server it does not own


def test_cancelling_a_run_in_prefect_stops_it_and_its_processes(tmp_path):
    """Cancel from the UI (here: the API the UI calls): the run stops, keeps what it wrote, leaves no process."""
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterState, FlowRunFilterStateType
    from prefect.client.schemas.objects import StateType
    from prefect.states import Cancelling

    db = tmp_path / "watch.duckdb"
    env = _env(tmp_path, FACTWATCH_HOST_DELAY="1")
    versions = demo_story_versions()
    pages = {f"/news/story-{i}": [versions[i % 4]] for i in range(40)}
    with StoryServer(pages) as story:
        for path in pages:
            subprocess.run([*FACTWATCH, "watch", "add", story.url(path), "--every", "1h", "--db", str(db)],
                           env=env, check=True, capture_output=True, timeout=60)
        proc = _serve(tmp_path, db, env)
        try:
            _wait_for(lambda: _fetches(db) >= 3, 180, proc)  # a polite run (1 page/s) is under way
            api = next(line.split("Prefect UI: ")[1].strip() for line in (tmp_path / "serve.err").read_text()
                       .splitlines() if "Prefect UI: " in line) + "/api"
            tree = _tree(proc.pid)
            runner = [pid for pid in tree if "factwatch.flows.serve" in _cmdline(pid)]
            assert len(runner) == 1, "serve runs Prefect's runner in one process of its own"
            run_tree = {pid for pid in tree if "server" not in _cmdline(pid)} - set(runner)
            with temporary_settings(updates={PREFECT_API_URL: api}), get_client(sync_client=True) as client:
                running = client.read_flow_runs(flow_run_filter=FlowRunFilter(state=FlowRunFilterState(
                    type=FlowRunFilterStateType(any_=[StateType.RUNNING]))))
                assert len(running) == 1
                client.set_flow_run_state(running[0].id, Cancelling(), force=True)
                deadline = time.monotonic() + 60
                while client.read_flow_run(running[0].id).state.type != StateType.CANCELLED:
                    assert time.monotonic() < deadline, "the run was not cancelled within 60 s"
                    time.sleep(0.5)
            written = _fetches(db)
            assert 3 <= written < len(pages)
            run_processes = [tree[pid] for pid in run_tree - {proc.pid}]
            deadline = time.monotonic() + 10
            while [p for p in run_processes if _alive(p)] and time.monotonic() < deadline:
                time.sleep(0.2)
            assert [p.pid for p in run_processes if _alive(p)] == [], "the cancelled run left processes"
            time.sleep(3)
            assert _fetches(db) == written, "a cancelled run went on fetching"
            assert proc.poll() is None and _alive(tree[runner[0]]), "serve keeps running after a cancelled run"
        finally:
            _stop_and_check_nothing_is_left(proc, _tree(proc.pid))


def _cmdline(pid: int) -> str:
    try:
        return " ".join(psutil.Process(pid).cmdline())
    except psutil.Error:
        return ""
