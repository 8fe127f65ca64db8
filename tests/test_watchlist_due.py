"""The due-watches query decides in SQL exactly what the pure schedule decides in Python."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest

from factwatch.schedule import is_due
from factwatch.storage import connect, transaction
from factwatch.storage.watchlist import due_urls, watch_timings

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=timezone.utc)


def _fill(con, count: int, seed: int) -> None:
    """Watches in every state: never checked, fixed cadence, fluid tolls, discovered, changed, quiet for good."""
    rng = random.Random(seed)
    for i in range(count):
        url = f"https://news.example/{i}"
        added = NOW - timedelta(minutes=rng.choice([5, 50, 400, 2000, 5000, 9000, 50000]))
        every = rng.choice([None, None, None, 0, 600, 86400])
        con.execute("INSERT INTO watches VALUES (?, ?, ?)", [url, added, every])
        if rng.random() < 0.3:
            con.execute("INSERT INTO discoveries (source_id, url, discovered_at, outcome, published_at) "
                        "VALUES (1, ?, ?, 'watched', ?)", [url, added, added - timedelta(hours=rng.choice([1, 30, 100]))])
        if rng.random() < 0.15:
            continue  # never checked
        con.execute("INSERT INTO articles VALUES (?, ?, ?)", [i, url, added])
        versions = rng.choice([0, 1, 1, 2, 3])
        for no in range(1, versions + 1):
            at = added + timedelta(minutes=no * rng.choice([3, 30, 300]))
            con.execute("INSERT INTO versions (version_id, article_id, version_no, fetched_at, content_hash, text, "
                        "extractor) VALUES (?, ?, ?, ?, 'h', 't', 'x')", [i * 10 + no, i, no, at])
            if rng.random() < 0.4:
                con.execute("INSERT INTO claims VALUES (?, ?, 'casualty', 'k', '5', 'five', 's', 0, 0, 4, ?, '{}')",
                            [i * 100 + no, i * 10 + no, rng.choice(["", "at least"])])
        for n in range(rng.choice([1, 2])):
            con.execute("INSERT INTO fetches (fetch_id, url, article_id, fetched_at, outcome) "
                        "VALUES (?, ?, ?, ?, 'not_modified')",
                        [i * 10 + n, url, i, NOW - timedelta(minutes=rng.choice([1, 8, 20, 70, 200, 2000]))])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_due_urls_agrees_with_the_pure_schedule(tmp_path, seed):
    with connect(tmp_path / "w.duckdb") as con:
        with transaction(con):
            _fill(con, 120, seed)
        timings = watch_timings(con)
        for later in (timedelta(0), timedelta(minutes=9), timedelta(hours=2), timedelta(days=2), timedelta(days=40)):
            for override in (None, 0, 900):
                now = NOW + later
                expected = [t.url for t in timings if is_due(t, now, override)]
                assert due_urls(con, now, override) == expected, (later, override)
