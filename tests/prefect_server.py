"""A real `prefect server start` on loopback for tests that need scheduling or deployments."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager


def free_port() -> int:
    """A free TCP port on loopback."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthy(api: str) -> bool:
    """Whether the Prefect API at `api` answers its health check."""
    try:
        with urllib.request.urlopen(f"{api}/health", timeout=2):
            return True
    except OSError:
        return False


@contextmanager
def prefect_server(env: dict[str, str], timeout: float = 90) -> Iterator[str]:
    """Start `prefect server start` with `env` (its own PREFECT_HOME); yield its API URL; stop it."""
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {k: v for k, v in env.items() if k != "PREFECT_API_URL"}
    proc = subprocess.Popen([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
                             "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + timeout
        while not healthy(api):
            assert proc.poll() is None, "prefect server start exited"
            assert time.monotonic() < deadline, "prefect server did not become healthy"
            time.sleep(0.3)
        yield api
        assert proc.poll() is None, "the server stopped while in use"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
