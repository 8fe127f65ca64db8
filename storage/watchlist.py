"""Which watched articles are due: storage rows -> the pure schedule."""

from __future__ import annotations

from datetime import date, datetime, time, timezone

import duckdb

from factwatch.schedule import CADENCE, FLUID_FACTOR, WatchTiming
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


def _interval_seconds_sql() -> str:
    """schedule.check_interval in SQL (seconds; NULL once quiet for good), built from the schedule's own constants."""
    steps = " ".join(f"WHEN age_s < {bound.total_seconds()} THEN {interval.total_seconds()}"
                     for bound, interval in CADENCE)
    return f"(CASE {steps} END) * (CASE WHEN fluid THEN {FLUID_FACTOR} ELSE 1 END)"


def due_urls(con: duckdb.DuckDBPyConnection, now: datetime, every_override: int | None = None) -> list[str]:
    """URLs of the watches that are due at `now` (schedule.is_due, decided in SQL).

    With 100,000 watches, building a WatchTiming per watch in Python took seconds;
    the database decides instead and returns only the due URLs.
    """
    return [r[0] for r in con.execute(
        f"""WITH timing AS ({repo.WATCH_TIMING_SQL}), aged AS (
                SELECT *, epoch($now::TIMESTAMPTZ) - epoch(greatest(start, coalesce(last_changed_at, start))) AS age_s
                FROM (SELECT *, CASE WHEN listed_at IS NULL THEN added_at ELSE least(listed_at, added_at) END AS start
                      FROM timing))
            SELECT url FROM aged
            WHERE last_checked_at IS NULL
               OR epoch($now::TIMESTAMPTZ) - epoch(last_checked_at)
                  >= coalesce(nullif($every::INTEGER, 0), nullif(every_seconds, 0), {_interval_seconds_sql()})
            ORDER BY added_at, url""", {"now": now, "every": every_override}).fetchall()]
