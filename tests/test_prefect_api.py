"""The temporary Prefect API the CLI starts first thing: a real server, a real flow run."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap


def test_cli_runs_its_flow_against_a_temporary_api_and_stops_it(tmp_path):
    script = textwrap.dedent("""
        import sys
        from prefect import flow
        from prefect.settings import get_current_settings
        from factwatch.flows.prefect_api import temporary_api

        @flow
        def ping():
            return get_current_settings().api.url

        if __name__ == "__main__":
            warmed = []
            with temporary_api(warm_up=lambda: warmed.append(True)) as url:
                assert url and url.startswith("http://127.0.0.1:"), url
                assert ping() == url
            print("ok", url, warmed)
    """)
    path = tmp_path / "ping.py"
    path.write_text(script, encoding="utf-8")
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "home"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    env.pop("PREFECT_API_URL", None)
    done = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, env=env, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    line = done.stdout.strip().splitlines()[-1]
    assert line.startswith("ok http://127.0.0.1:") and line.endswith("[True]")
    port = line.split(":")[2].split("/")[0]
    import socket

    with socket.socket() as sock:  # the server was stopped: its port no longer answers
        assert sock.connect_ex(("127.0.0.1", int(port))) != 0


def _processes_with_env(marker: str) -> list[int]:
    import pathlib

    found = []
    for proc in pathlib.Path("/proc").glob("[0-9]*"):
        try:
            if marker.encode() in (proc / "environ").read_bytes():
                found.append(int(proc.name))
        except OSError:
            continue
    return found


def test_a_usage_error_leaves_no_api_server_behind(tmp_path):
    home = str(tmp_path / "home-for-usage-error")
    env = {**os.environ, "PREFECT_HOME": home}
    env.pop("PREFECT_API_URL", None)
    missing = tmp_path / "no-such-list.txt"
    done = subprocess.run([sys.executable, "-m", "factwatch.cli.launcher", "check", "--from", str(missing)],
                          capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 2 and "cannot read" in done.stderr
    import time

    time.sleep(0.5)
    assert _processes_with_env(home) == []
