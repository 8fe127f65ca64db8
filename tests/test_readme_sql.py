"""Every SQL example in the README runs against a real database holding the demo story."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

import duckdb
import pytest

from factwatch.alerts.rules import parse_rule
from factwatch.flows.check import check_articles
from factwatch.storage import connect
from factwatch.storage.alerts import save_rule
from factwatch.cli.storyserver import StoryServer, demo_story_versions

README = Path(__file__).resolve().parents[1] / "README.md"
QUERIES = re.findall(r"```sql\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)


def _feed(server: StoryServer) -> str:
    """The outlet's feed: the story (published an hour ago) and a link that must never be watched."""
    when = format_datetime(datetime.now(timezone.utc) - timedelta(hours=1), usegmt=True)
    return (f"<?xml version='1.0'?><rss version='2.0'><channel><title>World</title>"
            f"<item><title>Ferry capsizes</title><link>{server.url('/story')}</link><pubDate>{when}</pubDate></item>"
            f"<item><title>Click me</title><link>javascript:alert(1)</link><pubDate>{when}</pubDate></item>"
            f"</channel></rss>")


@pytest.fixture(scope="module")
def story_db(tmp_path_factory, prefect_harness):
    from factwatch.flows.discover import discover_articles
    from factwatch.storage import connect
    from factwatch.storage.sources import add_source

    db = str(tmp_path_factory.mktemp("readme") / "factwatch.duckdb")
    with connect(db) as con:  # the alert rules the README's alerts_fired query shows
        save_rule(con, parse_rule("toll", "casualty rises by >= 20%"), datetime.now(timezone.utc))
        save_rule(con, parse_rule("silent", "silent correction"), datetime.now(timezone.utc))
    with StoryServer({"/story": demo_story_versions(), "/feed.xml": [""]}) as server:
        server.pages["/feed.xml"] = [_feed(server)]
        with connect(db) as con:
            add_source(con, server.url("/feed.xml"), "auto", [server.base_url.split("//")[1]])
        assert discover_articles(db, allow_private_networks=True, host_delay=0).watched == [server.url("/story")]
        for version in range(4):
            server.set_version("/story", version)
            check_articles([server.url("/story")], db, timeout=5, allow_private_networks=True, host_delay=0)
        check_articles([server.url("/missing")], db, timeout=5, allow_private_networks=True, host_delay=0)
    return db


def _plain(value):
    """A row value that does not depend on when or where the test ran."""
    if isinstance(value, datetime):
        return "<time>"
    if isinstance(value, str) and value.startswith("http://127.0.0.1:"):
        return "/" + value.split("/", 3)[3]
    if isinstance(value, str):  # an outlet is the loopback server's host and port
        value = re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:<port>", value)
    if isinstance(value, str) and len(value) > 50:
        return value[:50] + "…"
    return value


HEADLINE = "Ferry capsizes on Lake Tanganyika, killing at leas…"
TOLL = [("casualty:injured:people", n, "<time>", "", "11") for n in (1, 2, 3)] + [
    ("casualty:killed:people", n, "<time>", "at least", value) for n, value in ((1, "13"), (2, "17"), (3, "15"))
    for _twice in range(2)] + [("casualty:missing:people", n, "<time>", "at least", "20") for n in (1, 2, 3)]
# What each README query answers on the demo story (keyed by its first and last line); rows compared
# sorted, since ties in ORDER BY may come back in either order.
EXPECTED = {
    "SELECT url, old_value, new_value, new_sentence … ORDER BY detected_at DESC;": [("/story", "17", "15", HEADLINE)],
    "SELECT url, claim_type, old_value, new_value, new_sentence … ORDER BY detected_at DESC;": [
        ("/story", "casualty", "17", "15", HEADLINE)],
    "SELECT key, version_no, fetched_at, qualifier, value … ORDER BY key, version_no;": TOLL,
    "SELECT url, qualifier, value, attributes->>'group' AS victims, sentence … ORDER BY url;": [
        ("/story", "at least", "15", "people", HEADLINE),
        ("/story", "at least", "15", "people", "KIGOMA, Tanzania — At least 15 people were killed …")],
    "SELECT url, fetched_at, http_status, outcome, error … LIMIT 20;": [
        ("/missing", "<time>", 404, "error", "HTTP 404 Not Found")],
    "SELECT rule, url, change_kind, old_value, new_value, summary … ORDER BY detected_at DESC, rule;": [
        ("silent", "/story", "correction", "17", "15", "death toll at 127.0.0.1 fell from 17 to 15 (-12%)"),
        ("toll", "/story", "update", "13", "17", "death toll at 127.0.0.1 rose from 13 to 17 (+31%)")],
    "SELECT url, versions, flags, corrections, last_checked_at … LIMIT 10;": [
        ("/story", 3, 7, 2, "<time>"), ("/missing", 0, 0, 0, "<time>")],
    "SELECT url, kind, last_outcome, last_error, watched, rejected, changed, corrected, flags … "
    "ORDER BY corrected DESC, changed DESC, watched DESC;": [("/feed.xml", "feed", "read", None, 1, 1, 1, 1, 7)],
    "SELECT story_id, outcome, victim_group, outlets, low, best, high, latest, disagree, sources … "
    "ORDER BY story_id, outcome, victim_group;": [
        (1, "injured", "people", 1, 11, 11, 11, "11", False, "127.0.0.1:<port>: 11"),
        (1, "killed", "people", 1, 15, 15, 15, "15", False, "127.0.0.1:<port>: at least 15"),
        (1, "missing", "people", 1, 20, 20, 20, "20", False, "127.0.0.1:<port>: at least 20")],
    "SELECT outlet, outcome, qualifier, value, revisions, revised_down, lagging … ORDER BY outcome, outlet;": [
        ("127.0.0.1:<port>", "injured", "", "11", 0, 0, False),
        ("127.0.0.1:<port>", "killed", "at least", "15", 2, 1, False),  # 13, 17, then 15
        ("127.0.0.1:<port>", "missing", "at least", "20", 0, 0, False)],
    # One outlet cannot disagree with itself: the demo story raises no story flag.
    "SELECT story_id, kind, outcome, victim_group, low, high, detail … ORDER BY raised_at DESC;": [],
    # Two corrections (the name, with a notice; the toll 17 -> 15, without), two toll revisions (one down).
    "SELECT outlet, articles, corrected_articles, round(median_hours_to_first_correction, 1) AS median_hours, … "
    "ORDER BY corrections DESC, outlet;": [("127.0.0.1:<port>", 1, 1, 0.0, 0.5, 0.5)],
    "SELECT url, outcome, reason, found_in … ORDER BY discovered_at DESC, url;": [
        ("javascript:alert(1)", "rejected", "only http and https URLs are fetched, not javascri…", "/feed.xml")],
}


def _label(sql: str) -> str:
    lines = sql.strip().splitlines()
    return f"{lines[0]} … {lines[-1]}"


def test_every_readme_query_has_its_expected_answer():
    assert sorted(_label(q) for q in QUERIES) == sorted(EXPECTED)


@pytest.mark.parametrize("sql", QUERIES, ids=[q.strip().splitlines()[-1][:40] for q in QUERIES])
def test_readme_query_answers_what_the_demo_story_says(story_db, sql):
    con = duckdb.connect(story_db, read_only=True)
    try:
        rows = [tuple(_plain(v) for v in row) for row in con.execute(sql).fetchall()]
    finally:
        con.close()
    assert sorted(rows, key=repr) == sorted(EXPECTED[_label(sql)], key=repr)
