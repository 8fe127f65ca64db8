"""Discovery end to end: sources served on loopback, read by the real discover-articles flow into a real DuckDB file."""

from __future__ import annotations

import gzip
import json
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import duckdb
import pytest
from hostile_server import HostileHandler, hostile_server  # noqa: F401 -- hostile_server is a fixture
from typer.testing import CliRunner

from factwatch.cli.app import app
from factwatch.flows.discover import discover_articles
from factwatch.storage import connect
from factwatch.storage.db import SCHEMA_VERSION
from factwatch.storage.sources import add_source

NOW = datetime.now(timezone.utc)


def ago(hours: float) -> datetime:
    return NOW - timedelta(hours=hours)


def rss(server, *items: tuple[str, float]) -> str:
    body = "".join(f"<item><title>{path}</title><link>{server.url(path) if path.startswith('/') else path}</link>"
                   f"<pubDate>{format_datetime(ago(hours), usegmt=True)}</pubDate></item>" for path, hours in items)
    return f"<?xml version='1.0'?><rss version='2.0'><channel><title>Feed</title>{body}</channel></rss>"


def news_sitemap(server, *entries: tuple[str, float | None]) -> bytes:
    urls = "".join(f"<url><loc>{server.url(path)}</loc>" + (
        f"<news:news><news:publication_date>{ago(hours).isoformat()}</news:publication_date>"
        f"<news:title>{path}</news:title></news:news>" if hours is not None else "") + "</url>"
        for path, hours in entries)
    return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>').encode()


def conditional(body: bytes, etag: str, content_type: str):
    """Answer 304 to a request that already has `etag`, else the body."""
    def behaviour(h: HostileHandler) -> None:
        if h.headers.get("If-None-Match") == etag:
            h.send(304, b"", {"ETag": etag})
        else:
            h.send(200, body, {"Content-Type": content_type, "ETag": etag})
    return behaviour


def host(server) -> str:
    return f"127.0.0.1:{server.port}"


def add(db: str, server, path: str, kind: str = "auto", **limits) -> str:
    with connect(db) as con:
        add_source(con, server.url(path), kind, [host(server)], **limits)
    return server.url(path)


def run(db: str, everything: bool = True, **options):
    """A discover run; every source is read, due or not, unless the test is about cadence."""
    return discover_articles(db, allow_private_networks=True, host_delay=0, timeout=5, everything=everything,
                             **options)


