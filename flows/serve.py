"""`factwatch serve`: the scheduled flows on a real schedule, with nothing started by hand.

When PREFECT_API_URL (or the active Prefect profile) names a server, the flows
are registered there. Otherwise factwatch starts and owns a local Prefect
server with its scheduler (SQLite under PREFECT_HOME, else ~/.factwatch/prefect),
and stops it, and every other process it started, on the way out. Prefect's
ephemeral API cannot schedule, which is why a real server is needed.

The Prefect runner (which starts each scheduled run in a process of its own)
runs in a process and session of its own too, so Ctrl-C in the terminal reaches
`serve` alone and never a flow run in the middle of one of Prefect's state
calls. `serve` then stops the runner with SIGTERM, and the runner cancels its
runs the way a cancel from the UI does: Prefect records them cancelled, and
what each run wrote stays (writes are committed batch by batch).
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from factwatch.flows.prefect_api import api_healthy, drain_to_api, free_port
from factwatch.runtime.processes import process_tree, stop_processes

log = logging.getLogger(__name__)
DEFAULT_PORT = 4200
SERVER_STARTUP_TIMEOUT = 90.0  # a first start creates and migrates Prefect's SQLite database
SCHEDULER_LOOP_SECONDS = 5  # how soon the server's scheduler sees a new schedule (Prefect's default is 60)
RUNNER_POLL_SECONDS = 2  # how often the runner asks the API for due runs
RUNNER_STOP_GRACE = 30.0  # the runner's time to cancel its runs (each has a batch to commit) before a kill


class ServeFailed(RuntimeError):
    """`serve` cannot go on: the local server did not start, or the runner stopped on its own."""


class ServerFailed(ServeFailed):
    """The local Prefect server did not start; its log says why."""


def prefect_home() -> Path:
    """Where the owned server keeps its state: PREFECT_HOME, else ~/.factwatch/prefect."""
    return Path(os.environ.get("PREFECT_HOME") or Path.home() / ".factwatch" / "prefect").expanduser()


def configured_api_url() -> str | None:
    """The Prefect API the user configured (environment or profile), if any."""
    from prefect.settings import get_current_settings

    return get_current_settings().api.url


def _port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


@contextmanager
def local_server(port: int | None = None, home: Path | None = None) -> Iterator[str]:
    """Start a Prefect server (API, UI and scheduler) on loopback for the block; yield its API URL."""
    home = home or prefect_home()
    home.mkdir(parents=True, exist_ok=True)
    port = port or (DEFAULT_PORT if _port_is_free(DEFAULT_PORT) else free_port())
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(PREFECT_HOME=str(home), PREFECT_SERVER_ANALYTICS_ENABLED="false",
               PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS=str(SCHEDULER_LOOP_SECONDS))
    log_path = home / "server.log"
    with open(log_path, "ab") as server_log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            env=env, stdin=subprocess.DEVNULL, stdout=server_log, stderr=subprocess.STDOUT,
            # Its own session: Ctrl-C reaches `serve`, which stops the runner first and the server last.
            start_new_session=True)
    api_url = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + SERVER_STARTUP_TIMEOUT
        while not api_healthy(api_url):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise ServerFailed(f"the local Prefect server did not start on port {port}; see {log_path}")
            time.sleep(0.2)
        yield api_url
    finally:
        stop_processes(process_tree(proc.pid), grace=2.0)


def watch_deployment(db: str, every_seconds: int):
    """The watch flow as a served deployment: one run at a time, an overrunning tick is not doubled."""
    from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
    from prefect.deployments.runner import EntrypointType

    from factwatch.flows.check import watch_articles

    return watch_articles.to_deployment(
        name="factwatch-serve", interval=every_seconds, parameters={"db": db},
        description="Re-check every due watch (started by `factwatch serve`).",
        concurrency_limit=ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.CANCEL_NEW),
        entrypoint_type=EntrypointType.MODULE_PATH)


@contextmanager
def runner_process(db: str, every_seconds: int, api_url: str) -> Iterator[subprocess.Popen]:
    """The Prefect runner for the block, in a process and session of its own; stopped with its runs after."""
    env = dict(os.environ, PREFECT_API_URL=api_url, PREFECT_RUNNER_POLL_FREQUENCY=str(RUNNER_POLL_SECONDS))
    proc = subprocess.Popen([sys.executable, "-m", "factwatch.flows.serve", db, str(every_seconds)],
                            env=env, stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        yield proc
    finally:
        started = process_tree(proc.pid)  # before the runner goes: its orphans would leave its tree
        if proc.poll() is None:
            proc.terminate()  # Prefect's runner cancels its runs on SIGTERM, then returns
            try:
                proc.wait(RUNNER_STOP_GRACE)
            except subprocess.TimeoutExpired:
                log.warning("the runner did not stop within %.0f s; killing it and its runs", RUNNER_STOP_GRACE)
        stop_processes([*started, *process_tree(proc.pid)], grace=2.0)


def serve_flows(db: str, every_seconds: int, port: int | None = None,
                announce: Callable[[str], None] = log.info) -> None:
    """Register the scheduled flows and run their scheduled runs until interrupted (KeyboardInterrupt)."""
    with ExitStack() as stack:
        api_url = configured_api_url()
        if api_url:
            announce(f"using the Prefect server at {api_url}")
        else:
            home = prefect_home()
            announce(f"starting a local Prefect server (state in {home}) ...")
            api_url = stack.enter_context(local_server(port, home))
            announce(f"Prefect UI: {api_url.removesuffix('/api')}")
        runner = stack.enter_context(runner_process(db, every_seconds, api_url))
        announce(f"watch-articles runs every {every_seconds} s on {db} (Ctrl-C to stop)")
        code = runner.wait()
        raise ServeFailed(f"the Prefect runner stopped on its own (exit status {code}); see the messages above")


def run_runner(db: str, every_seconds: int) -> None:
    """The runner process's work: serve the watch deployment on PREFECT_API_URL's server until SIGTERM."""
    from prefect import serve

    # Ctrl-C belongs to `serve`, which stops this process with SIGTERM. Ignored here, SIGINT stays
    # ignored in the flow-run processes the runner starts, whoever sends it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        serve(watch_deployment(db, every_seconds), print_starting_message=False)
    finally:
        drain_to_api(timeout=1)  # before the server goes: a log left queued makes exit wait on retries


if __name__ == "__main__":
    run_runner(sys.argv[1], int(sys.argv[2]))
