"""The `factwatch` console script: start Prefect's API early, then run the CLI.

Prefect's temporary API takes seconds to boot, so for commands that run flows
it is launched before the CLI's own imports (typer, DuckDB, Prefect, trafilatura).
"""

from __future__ import annotations

import os
import signal
import sys

FLOW_COMMANDS = ("check", "demo", "reprocess", "discover")


def main() -> None:
    """Run the CLI; Ctrl-C before a command has started (during imports) exits quietly too."""
    try:
        _launch()
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        raise SystemExit(130) from None


def _launch() -> None:
    """Apply process settings, start the API for flow commands, then run the typer app."""
    from factwatch.runtime.memory import limit_heap_growth

    limit_heap_growth()
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    # SIGTERM stops a run the way Ctrl-C does: written batches stay, every child process goes.
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    flow_command = len(sys.argv) > 1 and sys.argv[1] in FLOW_COMMANDS and "--help" not in sys.argv
    if flow_command:
        from factwatch.flows.prefect_api import launch_early

        launch_early()
    from factwatch.cli.app import app

    try:
        app()
    finally:
        if flow_command:
            from factwatch.runtime.processes import stop_descendants

            # What is left is idle (multiprocessing's resource tracker is left to end with this process).
            stop_descendants(grace=0.5)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":
    main()
