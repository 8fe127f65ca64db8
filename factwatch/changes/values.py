"""Claim values as intervals, so "more precise" and "moved" can be told apart."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, timedelta

from factwatch.changes.text import fold_key

_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:-\s*(\d+(?:\.\d+)?))?\s*$")
_LOWER_STRICT = frozenset({"more than", "over", "upwards of", "in excess of", "above"})
_LOWER = frozenset({"at least", "no fewer than", "no less than", "a minimum of", "a minimum"})
_UPPER_STRICT = frozenset({"fewer than", "less than", "under", "below"})
_UPPER = frozenset({"nearly", "almost", "up to", "at most", "no more than", "just under", "close to"})
_APPROX = frozenset(
    {"about", "around", "an estimated", "estimated", "approximately", "roughly", "some", "circa", "approx"}
)


@dataclass(frozen=True, slots=True)
class Count:
    """A casualty figure as a closed interval plus the single number a reader would quote."""

    low: float
    high: float
    point: float

    def contains(self, other: Count) -> bool:
        """Return True when `other` lies inside this interval."""
        return self.low <= other.low and other.high <= self.high


def parse_count(value: str, qualifier: str = "") -> Count | None:
    """Parse a casualty value ("13", "2-6") and its qualifier into a Count, or None."""
    match = _NUMBER.match(value.replace(",", ""))
    if not match:
        return None
    low = float(match.group(1))
    high = float(match.group(2)) if match.group(2) else low
    point = (low + high) / 2
    hedge = fold_key(qualifier)
    if hedge in _LOWER:
        return Count(low, math.inf, point)
    if hedge in _LOWER_STRICT:
        return Count(low + 1, math.inf, point)
    if hedge in _UPPER:
        return Count(math.floor(high * 0.8), high, point)
    if hedge in _UPPER_STRICT:
        return Count(math.floor(high * 0.8), high - 1, point)
    if hedge in _APPROX:
        return Count(math.floor(low * 0.85), math.ceil(high * 1.15), point)
    return Count(low, high, point)


@dataclass(frozen=True, slots=True)
class Span:
    """A date value as an inclusive day interval."""

    first: date
    last: date

    def contains(self, other: Span) -> bool:
        """Return True when `other` lies inside this interval."""
        return self.first <= other.first and other.last <= self.last


def _parse_day_or_period(text: str, *, end: bool) -> date | None:
    parts = text.strip().split("-")
    try:
        numbers = [int(part) for part in parts]
        if len(numbers) == 3:
            return date(*numbers)
        if len(numbers) == 2:
            year, month = numbers
            if not end:
                return date(year, month, 1)
            following = date(year + month // 12, month % 12 + 1, 1)
            return following - timedelta(days=1)
        if len(numbers) == 1:
            return date(numbers[0], 12, 31) if end else date(numbers[0], 1, 1)
    except ValueError:
        return None
    return None


def parse_span(value: str) -> Span | None:
    """Parse an ISO date, month, year or "start/end" interval into a Span, or None."""
    first_text, _, last_text = value.partition("/")
    first = _parse_day_or_period(first_text, end=False)
    last = _parse_day_or_period(last_text or first_text, end=True)
    if first is None or last is None or last < first:
        return None
    return Span(first, last)
