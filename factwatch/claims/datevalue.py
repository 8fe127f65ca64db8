"""Calendar arithmetic for date claims: which year a "May 2", which week a "Monday".

A date given without its year is placed relative to the publication date, on the side
its tense says (see `factwatch.claims.tense`): past -> the latest such date on or before
publication (or one to three days after it), future -> the first on or after it, no cue -> the nearest one (ties go to
the past, and a future date must be less than half as far away as the past one, as news
mostly reports what happened). A weekday named with its date ("Saturday,
May 18") picks the year in which that date falls on that weekday.
"""

from __future__ import annotations

import calendar
import datetime

from factwatch.claims.tense import FUTURE, PAST

Date = datetime.date
# With no tense cue a future candidate must be this many times nearer than the past one:
# news reports what happened more often than it announces (fitted on the TimeBank tune part,
# where 1.5 to 3 score the same and 1, plain nearest, scores lower).
FUTURE_DISTANCE_WEIGHT = 2
# A past cue still takes a day at most this many days after publication ("the paper dated
# Aug. 23" in a story dated the 22nd): a wire date lags its events by time zones, and the
# day a year back is far less likely. Longer grace loses a right "quarter ended Oct. 31"
# on the TimeBank tune part; 1 to 3 days change nothing there.
PAST_CUE_GRACE_DAYS = 3


# A weekday written with its date picks the year it agrees with only within half a year of
# publication: "Labor Day, Monday, September 1" in a story of August 1996 (a Sunday that
# year) is a slip of the writer's, not September 1997.
WEEKDAY_REACH_DAYS = 183


def month_end(year: int, month: int) -> int:
    """Last day of a month."""
    return calendar.monthrange(year, month)[1]


def shift_month(year: int, month: int, by: int) -> tuple[int, int]:
    """(year, month) moved by a number of months."""
    index = year * 12 + month - 1 + by
    return index // 12, index % 12 + 1


def _pick(candidates: list[tuple[int, object]], now: int, tense: str | None, grace: int = 0):
    """Among (ordinal, value) candidates pick by tense relative to `now` (an ordinal).

    A past cue still yields a candidate at most `grace` units after `now`.
    """
    if not candidates:
        return None
    if tense == PAST and grace:
        soon = [c for c in candidates if now < c[0] <= now + grace]
        if soon:
            return soon[0][1]
    if tense == PAST:
        past = [c for c in candidates if c[0] <= now]
        if past:
            return max(past, key=lambda c: c[0])[1]
    elif tense == FUTURE:
        future = [c for c in candidates if c[0] >= now]
        if future:
            return min(future, key=lambda c: c[0])[1]
    return min(candidates, key=lambda c: (c[0] - now) * FUTURE_DISTANCE_WEIGHT if c[0] > now else now - c[0])[1]


def day_in_year(month: int, day: int, published: Date, tense: str | None, weekday: int | None = None) -> Date | None:
    """The year-less day `month`/`day` placed around publication; None if impossible."""
    days = []
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            days.append(datetime.date(year, month, day))
        except ValueError:  # 29 February, or beyond the calendar's range
            continue
    agreeing = [d for d in days if d.weekday() == weekday and abs(d - published).days <= WEEKDAY_REACH_DAYS]
    if weekday is not None and agreeing:
        days = agreeing
    return _pick([(d.toordinal(), d) for d in days], published.toordinal(), tense, PAST_CUE_GRACE_DAYS)


def month_in_year(month: int, published: Date, tense: str | None) -> int:
    """The year of a year-less month named around publication."""
    now = published.year * 12 + published.month - 1
    years = (published.year - 1, published.year, published.year + 1)
    return _pick([(year * 12 + month - 1, year) for year in years], now, tense)


def weekday_date(weekday: int, published: Date, tense: str | None, strict: bool = False) -> Date:
    """The weekday nearest publication on its tense's side (past when no cue).

    The publication day itself counts unless `strict` ("last Friday", "next Friday").
    """
    if tense == FUTURE:
        ahead = (weekday - published.weekday()) % 7
        return published + datetime.timedelta(days=ahead or (7 if strict else 0))
    back = (published.weekday() - weekday) % 7
    return published - datetime.timedelta(days=back or (7 if strict else 0))


def day_iso(year: int | None, month: int, day: int) -> str:
    """ISO day, or "--MM-DD" when the year is unknown; ValueError on impossible dates."""
    if year is None:
        datetime.date(2000, month, day)  # a leap year accepts every possible month-day
        return f"--{month:02d}-{day:02d}"
    datetime.date(year, month, day)
    return f"{year:04d}-{month:02d}-{day:02d}"


def span_iso(year: int | None, month: int, first: int, last: int | None = None) -> str:
    """ISO interval of days `first`..`last` (default: month end) in one month."""
    last = last if last is not None else month_end(year or 2001, month)
    return f"{day_iso(year, month, first)}/{day_iso(year, month, last)}"
