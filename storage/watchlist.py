"""Which watched articles are due: storage rows -> the pure schedule."""

from __future__ import annotations

from datetime import date, datetime, time, timezone

import duckdb

from factwatch.schedule import WatchTiming, is_due
from factwatch.storage import repo


def _as_datetime(value: date | datetime | None) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.combine(value, time.min, tzinfo=timezone.utc)


def watch_timings(con: duckdb.DuckDBPyConnection) -> list[WatchTiming]:
    """Every watch with what its cadence depends on."""
    timings = []
    for url, added, every, published, last_checked, fluid, last_changed, listed in repo.watch_schedule_inputs(con):
        timings.append(WatchTiming(url, added, every, _as_datetime(published), last_checked, bool(fluid),
                                   last_changed, listed))
    return timings


def due_urls(con: duckdb.DuckDBPyConnection, now: datetime, every_override: int | None = None) -> list[str]:
    """URLs of the watches that are due at `now`."""
    return [t.url for t in watch_timings(con) if is_due(t, now, every_override)]
