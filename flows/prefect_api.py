"""Start Prefect's temporary API first thing, so its start-up overlaps factwatch's own.

With no PREFECT_API_URL configured, Prefect runs flows against an ephemeral
API: a uvicorn subprocess serving Prefect's server app, started when the
first flow run needs it. That costs several seconds, and the client first
spends about 2 s importing the server package just to launch it. The CLI
instead launches the same app (the same command and settings Prefect's
ephemeral mode uses) before importing anything heavy, imports and warms the
extraction workers while it boots, and points the run at it. If it does not
come up, the run falls back to Prefect's own ephemeral mode.
"""

from __future__ import annotations

import atexit
import logging
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


_early: tuple[subprocess.Popen, int] | None = None


def launch_early() -> None:
    """Start the temporary API before anything else is imported (the CLI's first step).

    This is speculative: if Prefect turns out to be configured with an API URL
    (a profile, prefect.toml, .env), `temporary_api` stops it unused.
    """
    global _early
    from factwatch.settings import SettingsError, load_settings

    try:
        own_api = load_settings().prefect_ephemeral == "factwatch"
    except SettingsError:  # the CLI reports it, in one line, before any work
        return
    if os.environ.get("PREFECT_API_URL") or not own_api:
        return
    port = free_port()
    _early = (_launch(port, {}), port)
    atexit.register(_stop_unused_early)


def _stop_unused_early() -> None:
    """At exit, stop an early-started API that no run used (e.g. after a usage error)."""
    if _early is not None:
        _stop(_early[0])


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _launch(port: int, settings_env: dict[str, str]) -> subprocess.Popen:
    import importlib.util

    prefect_dir = Path(importlib.util.find_spec("prefect").origin).parent
    env = {**os.environ, **settings_env, "PREFECT_UI_ENABLED": "0",
           "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--app-dir", str(prefect_dir.parent), "--factory",
         "prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(port),
         "--log-level", "error", "--lifespan", "on"],
        env=env, stdin=subprocess.DEVNULL)


def api_healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


def _wait_until_healthy(proc: subprocess.Popen, url: str, deadline: float) -> bool:
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        if api_healthy(url):
            return True
        time.sleep(0.05)
    return False


def drain_to_api(timeout: float = 10) -> None:
    """Send queued logs and events before the API goes away (else exit waits on retries)."""
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    for service in (APILogWorker, EventsWorker):
        try:
            service.drain_all(timeout=timeout)
        except Exception as exc:  # a failed flush must not turn a finished run into a crash
            log.debug("could not drain %s: %s", service.__name__, exc)


@contextmanager
def temporary_api(warm_up=None) -> Iterator[str | None]:
    """Run the block against a temporary Prefect API (unless one is configured); yield its URL.

    `warm_up` runs while the API boots (imports, starting worker processes).
    """
    from prefect.settings import PREFECT_API_URL, get_current_settings, temporary_settings

    global _early
    early, _early = _early, None
    settings = get_current_settings()
    from factwatch.settings import load_settings

    if settings.api.url or load_settings().prefect_ephemeral == "prefect":
        if early:
            _stop(early[0])
        if warm_up:
            warm_up()
        yield settings.api.url
        return
    proc, port = early or (None, free_port())
    url = f"http://127.0.0.1:{port}/api"
    if proc is None:
        proc = _launch(port, settings.to_environment_variables(exclude_unset=True))
    try:
        if warm_up:
            warm_up()
        from factwatch.settings import load_settings

        if not _wait_until_healthy(proc, url, time.monotonic() + load_settings().api_startup_timeout):
            log.warning("the temporary Prefect API did not start; using Prefect's ephemeral mode")
            proc.terminate()
            yield None
            return
        with temporary_settings(updates={PREFECT_API_URL: url}):
            try:
                yield url
            finally:
                drain_to_api()
    finally:
        _stop(proc)
