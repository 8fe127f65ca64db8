"""The adaptive re-check cadence."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from factwatch.schedule import BadDuration, WatchTiming, check_interval, is_due, parse_every

NOW = datetime(2024, 2, 8, 12, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("text,seconds", [("90s", 90), ("15m", 900), ("2h", 7200), ("1d", 86400), ("1w", 604800),
                                          (" 3H ", 10800)])
def test_parse_every(text, seconds):
    assert parse_every(text) == seconds


@pytest.mark.parametrize("text", ["", "0m", "15", "fortnightly", "-5m", "1.5h"])
def test_parse_every_rejects(text):
    with pytest.raises(BadDuration):
        parse_every(text)


@pytest.mark.parametrize("age,fluid,expected", [
    (timedelta(hours=1), False, timedelta(minutes=15)),
    (timedelta(hours=1), True, timedelta(minutes=7, seconds=30)),
    (timedelta(hours=12), False, timedelta(hours=1)),
    (timedelta(days=2), False, timedelta(hours=3)),
    (timedelta(days=5), False, timedelta(hours=6)),
    (timedelta(days=20), False, timedelta(days=1)),
    (timedelta(days=31), False, None),
])
def test_cadence_shrinks_with_age_and_tightens_while_fluid(age, fluid, expected):
    timing = WatchTiming("u", added_at=NOW - age, fluid=fluid)
    assert check_interval(timing, NOW) == expected


def test_fixed_cadence_and_override_win():
    old = WatchTiming("u", added_at=NOW - timedelta(days=90), every_seconds=3600,
                      last_checked_at=NOW - timedelta(minutes=61))
    assert is_due(old, NOW)
    quiet = WatchTiming("u", added_at=NOW - timedelta(days=90), last_checked_at=NOW - timedelta(days=2))
    assert not is_due(quiet, NOW)
    assert is_due(quiet, NOW, every_override=3600)


def test_never_checked_is_due_and_recent_check_is_not():
    young = WatchTiming("u", added_at=NOW - timedelta(hours=1))
    assert is_due(young, NOW)
    assert not is_due(WatchTiming("u", added_at=NOW - timedelta(hours=1), last_checked_at=NOW - timedelta(minutes=5)), NOW)
    assert is_due(WatchTiming("u", added_at=NOW - timedelta(hours=1), last_checked_at=NOW - timedelta(minutes=16)), NOW)


def test_an_old_article_still_being_edited_keeps_being_watched():
    published_long_ago = NOW - timedelta(days=400)
    added_today = WatchTiming("u", added_at=NOW - timedelta(hours=2), published_at=published_long_ago,
                              last_checked_at=NOW - timedelta(minutes=20))
    assert check_interval(added_today, NOW) == timedelta(minutes=15)
    assert is_due(added_today, NOW)
    edited_yesterday = WatchTiming("u", added_at=NOW - timedelta(days=60), published_at=published_long_ago,
                                   last_changed_at=NOW - timedelta(hours=20), last_checked_at=NOW - timedelta(hours=2))
    assert check_interval(edited_yesterday, NOW) == timedelta(hours=1)
    assert is_due(edited_yesterday, NOW)
    quiet = WatchTiming("u", added_at=NOW - timedelta(days=60), published_at=published_long_ago,
                        last_changed_at=NOW - timedelta(days=31), last_checked_at=NOW - timedelta(days=3))
    assert check_interval(quiet, NOW) is None and not is_due(quiet, NOW)
