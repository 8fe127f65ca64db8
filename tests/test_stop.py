"""Stopping a run: SIGTERM or Ctrl-C ends `factwatch check` within seconds, with every child gone.

A real process, a real signal, real HTTP on loopback and a real DuckDB file.
A polite run over one host (a page a second) must have written what it
fetched before the signal, lose nothing written, and let the next run finish.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import duckdb
import psutil
import pytest

from factwatch.cli.storyserver import StoryServer, demo_story_versions

pytestmark = pytest.mark.slow
PAGES = 30


def _rows(db, sql):
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error:
        return None
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _tree(pid: int) -> dict[int, psutil.Process]:
    """The process and its descendants, as psutil.Process objects: they know their start time, so a
    pid reused by a stranger (pid_max is 32768 here and runs start many processes) is not mistaken
    for one of ours."""
    try:
        root = psutil.Process(pid)
        return {p.pid: p for p in (root, *root.children(recursive=True))}
    except psutil.NoSuchProcess:
        return {}


def _alive(processes: dict[int, psutil.Process]) -> list[str]:
    left = []
    for process in processes.values():
        try:
            if process.is_running() and process.status() != psutil.STATUS_ZOMBIE:
                left.append(f"{process.pid} {' '.join(process.cmdline())[:120]}")
        except psutil.Error:
            pass
    return left


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_stopped_check_keeps_what_it_wrote_and_leaves_no_process(tmp_path, signum):
    versions = demo_story_versions()
    pages = {f"/news/story-{i}": [versions[i % 4]] for i in range(PAGES)}
    db = tmp_path / "stop.duckdb"
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(PREFECT_HOME=str(tmp_path / "prefect"), PREFECT_SERVER_ANALYTICS_ENABLED="false",
               FACTWATCH_ALLOW_PRIVATE_NETWORKS="1", FACTWATCH_HOST_DELAY="1", FACTWATCH_WORKERS="2",
               FACTWATCH_API_STARTUP_TIMEOUT="120")
    with StoryServer(pages) as server:
        urls = tmp_path / "urls.txt"
        urls.write_text("\n".join(server.url(p) for p in pages) + "\n", encoding="utf-8")
        command = [sys.executable, "-m", "factwatch.cli.launcher", "check", "--from", str(urls), "--db", str(db)]
        proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True)
        seen: dict[int, psutil.Process] = {}
        deadline = time.monotonic() + 240  # Prefect's API and the workers start first
        while time.monotonic() < deadline:  # wait until pages are being written
            seen.update(_tree(proc.pid))
            written = _rows(db, "SELECT count(*) FROM fetch_log")
            if written and written[0][0] >= 5:
                break
            assert proc.poll() is None, proc.stderr.read().decode()
            time.sleep(0.2)
        else:
            raise AssertionError("nothing was written within 240 s of a polite run")
        seen.update(_tree(proc.pid))
        assert len(seen) >= 3, "expected the API and extraction workers as children"
        stopped_at = time.monotonic()
        proc.send_signal(signum)
        out, err = proc.communicate(timeout=30)  # returns only when every holder of its pipes is gone
        took = time.monotonic() - stopped_at
        assert took < 5, f"took {took:.1f} s to stop"
        # multiprocessing's resource tracker ends by itself once the CLI has exited, closing the pipe
        # a moment before it is reaped: allow it that moment, not more
        deadline = time.monotonic() + 3
        while _alive(seen) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _alive(seen) == [], "processes left behind"
        assert proc.returncode == 130
        assert b"Traceback" not in err, err.decode()[-2000:]
        assert b"stopped: pages already written stay stored" in err

        before = _rows(db, "SELECT count(*) FROM versions")[0][0]
        assert 5 <= before < PAGES
        env["FACTWATCH_HOST_DELAY"] = "0"
        done = subprocess.run(command, env=env, capture_output=True, timeout=180)
        assert done.returncode == 0, done.stderr.decode()[-2000:]
    # the next run continues: every page stored exactly once, nothing lost
    assert _rows(db, "SELECT count(*), count(DISTINCT article_id) FROM versions")[0] == (PAGES, PAGES)
    outcomes = dict(_rows(db, """SELECT outcome, count(*) FROM fetch_log
                                 WHERE fetched_at = (SELECT max(fetched_at) FROM fetch_log f2
                                                     WHERE f2.url = fetch_log.url) GROUP BY outcome"""))
    assert outcomes.get("new_version") == PAGES - before
    assert outcomes.get("new_version", 0) + outcomes.get("not_modified", 0) + outcomes.get("unchanged", 0) == PAGES
