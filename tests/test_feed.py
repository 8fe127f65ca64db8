"""The Atom feed of flags: valid Atom (parsed back with feedparser), one entry per flag, ids that never move."""

from __future__ import annotations

import feedparser
import requests
from typer.testing import CliRunner

from factwatch.cli.app import app
from factwatch.cli.feedserver import FeedServer
from factwatch.storage import connect
from factwatch.storage.writer import record_results
from test_alerts_storage import URL, page

runner = CliRunner()


def _story(db: str, tolls=(13, 17, 15), url: str = URL) -> None:
    with connect(db) as con:
        for step, toll in enumerate(tolls):
            record_results(con, [page(toll, step, url=url)])


def _feed(db: str, *options: str) -> feedparser.FeedParserDict:
    result = runner.invoke(app, ["feed", "--db", db, "--out", "-", *options])
    assert result.exit_code == 0, result.output
    parsed = feedparser.parse(result.stdout)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def test_the_feed_is_atom_with_one_entry_per_flag_and_stable_ids(tmp_path):
    db = str(tmp_path / "a.duckdb")
    _story(db)
    first = _feed(db)
    assert [e.title for e in first.entries] == [
        "[correction] death toll at example.org fell from 17 to 15 (-12%)",
        "[update] death toll at example.org rose from 13 to 17 (+31%)"]
    entry = first.entries[1]
    assert entry.link == URL and "At least 17 people were killed" in entry.content[0].value
    assert "Before: At least 13 people" in entry.content[0].value
    assert len({e.id for e in first.entries}) == 2
    again = _feed(db)
    assert [e.id for e in again.entries] == [e.id for e in first.entries]
    assert again.feed.updated == first.feed.updated  # nothing new: the same document
    # The same history in another file (other row numbers) gives the same ids.
    other = str(tmp_path / "b.duckdb")
    with connect(other) as con:
        record_results(con, [page(1, 0, url="https://example.org/other")])
        record_results(con, [page(2, 1, url="https://example.org/other")])
    _story(other)
    assert {e.id for e in first.entries} <= {e.id for e in _feed(other).entries}


def test_a_new_flag_is_a_new_entry_and_the_old_ids_stay(tmp_path):
    db = str(tmp_path / "a.duckdb")
    _story(db, (13, 17))
    before = {e.id for e in _feed(db).entries}
    _story(db, (17, 13))  # back to 13: a flip-flop is news to a reader who saw 17
    after = _feed(db).entries
    assert before < {e.id for e in after} and len(after) == 2


def test_the_feed_filters_and_writes_a_file(tmp_path):
    db = str(tmp_path / "a.duckdb")
    _story(db)
    _story(db, (5, 9), url="https://example.org/sport/match")
    assert len(_feed(db).entries) == 3
    assert [e.link for e in _feed(db, "--url-like", "%/sport/%").entries] == ["https://example.org/sport/match"]
    assert _feed(db, "--since", "2999-01-01").entries == []
    out = tmp_path / "flags.atom"
    assert runner.invoke(app, ["feed", "--db", db, "--out", str(out)]).exit_code == 0
    assert len(feedparser.parse(out.read_text(encoding="utf-8")).entries) == 3
    assert runner.invoke(app, ["feed", "--db", db, "--out", str(out), "--since", "yesterday"]).exit_code == 2


def test_serve_s_feed_server_answers_over_http(tmp_path):
    db = str(tmp_path / "a.duckdb")
    with FeedServer(db, port=0) as server:
        empty = requests.get(server.url, timeout=10)
        assert empty.status_code == 200 and feedparser.parse(empty.text).entries == []
        _story(db)
        served = requests.get(server.url, timeout=10)
        assert served.headers["Content-Type"].startswith("application/atom+xml")
        assert len(feedparser.parse(served.text).entries) == 2
        assert requests.get(server.url.replace("flags.atom", "x"), timeout=10).status_code == 404
