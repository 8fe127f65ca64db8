"""Time watch ticks in one long-running process, as `factwatch serve` or a deployment worker runs them.

    .venv/bin/python benchmarks/tick.py DB [--ticks 3]

Prefect's API is started once and the first tick pays the warm-up; the later
ticks are timed (start-up already paid) and printed as JSON seconds. Every
watch the benchmark wants checked has a cadence of one second, so it is due.
"""

from __future__ import annotations

import argparse
import json
import os
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("db")
    parser.add_argument("--ticks", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

    from factwatch.flows.prefect_api import temporary_api

    with temporary_api():
        from factwatch.flows.check import watch_articles

        seconds, checked = [], []
        for _ in range(args.ticks + 1):
            started = time.perf_counter()
            summary = watch_articles(db=args.db, allow_private_networks=True, host_delay=0)
            seconds.append(time.perf_counter() - started)
            checked.append(summary.checked)
    print(json.dumps({"warm_up_s": seconds[0], "tick_s": seconds[1:], "checked": checked}))


if __name__ == "__main__":
    main()
