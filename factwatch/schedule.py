"""Pure re-check cadence: how often a watched article is fetched again.

Articles change most right after they appear or change, so a watch is checked
often at first and less as it goes quiet, and more often while its tolls are
still fluid ("at least"). Its age counts from its latest activity: when it
was added (or, for a watch that discovery added, when the feed or sitemap
says the article was published), or when the article last changed (a new
version after the first). So a discovered article three days old is checked
every few hours, one ten minutes old every quarter of an hour. An old
article that is still being edited keeps being watched, and one that has
been quiet for STOP_AFTER stops being checked unless it has a fixed cadence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

STOP_AFTER = timedelta(days=30)
# (age below, interval): the first row whose age bound is above the article's age wins.
CADENCE = (
    (timedelta(hours=6), timedelta(minutes=15)),
    (timedelta(days=1), timedelta(hours=1)),
    (timedelta(days=3), timedelta(hours=3)),
    (timedelta(days=7), timedelta(hours=6)),
    (STOP_AFTER, timedelta(days=1)),
)
FLUID_FACTOR = 0.5
_DURATION = re.compile(r"^\s*(\d+)\s*([smhdw])\s*$", re.I)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


class BadDuration(ValueError):
    """A cadence like '15m' could not be read."""


def parse_every(text: str) -> int:
    """Read '90s', '15m', '2h', '1d' or '1w' as seconds."""
    match = _DURATION.match(text or "")
    if not match or int(match.group(1)) == 0:
        raise BadDuration(f"cannot read {text!r} as a cadence; use e.g. 15m, 2h or 1d")
    return int(match.group(1)) * _UNIT_SECONDS[match.group(2).lower()]


@dataclass(frozen=True, slots=True)
class WatchTiming:
    """What the schedule needs to know about one watch."""

    url: str
    added_at: datetime
    every_seconds: int | None = None
    published_at: datetime | None = None
    last_checked_at: datetime | None = None
    fluid: bool = False
    last_changed_at: datetime | None = None
    listed_at: datetime | None = None  # published, says the feed or sitemap discovery found it in


def check_interval(timing: WatchTiming, now: datetime) -> timedelta | None:
    """The current re-check interval, or None once the watch has gone quiet for good."""
    if timing.every_seconds:
        return timedelta(seconds=timing.every_seconds)
    # The page's own publication date says nothing about activity: a page published
    # years ago can be edited today, and a user who adds it wants it watched now.
    # A feed's or sitemap's date is when the story appeared, which discovery found
    # since (never later than the watch was added).
    start = min(timing.listed_at, timing.added_at) if timing.listed_at else timing.added_at
    active = max(t for t in (start, timing.last_changed_at) if t is not None)
    age = now - active
    for bound, interval in CADENCE:
        if age < bound:
            return interval * FLUID_FACTOR if timing.fluid else interval
    return None


def is_due(timing: WatchTiming, now: datetime, every_override: int | None = None) -> bool:
    """True when the watch should be fetched on this tick."""
    if timing.last_checked_at is None:
        return True
    if every_override:
        interval: timedelta | None = timedelta(seconds=every_override)
    else:
        interval = check_interval(timing, now)
    return interval is not None and now - timing.last_checked_at >= interval
