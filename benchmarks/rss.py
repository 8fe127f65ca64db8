"""Peak resident memory of a process and its children, sampled from /proc."""

from __future__ import annotations

import os
import threading
import time


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if ppid == pid:
            found.append(int(entry))
    return found


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _pss(pid: int) -> int:
    """Proportional set size: shared pages (libraries, forked memory) split between sharers."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def tree_pss(pid: int) -> int:
    """Proportional memory of `pid` and its descendants: what the tree really occupies."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += _pss(current)
        todo += _children(current)
    return total


def _name(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            args = fh.read().split(b"\0")
    except OSError:
        return "?"
    words = [a.decode(errors="replace") for a in args if a]
    if not words:  # a process that has just exited (a zombie) has no command line
        return "?"
    if "uvicorn" in words:
        return "prefect-api"
    if any("forkserver" in w for w in words):
        return "forkserver"
    if any("resource_tracker" in w for w in words):
        return "resource-tracker"
    if any("spawn_main" in w or "from multiprocessing" in w for w in words):
        return "extraction-worker"
    return "factwatch" if any("factwatch" in w or "factwatch.cli.app" in w for w in words) else words[0][-20:]


def tree_rss(pid: int) -> dict[str, int]:
    """Resident bytes of `pid` and each of its descendants now, by process role."""
    sizes: dict[str, int] = {}
    todo = [pid]
    while todo:
        current = todo.pop()
        name = _name(current)
        sizes[name] = sizes.get(name, 0) + _rss(current)
        todo += _children(current)
    return sizes


class PeakRSS:
    """Sample a process tree's RSS every 0.2 s while the block runs."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self.breakdown, self.peak_pss = pid, 0, {}, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            sizes = tree_rss(self.pid)
            if sum(sizes.values()) > self.peak:
                self.peak, self.breakdown = sum(sizes.values()), sizes
            self.peak_pss = max(self.peak_pss, tree_pss(self.pid))
            time.sleep(0.2)

    def __enter__(self) -> PeakRSS:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