def rows(db: str, sql: str, params=()) -> list[tuple]:
    con = duckdb.connect(db, read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


@pytest.fixture
def outlet(hostile_server):
    """An outlet with a feed, a JSON Feed, a gzip news sitemap behind an index, and a section page."""
    s = hostile_server
    s.page("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
    s.route("/feed.xml", conditional(rss(s, ("/world/ferry-capsizes-on-lake", 1), ("/world/old-story-from-last-week", 24 * 7),
                                          ("https://evil.example/world/a-b-c-d", 1), ("javascript:alert(1)", 1),
                                          ("http://169.254.169.254/latest/meta-data/", 1)).encode(),
                                     '"feed-1"', "application/rss+xml"))
    s.route("/feed.json", conditional(json.dumps({
        "version": "https://jsonfeed.org/version/1.1", "title": "J",
        "items": [{"id": "1", "url": s.url("/world/bus-crash-kills-twelve"), "date_published": ago(2).isoformat()},
                  {"id": "2", "url": s.url("/world/ferry-capsizes-on-lake?utm_source=json")}]}).encode(),
        '"json-1"', "application/feed+json"))
    index = ('<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             f"<sitemap><loc>{s.url('/sitemap-news.xml.gz')}</loc><lastmod>{ago(1).isoformat()}</lastmod></sitemap>"
             f"<sitemap><loc>{s.url('/sitemap-index.xml')}</loc></sitemap>"
             f"<sitemap><loc>{s.url('/sitemap-2019.xml')}</loc><lastmod>2019-01-01</lastmod></sitemap>"
             "</sitemapindex>").encode()
    s.page("/sitemap-index.xml", index, content_type="application/xml")
    s.route("/sitemap-news.xml.gz", conditional(gzip.compress(news_sitemap(
        s, ("/world/quake-toll-rises-to-forty", 3), ("/archive/undated-page", None))), '"news-1"', "application/gzip"))
    s.page("/world", (f"<html><body><nav><a href='/'>Home</a><a href='/world/page/2'>More</a>"
                      f"<a href='/tag/ferry-disasters'>Ferries</a></nav>"
                      f"<a href='/world/floods-leave-thousands-homeless'>Floods</a>"
                      f"<a href='http://evil.example/world/floods-leave-thousands-homeless'>mirror</a></body></html>"))
    return s


def test_discover_watches_new_articles_once_and_rereads_conditionally(prefect_harness, outlet, db_path):
    feed, jfeed = add(db_path, outlet, "/feed.xml"), add(db_path, outlet, "/feed.json")
    index, section = add(db_path, outlet, "/sitemap-index.xml"), add(db_path, outlet, "/world", "section")
    first = run(db_path)
    assert sorted(first.watched) == sorted(outlet.url(p) for p in (
        "/world/ferry-capsizes-on-lake", "/world/bus-crash-kills-twelve", "/world/quake-toll-rises-to-forty",
        "/world/floods-leave-thousands-homeless"))
    assert first.failed == []
    assert sorted(rows(db_path, "SELECT url FROM watches")) == sorted((u,) for u in first.watched)
    decided = dict(((url, outcome), reason) for url, outcome, reason in rows(
        db_path, "SELECT url, outcome, reason FROM discoveries"))
    assert decided[(outlet.url("/world/old-story-from-last-week"), "too_old")].endswith("more than 2 days ago")
    assert decided[("https://evil.example/world/a-b-c-d", "rejected")] == \
        f"links to another site (evil.example), not {host(outlet)}"
    assert decided[("javascript:alert(1)", "rejected")] == "only http and https URLs are fetched, not javascript:"
    assert decided[("http://169.254.169.254/latest/meta-data/", "rejected")] == "169.254.169.254 is a link-local address"
    assert decided[(outlet.url("/archive/undated-page"), "undated")] == "the sitemap gives no date, so its age is unknown"
    # The JSON Feed's utm_ spelling of the ferry story is the same article, already watched through the feed.
    assert decided[(outlet.url("/world/ferry-capsizes-on-lake"), "known")] == "already watched or checked"
    checks = {url: (outcome, kind, error) for url, outcome, kind, error in rows(
        db_path, "SELECT url, outcome, doc_kind, error FROM source_checks WHERE outcome <> 'refused'")}
    assert checks[feed][:2] == ("read", "rss") and checks[jfeed][:2] == ("read", "json_feed")
    assert checks[index][:2] == ("read", "sitemap_index") and checks[section][:2] == ("read", "section")
    assert checks[outlet.url("/sitemap-news.xml.gz")][:2] == ("read", "news_sitemap")
    assert not outlet.requests_for("/sitemap-2019.xml")  # a child older than the max age is not read
    assert rows(db_path, "SELECT kind FROM sources ORDER BY source_id") == [("feed",), ("feed",), ("sitemap",),
                                                                           ("section",)]

    second = run(db_path)
    assert second.watched == [] and second.failed == []
    assert rows(db_path, "SELECT count(*) FROM discoveries") == [(len(decided),)]  # nothing decided twice
    assert outlet.requests_for("/feed.xml")[-1].headers.get("If-None-Match") == '"feed-1"'
    assert outlet.requests_for("/sitemap-news.xml.gz")[-1].headers.get("If-None-Match") == '"news-1"'
    last = dict(rows(db_path, "SELECT url, outcome FROM source_checks WHERE run_id = "
                              "(SELECT run_id FROM source_checks ORDER BY checked_at DESC LIMIT 1)"))
    assert last[feed] == last[jfeed] == last[outlet.url("/sitemap-news.xml.gz")] == "not_modified"
    assert last[section] == "unchanged"  # no validators, but the same bytes: not parsed again


def test_a_sitemap_index_that_lists_itself_is_refused_not_followed(prefect_harness, outlet, db_path):
    index = add(db_path, outlet, "/sitemap-index.xml")
    run(db_path)
    assert rows(db_path, "SELECT outcome, error FROM source_checks WHERE url = ? AND doc_kind IS NULL", [index]) == [
        ("refused", "refused: the sitemap index lists itself")]
    assert len(outlet.requests_for("/sitemap-index.xml")) == 1


def test_the_cap_leaves_the_rest_for_the_next_run_which_reads_in_full(prefect_harness, hostile_server, db_path):
    s = hostile_server
    s.route("/feed.xml", conditional(rss(s, *((f"/world/story-number-{i}-of-many", i) for i in range(5))).encode(),
                                     '"v1"', "application/rss+xml"))
    add(db_path, s, "/feed.xml", max_new=2)
    first = run(db_path)
    assert first.watched == [s.url("/world/story-number-0-of-many"), s.url("/world/story-number-1-of-many")]
    assert first.sources[0]["over_cap"] == 3
    second = run(db_path)
    assert second.watched == [s.url("/world/story-number-2-of-many"), s.url("/world/story-number-3-of-many")]
    assert "If-None-Match" not in s.requests_for("/feed.xml")[-1].headers  # capped: no 304 may hide the rest
    assert run(db_path).watched == [s.url("/world/story-number-4-of-many")]
    assert run(db_path).watched == []
    assert s.requests_for("/feed.xml")[-1].headers.get("If-None-Match") == '"v1"'


BOMB = ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
        '<rss version="2.0"><channel><item><title>&d;</title><link>/world/a-b-c-d</link></item></channel></rss>')
XXE = ('<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
       '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&xxe;</loc></url></urlset>')


@pytest.mark.parametrize("path, body, content_type, kind, reason", [
    ("/bomb.xml", BOMB, "application/rss+xml", "auto", "the document declares XML entities"),
    ("/xxe.xml", XXE, "application/xml", "auto", "the document declares XML entities"),
    ("/broken.xml", "<?xml version='1.0'?><urlset><url><loc>x</loc></urlset>", "text/xml", "auto", "malformed XML"),
    ("/html-feed.xml", "<!DOCTYPE html><html><body>Our feed moved</body></html>", "text/html", "feed",
     "not a feed (the server sent an HTML page)"),
    ("/huge.xml", "<rss version='2.0'><channel>" + "<item><title>x</title></item>" * 200_000, "application/rss+xml",
     "feed", "document larger than 4 MB"),
    ("/gone.xml", None, None, "auto", "HTTP 404 Not Found"),
])
def test_a_hostile_source_is_recorded_with_its_reason_and_the_others_still_run(
        prefect_harness, hostile_server, db_path, path, body, content_type, kind, reason):
    s = hostile_server
    if body is not None:
        s.page(path, body, content_type=content_type)
    s.route("/good.xml", conditional(rss(s, ("/world/ferry-capsizes-on-lake", 1)).encode(), '"g"', "application/rss+xml"))
    bad, good = add(db_path, s, path, kind), add(db_path, s, "/good.xml")
    summary = run(db_path)
    assert summary.watched == [s.url("/world/ferry-capsizes-on-lake")]
    assert [f["source"] for f in summary.failed] == [bad]
    (outcome, error), = rows(db_path, "SELECT outcome, error FROM source_checks WHERE url = ?", [bad])
    assert outcome == "error" and error.startswith(reason), error
    assert rows(db_path, "SELECT last_outcome, last_error FROM source_activity WHERE url = ?", [bad]) == [(outcome, error)]
    assert rows(db_path, "SELECT count(*) FROM discoveries WHERE source_id = "
                         "(SELECT source_id FROM sources WHERE url = ?)", [bad]) == [(0,)]
    assert rows(db_path, "SELECT last_outcome FROM source_activity WHERE url = ?", [good]) == [("read",)]


def test_a_feed_that_later_serves_html_is_an_error_not_a_section_page(prefect_harness, hostile_server, db_path):
    s = hostile_server
    s.page("/feed", rss(s, ("/world/ferry-capsizes-on-lake", 1)), content_type="application/rss+xml")
    add(db_path, s, "/feed")
    assert len(run(db_path).watched) == 1
    s.page("/feed", "<!DOCTYPE html><html><body><a href='/world/bus-crash-kills-twelve-people'>x</a></body></html>")
    later = run(db_path)
    assert later.watched == [] and later.failed[0]["error"] == "not a feed (the server sent an HTML page)"


runner = CliRunner()


def test_cli_sources_add_list_discover_remove(prefect_harness, outlet, db_path):
    env = {"FACTWATCH_ALLOW_PRIVATE_NETWORKS": "1", "FACTWATCH_HOST_DELAY": "0"}
    invoke = lambda *args: runner.invoke(app, [*args, "--db", db_path], env=env)  # noqa: E731
    feed = outlet.url("/feed.xml")
    added = invoke("sources", "add", feed, "--name", "Outlet world feed", "--max-age", "3d")
    assert added.exit_code == 0 and f"added source {feed} (auto; articles on {host(outlet)})" in added.output
    assert invoke("sources", "add", feed, "--kind", "podcast").exit_code == 2
    assert invoke("sources", "add", feed, "--max-age", "soon").exit_code == 2
    assert invoke("sources", "add", "file:///etc/passwd").exit_code == 2
    found = invoke("discover")
    assert found.exit_code == 0, found.output
    assert "1 new watches" in found.output and "watching 1 new article" in found.output
    listed = invoke("sources", "list")
    assert feed in listed.output and "watched 1" in listed.output and "rejected 3" in listed.output
    assert "changed 0" in listed.output and "corrected 0" in listed.output
    assert rows(db_path, "SELECT url, every_seconds FROM watches") == [(outlet.url("/world/ferry-capsizes-on-lake"), None)]
    assert invoke("discover", "--source", outlet.url("/nope.xml")).exit_code == 2
    assert invoke("sources", "remove", feed).exit_code == 0
    assert invoke("sources", "remove", feed).exit_code == 2
    assert "no sources" in invoke("sources", "list").output
    assert rows(db_path, "SELECT outcome, count(*) FROM discoveries GROUP BY ALL ORDER BY 1") == [
        ("rejected", 3), ("too_old", 1), ("watched", 1)]  # its history stays


def test_discover_exits_1_when_a_source_fails(prefect_harness, hostile_server, db_path):
    env = {"FACTWATCH_ALLOW_PRIVATE_NETWORKS": "1", "FACTWATCH_HOST_DELAY": "0"}
    add(db_path, hostile_server, "/missing.xml")
    result = runner.invoke(app, ["discover", "--db", db_path], env=env)
    assert result.exit_code == 1 and "HTTP 404 Not Found" in result.output and "Traceback" not in result.output


def test_a_version_2_database_gains_the_source_tables_and_keeps_its_rows(db_path):
    with connect(db_path) as con:
        con.execute("INSERT INTO articles VALUES (1, 'https://news.example/a', now())")
        con.execute("INSERT INTO watches VALUES ('https://news.example/a', now(), NULL)")
        for name in ("discoveries", "source_checks", "sources"):
            con.execute(f"DROP TABLE {name}")
        con.execute("DROP VIEW source_activity")
        con.execute("DROP VIEW source_document_state")
        con.execute("DROP SEQUENCE source_ids")
        con.execute("DROP SEQUENCE source_check_ids")
        con.execute("DELETE FROM schema_info")
        con.execute("INSERT INTO schema_info VALUES (2)")
    with connect(db_path) as con:
        assert con.execute("SELECT max(schema_version) FROM schema_info").fetchall() == [(SCHEMA_VERSION,)]
        assert con.execute("SELECT url FROM watches").fetchall() == [("https://news.example/a",)]
        assert con.execute("SELECT count(*) FROM articles").fetchall() == [(1,)]
        assert add_source(con, "https://news.example/rss", "feed", ["news.example"]) is True
        assert con.execute("SELECT url, watched FROM source_activity").fetchall() == [("https://news.example/rss", 0)]


def article(title: str, toll: int, paragraphs: int) -> str:
    body = "".join(f"<p>Rescue teams searched the shore of the lake for a {i + 2}th day on Tuesday, officials said, "
                   "as relatives gathered at the port and the regional governor promised an inquiry.</p>"
                   for i in range(paragraphs))
    return (f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"<p>At least {toll} people were killed when a ferry capsized on Lake Victoria, police said.</p>"
            f"{body}</article></body></html>")


def test_a_source_whose_pages_break_extraction_is_degraded_and_its_shrunken_versions_flag_nothing(
        prefect_harness, hostile_server, db_path):
    from factwatch.flows.check import check_articles
    from factwatch.storage.sources import announce_degraded

    s = hostile_server
    paths = [f"/world/ferry-story-number-{i}" for i in range(4)]
    for path in paths:
        s.page(path, article(f"Ferry story {path[-1]}", 13, 6))
    s.page("/feed.xml", rss(s, *((p, 1) for p in paths)), content_type="application/rss+xml")
    feed = add(db_path, s, "/feed.xml")
    urls = run(db_path).watched
    check = lambda: check_articles(urls, db_path, timeout=5, allow_private_networks=True, host_delay=0)  # noqa: E731
    assert check().outcomes == {"new_version": 4}
    for path in paths[:3]:  # a redesign: extraction now finds only the lead paragraph, whose toll changed
        s.page(path, article(f"Ferry story {path[-1]}", 15, 0))
    broken = check()
    assert broken.outcomes == {"new_version": 3, "unchanged": 1} and broken.flags == []
    assert rows(db_path, "SELECT count(*) FROM shrunken_versions") == [(3,)]
    assert rows(db_path, "SELECT extraction FROM source_activity WHERE url = ?", [feed]) == [("degraded",)]
    run(db_path)  # the discover run announces it (a factwatch.source.degraded event) ...
    (event, detail), = rows(db_path, "SELECT event, detail FROM source_events")
    assert event == "degraded" and detail.startswith("3 of 4 articles checked in the last day came out broken")
    with connect(db_path) as con:
        assert announce_degraded(con) == []  # ... once a day, not on every run
    s.page(paths[0], article("Ferry story 0", 17, 6))  # pages fixed: compared with the last healthy version
    fixed = check()
    assert [(f["claim"], f["kind"], f["change"]) for f in fixed.flags] == [("casualty", "update", "13 → 17")]
    assert rows(db_path, "SELECT from_version_no, to_version_no FROM change_flags") == [(1, 3)]
    from factwatch.flows.reprocess import reprocess_articles

    reprocess_articles(db_path, everything=True)  # re-deriving the history keeps the shrunken versions silent
    assert rows(db_path, "SELECT from_version_no, to_version_no, old_value, new_value FROM change_flags "
                         "WHERE claim_type = 'casualty'") == [(1, 3, "13", "17")]


def test_include_and_exclude_filter_every_link_a_source_offers(prefect_harness, hostile_server, db_path):
    env = {"FACTWATCH_ALLOW_PRIVATE_NETWORKS": "1", "FACTWATCH_HOST_DELAY": "0"}
    invoke = lambda *args: runner.invoke(app, [*args, "--db", db_path], env=env)  # noqa: E731
    s = hostile_server
    s.page("/feed.xml", rss(s, ("/world/ferry-capsizes-on-lake", 1), ("/sport/cup-final-ends-in-draw", 1),
                            ("/world/live/ferry-rescue-as-it-happened", 1)), content_type="application/rss+xml")
    s.page("/sitemap.xml", news_sitemap(s, ("/world/bus-crash-kills-twelve", 2), ("/business/markets-fall-again", 2)),
           content_type="application/xml")
    feed, sitemap = s.url("/feed.xml"), s.url("/sitemap.xml")
    bad = invoke("sources", "add", feed, "--include", "(world")
    assert bad.exit_code == 2 and "--include '(world' is not a valid regular expression" in bad.output
    assert "Traceback" not in bad.output  # and nothing saved: the two sources below are all there are
    added = invoke("sources", "add", feed, "--include", "/world/", "--exclude", "/live/")
    assert added.exit_code == 0 and "--include '/world/'; --exclude '/live/'" in added.output, added.output
    assert invoke("sources", "add", sitemap, "--exclude", "^https?://[^/]+/business/").exit_code == 0
    assert rows(db_path, "SELECT url, include_pattern, exclude_pattern FROM sources ORDER BY source_id") == [
        (feed, "/world/", "/live/"), (sitemap, None, "^https?://[^/]+/business/")]
    summary = run(db_path)
    assert sorted(summary.watched) == [s.url("/world/bus-crash-kills-twelve"), s.url("/world/ferry-capsizes-on-lake")]
    assert sorted(rows(db_path, "SELECT url, reason FROM discoveries WHERE outcome = 'rejected'")) == [
        (s.url("/business/markets-fall-again"), "matches --exclude '^https?://[^/]+/business/'"),
        (s.url("/sport/cup-final-ends-in-draw"), "does not match --include '/world/'"),
        (s.url("/world/live/ferry-rescue-as-it-happened"), "matches --exclude '/live/'")]


def test_source_activity_counts_changed_and_corrected_articles(prefect_harness, hostile_server, db_path):
    from factwatch.flows.check import check_articles

    s = hostile_server
    paths = ["/world/ferry-toll-rises", "/world/ferry-toll-revised", "/world/ferry-toll-steady"]
    for path in paths:
        s.page(path, article("Ferry", 13, 6))
    s.page("/feed.xml", rss(s, *((p, 1) for p in paths)), content_type="application/rss+xml")
    feed = add(db_path, s, "/feed.xml")
    urls = run(db_path).watched
    check = lambda: check_articles(urls, db_path, timeout=5, allow_private_networks=True, host_delay=0)  # noqa: E731
    assert check().outcomes == {"new_version": 3}
    assert rows(db_path, "SELECT changed, corrected, flags FROM source_activity") == [(0, 0, 0)]
    s.page(paths[0], article("Ferry", 17, 6))  # the toll rose: an update
    s.page(paths[1], article("Ferry", 11, 6))  # the toll fell outside its bounds: a correction
    flags = check().flags
    assert sorted((f["kind"], f["change"]) for f in flags) == [("correction", "13 → 11"), ("update", "13 → 17")]
    assert rows(db_path, "SELECT url, watched, changed, corrected, flags FROM source_activity") == [(feed, 3, 2, 1, 2)]


def test_a_version_4_database_gains_the_source_filters_and_cadence_and_keeps_its_sources(db_path):
    with connect(db_path) as con:  # a file written by version 4 earlier today: no filter columns, old view
        add_source(con, "https://news.example/rss", "feed", ["news.example"], max_new=5)
        con.execute("DROP VIEW source_activity")
        for column in ("include_pattern", "exclude_pattern", "every_seconds"):
            con.execute(f"ALTER TABLE sources DROP COLUMN {column}")
        con.execute("UPDATE schema_info SET schema_version = 4")
    with connect(db_path) as con:
        assert con.execute("SELECT max(schema_version) FROM schema_info").fetchall() == [(SCHEMA_VERSION,)]
        assert con.execute("SELECT url, max_new, include_pattern, exclude_pattern, every_seconds FROM sources"
                           ).fetchall() == [("https://news.example/rss", 5, None, None, None)]
        assert con.execute("SELECT url, changed, corrected FROM source_activity").fetchall() == [
            ("https://news.example/rss", 0, 0)]
        assert add_source(con, "https://news.example/rss", "feed", ["news.example"], include="/world/") is False
        assert con.execute("SELECT include_pattern FROM sources").fetchall() == [("/world/",)]


def test_a_source_not_yet_due_is_skipped_unless_forced(prefect_harness, hostile_server, db_path):
    env = {"FACTWATCH_ALLOW_PRIVATE_NETWORKS": "1", "FACTWATCH_HOST_DELAY": "0"}
    invoke = lambda *args: runner.invoke(app, [*args, "--db", db_path], env=env)  # noqa: E731
    s = hostile_server
    for path in ("/often.xml", "/hourly.xml"):
        s.page(path, rss(s, (f"/world{path[:-4]}-story-one", 1)), content_type="application/rss+xml")
    often, hourly = s.url("/often.xml"), s.url("/hourly.xml")
    assert invoke("sources", "add", often).exit_code == 0
    assert invoke("sources", "add", hourly, "--every", "1h").exit_code == 0
    assert invoke("sources", "add", hourly, "--every", "soon").exit_code == 2
    assert rows(db_path, "SELECT url, every_seconds FROM sources ORDER BY source_id") == [(often, None), (hourly, 3600)]
    assert {s_["source"] for s_ in run(db_path, everything=False).sources} == {often, hourly}  # never read: due
    later = run(db_path, everything=False)
    assert later.sources == [] and later.waiting == 2
    assert len(s.requests_for("/often.xml")) == len(s.requests_for("/hourly.xml")) == 1
    with connect(db_path) as con:  # 9.5 minutes on: the default 10 minutes, less its slack, have passed
        con.execute("UPDATE source_checks SET checked_at = checked_at - INTERVAL 570 SECOND")
    due = run(db_path, everything=False)
    assert [s_["source"] for s_ in due.sources] == [often] and due.waiting == 1
    forced = invoke("discover", "--source", hourly)
    assert forced.exit_code == 0 and f"{hourly}: unchanged" in forced.output, forced.output
    skipped = invoke("discover")
    assert skipped.exit_code == 0 and "2 sources not due yet" in skipped.output, skipped.output
    assert len(s.requests_for("/hourly.xml")) == 2
    assert [s_["source"] for s_ in run(db_path, everything=True).sources] == [often, hourly]


def test_an_auto_home_page_is_read_through_its_feeds_and_robots_sitemaps(prefect_harness, hostile_server, db_path):
    s = hostile_server
    s.page("/robots.txt", f"User-agent: *\nAllow: /\nSitemap: {s.url('/news-sitemap.xml')}\n", content_type="text/plain")
    s.page("/", "<!DOCTYPE html><html><head><title>Outlet</title>"
                "<link rel='alternate' type='application/rss+xml' href='/rss.xml'>"
                "<link rel='alternate' type='application/atom+xml' href='/atom.xml'>"
                "<link rel='alternate' type='application/rss+xml' href='https://elsewhere.example/rss.xml'></head>"
                "<body><a href='/world/homepage-only-story-about-floods'>x</a></body></html>")
    s.route("/rss.xml", conditional(rss(s, ("/world/ferry-capsizes-on-lake", 1)).encode(), '"rss-1"',
                                    "application/rss+xml"))
    s.page("/atom.xml", ("<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'><title>A</title>"
                         f"<entry><title>Bus</title><link href='{s.url('/world/bus-crash-kills-twelve')}'/>"
                         f"<updated>{ago(2).isoformat()}</updated></entry></feed>"), content_type="application/atom+xml")
    s.page("/news-sitemap.xml", news_sitemap(s, ("/world/quake-toll-rises-to-forty", 3)), content_type="application/xml")
    home = add(db_path, s, "/")
    first = run(db_path)
    assert sorted(first.watched) == sorted(s.url(p) for p in (
        "/world/ferry-capsizes-on-lake", "/world/bus-crash-kills-twelve", "/world/quake-toll-rises-to-forty"))
    assert first.failed == [] and not s.requests_for("/sitemap.xml")  # robots named one: no guessing
    checks = rows(db_path, "SELECT url, outcome, doc_kind, links, error FROM source_checks ORDER BY check_id")
    assert checks == [(home, "read", "homepage", 3, None),
                      ("https://elsewhere.example/rss.xml", "refused", None, 0,
                       f"refused: links to another site (elsewhere.example), not {host(s)}"),
                      (s.url("/rss.xml"), "read", "rss", 1, None), (s.url("/atom.xml"), "read", "atom", 1, None),
                      (s.url("/news-sitemap.xml"), "read", "news_sitemap", 1, None)]
    assert rows(db_path, "SELECT kind FROM sources") == [("auto",)]  # it stays a home page, re-read each run
    assert rows(db_path, "SELECT found_in, count(*) FROM discoveries GROUP BY ALL ORDER BY 1") == [
        (s.url("/atom.xml"), 1), (s.url("/news-sitemap.xml"), 1), (s.url("/rss.xml"), 1)]
    second = run(db_path)
    assert second.watched == [] and second.failed == []
    assert "If-None-Match" not in s.requests_for("/")[-1].headers  # the page is read in full: feeds may change
    assert s.requests_for("/rss.xml")[-1].headers.get("If-None-Match") == '"rss-1"'  # its feeds conditionally


def test_an_auto_home_page_without_feeds_falls_back_to_the_usual_sitemaps_then_to_its_links(
        prefect_harness, hostile_server, db_path):
    s = hostile_server
    s.page("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
    s.page("/", "<html><body><a href='/world/ferry-capsizes-on-lake'>Ferry</a></body></html>")
    s.page("/sitemap.xml", news_sitemap(s, ("/world/bus-crash-kills-twelve", 2)), content_type="application/xml")
    s.page("/plain/", "<html><body><a href='/world/floods-leave-thousands-homeless'>Floods</a></body></html>")
    home = add(db_path, s, "/")
    assert run(db_path).watched == [s.url("/world/bus-crash-kills-twelve")]
    assert [len(s.requests_for(p)) for p in ("/sitemap_news.xml", "/news-sitemap.xml", "/sitemap.xml")] == [1, 1, 1]
    assert rows(db_path, "SELECT url, doc_kind FROM source_checks ORDER BY check_id") == [
        (home, "homepage"), (s.url("/sitemap.xml"), "news_sitemap")]  # misses are not recorded
    s.route("/sitemap.xml", lambda h: h.send(404, b"gone"))  # now no sitemap answers: the page is a section
    with connect(db_path) as con:
        con.execute("DELETE FROM sources")
    plain = add(db_path, s, "/plain/")
    assert run(db_path).watched == [s.url("/world/floods-leave-thousands-homeless")]
    assert rows(db_path, "SELECT kind FROM sources WHERE url = ?", [plain]) == [("section",)]


def test_a_discovered_article_starts_its_cadence_from_the_feeds_publication_date(
        prefect_harness, hostile_server, db_path):
    from factwatch.flows.check import check_articles
    from factwatch.storage.watchlist import due_urls

    s = hostile_server
    fresh, old = "/world/ferry-capsized-minutes-ago", "/world/ferry-capsized-three-days-ago"
    for path in (fresh, old):
        s.page(path, article("Ferry", 13, 6))
    s.page("/feed.xml", rss(s, (fresh, 1 / 6), (old, 3 * 24 + 1)), content_type="application/rss+xml")
    add(db_path, s, "/feed.xml", max_age_seconds=4 * 86400)
    urls = run(db_path).watched
    assert sorted(urls) == sorted([s.url(fresh), s.url(old)])
    with connect(db_path) as con:
        assert sorted(due_urls(con, datetime.now(timezone.utc))) == sorted(urls)  # never checked: both due
    assert check_articles(urls, db_path, timeout=5, allow_private_networks=True, host_delay=0).outcomes == {
        "new_version": 2}
    now = datetime.now(timezone.utc)
    with connect(db_path) as con:  # its tolls say "at least": fluid, so half the usual intervals
        assert due_urls(con, now) == []
        assert due_urls(con, now + timedelta(minutes=8)) == [s.url(fresh)]  # 10 minutes old: every 7.5 minutes
        assert due_urls(con, now + timedelta(hours=2)) == [s.url(fresh)]  # 3 days old: every 3 hours
        assert sorted(due_urls(con, now + timedelta(hours=3, minutes=1))) == sorted(urls)
    s.page(old, article("Ferry", 17, 6))  # the old story changes: young again
    assert check_articles([s.url(old)], db_path, timeout=5, allow_private_networks=True,
                          host_delay=0).outcomes == {"new_version": 1}
    with connect(db_path) as con:
        assert s.url(old) in due_urls(con, datetime.now(timezone.utc) + timedelta(minutes=8))
