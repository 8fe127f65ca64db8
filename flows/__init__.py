"""Prefect flows (installed as `factwatch.flows`): thin @flow/@task wrappers, artifacts, events, run names."""

from __future__ import annotations

import sys


def _quiet_interrupt(kind, value, traceback, _default=sys.__excepthook__) -> None:
    """A flow-run process stopped by Ctrl-C says so in one line, not a traceback.

    A Prefect worker or `prefect deploy`'s runner started in a terminal starts each flow run in a
    process of its own in the terminal's process group, so Ctrl-C reaches the run wherever it is.
    What the run wrote is committed batch by batch, so nothing is lost; Prefect marks the run
    crashed. (`factwatch serve` keeps Ctrl-C away from its runs and cancels them instead.)
    """
    if issubclass(kind, KeyboardInterrupt):
        sys.stderr.write("factwatch: flow run interrupted; what it wrote stays\n")
        return
    _default(kind, value, traceback)


if sys.excepthook is sys.__excepthook__:  # a process's own hook (a debugger, pytest) is left alone
    sys.excepthook = _quiet_interrupt
