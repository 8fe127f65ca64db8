"""Child processes: find every process a run started, and stop them all on the way out."""

from __future__ import annotations

import logging
import os

import psutil

log = logging.getLogger(__name__)


def descendants(pid: int | None = None) -> list[psutil.Process]:
    """Every live process started (directly or not) by `pid`, default this one."""
    try:
        return psutil.Process(pid or os.getpid()).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def process_tree(pid: int) -> list[psutil.Process]:
    """`pid` and every process it started, while they live."""
    try:
        return [psutil.Process(pid), *descendants(pid)]
    except psutil.NoSuchProcess:
        return descendants(pid)


def stop_processes(processes: list[psutil.Process], grace: float = 3.0) -> int:
    """SIGTERM the processes, SIGKILL whatever is left after `grace` seconds; how many were killed."""
    for proc in processes:
        try:
            proc.terminate()
        except psutil.NoSuchProcess:
            pass
    _gone, alive = psutil.wait_procs(processes, timeout=grace)
    for proc in alive:
        log.debug("process %s (%s) ignored SIGTERM; killing it", proc.pid, _name(proc))
        try:
            proc.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(alive, timeout=grace)
    return len(alive)


def stop_descendants(grace: float = 3.0) -> int:
    """Stop every process this one started (a served run, a server, worker pools).

    Not multiprocessing's resource trackers: a tracker ends by itself when the last process that
    holds its pipe ends, and one killed early is relaunched by the next semaphore this process
    frees on its way out, which then prints a traceback for every name it never saw.
    """
    return stop_processes([proc for proc in descendants() if not _is_resource_tracker(proc)], grace)


def _is_resource_tracker(proc: psutil.Process) -> bool:
    try:
        return "multiprocessing.resource_tracker" in " ".join(proc.cmdline())
    except psutil.Error:
        return False


def _name(proc: psutil.Process) -> str:
    try:
        return " ".join(proc.cmdline()[:3])
    except psutil.Error:
        return "?"
