"""Discovery without Prefect or HTTP: parsing feeds, sitemaps and section pages, judging links, choosing watches."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import tracemalloc
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factwatch.discover.documents import parse_document
from factwatch.discover.model import DocumentProblem, Found, Link, SourcePolicy
from factwatch.discover.select import (
    BadPattern,
    check_pattern,
    filter_problem,
    judge_found,
    select_links,
    source_is_due,
)
from factwatch.discover.urls import judge_link, looks_like_article, normalise_url
from factwatch.discover.xmlsafe import gunzip_bounded
from factwatch.schedule import WatchTiming, check_interval

BASE = "https://news.example"
NOW = datetime(2024, 3, 14, 12, 0, tzinfo=timezone.utc)


def rss(*items: str) -> bytes:
    return (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>World</title>"
            f"<link>{BASE}/</link>{''.join(items)}</channel></rss>").encode()


def item(link: str, hours_ago: float | None = 1, title: str = "A story") -> str:
    date = "" if hours_ago is None else f"<pubDate>{(NOW - timedelta(hours=hours_ago)):%a, %d %b %Y %H:%M:%S} GMT</pubDate>"
    return f"<item><title>{title}</title><link>{link}</link>{date}</item>"


def urlset(*entries: str, news: bool = False) -> bytes:
    ns = ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"' if news else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"{ns}>'
            f"{''.join(entries)}</urlset>").encode()


def policy(**overrides) -> SourcePolicy:
    values = dict(source_id=1, url=f"{BASE}/feed.xml", kind="auto", allow_hosts=("news.example",), max_new=20,
                  max_age_seconds=48 * 3600, allow_private=False)
    values.update(overrides)
    return SourcePolicy(**values)


# --- the kinds of document -------------------------------------------------------------------------------------

def test_rss_items_with_dates_titles_and_relative_links():
    parsed = parse_document(rss(item(f"{BASE}/world/ferry-capsizes-on-lake", 2, "Ferry capsizes"),
                                item("/world/relative-story-link-here", None)), f"{BASE}/feed.xml")
    assert parsed.kind == "rss"
    assert [(l.url, l.title) for l in parsed.links] == [(f"{BASE}/world/ferry-capsizes-on-lake", "Ferry capsizes"),
                                                        (f"{BASE}/world/relative-story-link-here", "A story")]
    assert parsed.links[0].published == NOW - timedelta(hours=2) and parsed.links[1].published is None


def test_atom_and_json_feed():
    atom = (b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><title>A</title>'
            b'<link rel="alternate" href="https://news.example/a-b-c-d"/><updated>2024-03-14T10:00:00Z</updated>'
            b"</entry></feed>")
    parsed = parse_document(atom, f"{BASE}/atom")
    assert parsed.kind == "atom" and parsed.links[0].url == f"{BASE}/a-b-c-d"
    assert parsed.links[0].published == datetime(2024, 3, 14, 10, tzinfo=timezone.utc)
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "t",
            "items": [{"id": "1", "url": f"{BASE}/x-y-z-w", "title": "X", "date_published": "2024-03-14T11:00:00+01:00"},
                      {"id": "2", "external_url": f"{BASE}/ext"}, "not an item", {"id": "3"}]}
    parsed = parse_document(json.dumps(feed).encode(), f"{BASE}/feed.json")
    assert parsed.kind == "json_feed"
    assert [(l.url, l.published) for l in parsed.links] == [
        (f"{BASE}/x-y-z-w", datetime(2024, 3, 14, 10, tzinfo=timezone.utc)), (f"{BASE}/ext", None)]


def test_news_sitemap_gzip_and_index():
    entry = ('<url><loc>https://news.example/world/ferry</loc><news:news><news:publication>'
             '<news:name>N</news:name><news:language>en</news:language></news:publication>'
             '<news:publication_date>2024-03-14T09:00:00+00:00</news:publication_date>'
             '<news:title>Ferry capsizes</news:title></news:news></url>')
    parsed = parse_document(gzip.compress(urlset(entry, news=True)), f"{BASE}/news.xml.gz")
    assert parsed.kind == "news_sitemap"
    assert parsed.links == (Link(f"{BASE}/world/ferry", datetime(2024, 3, 14, 9, tzinfo=timezone.utc), "Ferry capsizes"),)
    plain = parse_document(urlset("<url><loc>https://news.example/a</loc><lastmod>2024-03-13</lastmod></url>"), "x")
    assert plain.kind == "sitemap" and plain.links[0].published == datetime(2024, 3, 13, tzinfo=timezone.utc)
    index = parse_document(b'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                           b"<sitemap><loc>https://news.example/s1.xml</loc><lastmod>2024-03-14</lastmod></sitemap>"
                           b"<sitemap><loc>https://news.example/s2.xml.gz</loc></sitemap></sitemapindex>", "x")
    assert index.kind == "sitemap_index" and [c.url for c in index.children] == [
        f"{BASE}/s1.xml", f"{BASE}/s2.xml.gz"] and index.links == ()


def test_section_page_links_in_page_order_resolved_against_base():
    page = (b"<html><head><base href='https://news.example/world/'></head><body><nav><a href='/'>Home</a>"
            b"<a href='#top'>top</a></nav><a href='ferry-capsizes-on-lake-tanganyika'>Ferry</a>"
            b"<a href='javascript:void(0)'>menu</a><a href='https://other.example/x'>x</a></body></html>")
    parsed = parse_document(page, f"{BASE}/world")
    assert parsed.kind == "section"
    assert [l.url for l in parsed.links] == [f"{BASE}/", f"{BASE}/world/ferry-capsizes-on-lake-tanganyika",
                                             "javascript:void(0)", "https://other.example/x"]


# --- hostile documents: a clear reason each, nothing expanded, nothing fetched -------------------------------------

BOMB = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><rss version="2.0"><channel><item>'
        b"<title>&lol3;</title><link>https://news.example/a</link></item></channel></rss>")
EXTERNAL = (b'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&xxe;</loc></url></urlset>')


@pytest.mark.parametrize("body, kind, reason", [
    (BOMB, "auto", "the document declares XML entities"),
    (EXTERNAL, "auto", "the document declares XML entities"),
    (b"<?xml version='1.0'?><urlset><url><loc>https://news.example/a</loc></url>", "auto", "malformed XML"),
    (b"<?xml version='1.0'?><rss version='2.0'><channel><item><title>a</titl", "feed", "malformed feed"),
    (b"<!DOCTYPE html><html><body><p>We moved our feed</p></body></html>", "feed",
     "not a feed (the server sent an HTML page)"),
    (b"<!DOCTYPE html><html><body></body></html>", "sitemap", "not a sitemap (the server sent an HTML page)"),
    (b"<?xml version='1.0'?><svg xmlns='http://www.w3.org/2000/svg'></svg>", "auto",
     "not a feed or sitemap (its root element is <svg>)"),
    (b'{"items": []}', "auto", "not a feed (JSON without a JSON Feed version)"),
    (b"\x00\x01\x02binary", "auto", "not a feed, sitemap or web page"),
    (b"\x1f\x8b\x08\x00garbage", "auto", "broken gzip data"),
    (urlset("<url><loc>https://news.example/a</loc></url>"), "feed", "not a feed (the server sent a sitemap)"),
])
def test_hostile_documents_are_refused_with_a_reason(body, kind, reason):
    with pytest.raises(DocumentProblem) as caught:
        parse_document(body, f"{BASE}/doc", kind)
    assert str(caught.value).startswith(reason), str(caught.value)


def test_a_gzip_bomb_stops_at_the_cap_without_inflating_it_all():
    bomb = gzip.compress(bytes(200 * 1024 * 1024), compresslevel=9)  # 200 MB of zeros in about 200 KB
    tracemalloc.start()
    try:
        with pytest.raises(DocumentProblem, match="larger than 1 MB after decompression"):
            gunzip_bounded(bomb, 1024 * 1024)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024 * 1024, peak


def test_a_sitemap_bomb_is_refused_by_the_default_cap():
    bomb = gzip.compress(b"<urlset>" + b" " * (60 * 1024 * 1024) + b"</urlset>")
    with pytest.raises(DocumentProblem, match="compressed document larger than 50 MB after decompression"):
        parse_document(bomb, f"{BASE}/sitemap.xml.gz")


MEMORY_PROBE = """
import resource, sys
from factwatch.discover.documents import parse_document
entries = "".join(f"<url><loc>https://news.example/story-{i}</loc><lastmod>2024-03-14</lastmod></url>"
                  for i in range(int(sys.argv[1])))
body = ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">' + entries
        + "</urlset>").encode()
del entries
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
parsed = parse_document(body, "https://news.example/sitemap.xml")
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(len(parsed.links), parsed.note, (after - before) // 1024)
"""


def test_a_sitemap_of_more_than_50000_urls_reads_the_first_50000_in_bounded_memory():
    done = subprocess.run([sys.executable, "-c", MEMORY_PROBE, "60000"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    count, note, grown_mb = done.stdout.split(" ", 1)[0], done.stdout.split(" ", 1)[1].rsplit(" ", 1)[0], \
        int(done.stdout.rsplit(" ", 1)[1])
    assert count == "50000" and note == "only the first 50000 entries were read"
    # 50,000 Link values and their strings take about 30 MB; the parsed tree must not add a copy of the document's
    # ~4 MB per thousand entries (elements are freed as they are read).
    assert grown_mb < 80, grown_mb


# --- links: normalisation, safety, site, article-ness ----------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    ("HTTPS://News.Example:443/world/story?utm_source=rss&b=2&a=1#comments", "https://news.example/world/story?a=1&b=2"),
    ("https://news.example", "https://news.example/"),
    ("  https://news.example/a  ", "https://news.example/a"),
])
def test_normalisation_gives_one_spelling(raw, expected):
    assert normalise_url(raw) == expected


@pytest.mark.parametrize("raw, reason", [
    ("javascript:alert(document.cookie)", "only http and https URLs are fetched, not javascript:"),
    ("data:text/html,<script>", "only http and https URLs are fetched, not data:"),
    ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
    ("http://10.0.0.7/world/story", "10.0.0.7 is a private network address"),
    ("http://localhost/world/story", "localhost is a loopback address"),
    ("https://evil.example/world/story", "links to another site (evil.example), not news.example"),
    ("https://news.example/audio/bulletin.mp3", "a file, not a web page (.mp3)"),
    ("https://news.example/" + "a" * 3000, "link longer than 2048 characters"),
    ("", "empty link"),
])
def test_links_that_may_not_become_watches_say_why(raw, reason):
    assert judge_link(raw, ("news.example",), allow_private=False)[1] == reason


def test_subdomains_and_extra_sites_are_allowed():
    assert judge_link("https://www.news.example/a", ("news.example",), False) == ("https://www.news.example/a", None)
    assert judge_link("https://news.example.co.uk/a", ("news.example", "news.example.co.uk"), False)[1] is None


@pytest.mark.parametrize("url, article", [
    ("https://news.example/world/2024/03/14/ferry", True),
    ("https://news.example/world/ferry-capsizes-on-lake-tanganyika", True),
    ("https://news.example/news/world-africa-68512345", True),
    ("https://news.example/news/ferry.html", True),
    ("https://news.example/article?id=123456", True),
    ("https://news.example/world", False),
    ("https://news.example/", False),
    ("https://news.example/tag/ferry-disasters-in-east-africa", False),
    ("https://news.example/author/jane-doe", False),
    ("https://news.example/world/page/2", False),
    ("https://news.example/about-us", False),
    ("https://news.example/world/feed", False),
])
def test_article_url_heuristics(url, article):
    assert looks_like_article(url, "https://news.example/world") is article


@given(st.text(max_size=300))
def test_judging_any_text_never_crashes_and_accepts_only_safe_on_site_urls(text):
    url, problem = judge_link(text, ("news.example",), False)
    if problem is None:
        assert url.startswith(("http://", "https://")) and "news.example" in url


# --- choosing what to watch ------------------------------------------------------------------------------------

def found(*links: Link, found_in: str = f"{BASE}/feed.xml", p: SourcePolicy | None = None) -> list[Found]:
    return judge_found(p or policy(), links, found_in)


def test_selection_takes_newest_first_up_to_the_cap_and_says_why_for_the_rest():
    links = [Link(f"{BASE}/story-{i}", NOW - timedelta(hours=i)) for i in range(6)]
    links += [Link(f"{BASE}/old", NOW - timedelta(days=3)), Link("javascript:x"), Link(f"{BASE}/story-0?utm_source=x")]
    chosen = select_links(policy(max_new=3), found(*reversed(links)), {}, NOW, decided=set(), known={f"{BASE}/story-5"})
    assert chosen.watched == (f"{BASE}/story-0", f"{BASE}/story-1", f"{BASE}/story-2")
    assert chosen.over_cap == 2  # story-3 and story-4 wait for the next run
    outcomes = {d.url: (d.outcome, d.reason) for d in chosen.decisions}
    assert outcomes[f"{BASE}/story-5"] == ("known", "already watched or checked")
    assert outcomes[f"{BASE}/old"] == ("too_old", "published 2024-03-11 12:00 UTC, more than 2 days ago")
    assert outcomes["javascript:x"][0] == "rejected"
    assert len(chosen.decisions) == 6  # the utm_ duplicate of story-0 is the same article


def test_what_a_source_decided_before_is_not_decided_again():
    links = found(Link(f"{BASE}/a", NOW), Link("javascript:x"))
    again = select_links(policy(), links, {}, NOW, decided={f"{BASE}/a", "javascript:x"}, known=set())
    assert again.decisions == () and again.watched == () and again.over_cap == 0


def test_undated_sitemap_entries_are_not_watched_but_undated_section_links_are():
    sitemap = f"{BASE}/sitemap.xml"
    section = f"{BASE}/world"
    links = found(Link(f"{BASE}/world/ferry-capsizes-on-the-lake"), found_in=sitemap)
    links += found(Link(f"{BASE}/world/bus-crash-kills-twelve-people"), Link(f"{BASE}/world/page/2"),
                   found_in=section)
    chosen = select_links(policy(), links, {sitemap: "sitemap", section: "section"}, NOW, set(), set())
    assert [(d.url, d.outcome) for d in chosen.decisions] == [
        (f"{BASE}/world/ferry-capsizes-on-the-lake", "undated"), (f"{BASE}/world/bus-crash-kills-twelve-people", "watched")]
    assert chosen.skipped == 1  # pagination is not an article, and not recorded


# --- the source's own URL filters ------------------------------------------------------------------------------

@pytest.mark.parametrize("url, include, exclude, problem", [
    (f"{BASE}/world/ferry", None, None, None),
    (f"{BASE}/world/ferry", "/world/", None, None),
    (f"{BASE}/sport/final", "/world/", None, "does not match --include '/world/'"),
    (f"{BASE}/world/live/ferry", "/world/", "/live/", "matches --exclude '/live/'"),
    (f"{BASE}/world/ferry", None, r"\?page=", None),
])
def test_url_filters_say_in_plain_words_why_they_refuse(url, include, exclude, problem):
    assert filter_problem(url, include, exclude) == problem


def test_a_bad_pattern_is_named_with_its_option():
    assert check_pattern("--include", None) is None and check_pattern("--include", "/world/") == "/world/"
    with pytest.raises(BadPattern, match=r"--exclude '\(live' is not a valid regular expression"):
        check_pattern("--exclude", "(live")


def test_filters_apply_to_feed_and_sitemap_links_and_to_section_articles_only():
    feed, section = f"{BASE}/feed.xml", f"{BASE}/world"
    links = found(Link(f"{BASE}/world/ferry-capsizes", NOW), Link(f"{BASE}/sport/cup-final-report", NOW),
                  Link(f"{BASE}/world/live/ferry-rescue-updates", NOW), found_in=feed)
    links += found(Link(f"{BASE}/world/bus-crash-kills-twelve-people"), Link(f"{BASE}/sport/page/2"),
                   Link(f"{BASE}/sport/tennis-star-wins-her-first-title"), found_in=section)
    chosen = select_links(policy(include="/world/", exclude="/live/"), links, {feed: "rss", section: "section"},
                          NOW, set(), set())
    assert chosen.watched == (f"{BASE}/world/ferry-capsizes", f"{BASE}/world/bus-crash-kills-twelve-people")
    assert {d.url: d.reason for d in chosen.decisions if d.outcome == "rejected"} == {
        f"{BASE}/sport/cup-final-report": "does not match --include '/world/'",
        f"{BASE}/world/live/ferry-rescue-updates": "matches --exclude '/live/'",
        f"{BASE}/sport/tennis-star-wins-her-first-title": "does not match --include '/world/'"}
    assert chosen.skipped == 1  # pagination is not an article: skipped before the filters, not recorded


@pytest.mark.parametrize("last_read_minutes_ago, every_minutes, due", [
    (None, 10, True),          # never read
    (10, 10, True),
    (9.5, 10, True),           # read a few seconds after the last tick of a 10-minute schedule
    (8, 10, False),
    (59, 60, True), (50, 60, False),
    (0.95, 1, True), (0.8, 1, False),  # the slack is a tenth of a short cadence
])
def test_a_source_is_due_once_its_cadence_has_passed_less_a_little_slack(last_read_minutes_ago, every_minutes, due):
    last = None if last_read_minutes_ago is None else NOW - timedelta(minutes=last_read_minutes_ago)
    assert source_is_due(last, every_minutes * 60, NOW) is due


def test_a_page_announces_its_feeds_with_link_rel_alternate():
    page = (b"<!DOCTYPE html><html><head><title>News</title>"
            b"<link rel='alternate' type='application/rss+xml' title='All' href='/rss.xml'>"
            b"<link rel='alternate' type='application/atom+xml' href='https://news.example/atom.xml'>"
            b"<link rel='Alternate' type='application/feed+json; charset=utf-8' href='feed.json'>"
            b"<link rel='alternate' type='application/rss+xml' href='/rss.xml'>"
            b"<link rel='alternate' hreflang='fr' href='/fr/'><link rel='stylesheet' type='text/css' href='/s.css'>"
            b"</head><body><a href='/world/ferry-capsizes-on-lake'>Ferry</a></body></html>")
    parsed = parse_document(page, f"{BASE}/news/", "auto")
    assert parsed.kind == "section" and [link.url for link in parsed.links] == [f"{BASE}/world/ferry-capsizes-on-lake"]
    assert parsed.announced == (f"{BASE}/rss.xml", f"{BASE}/atom.xml", f"{BASE}/news/feed.json")
    assert parse_document(b"<html><body><a href='/a'>a</a></body></html>", BASE, "auto").announced == ()


# --- discovered watches start their cadence from the listed publication date ---------------------------------

@pytest.mark.parametrize("listed_ago, interval", [
    (None, timedelta(minutes=15)),                   # added by hand: as young as the watch
    (timedelta(minutes=10), timedelta(minutes=15)),
    (timedelta(hours=3 * 24 + 1), timedelta(hours=6)),  # three days old when discovered
    (timedelta(days=40), None),                      # quiet for longer than STOP_AFTER
    (-timedelta(hours=5), timedelta(minutes=15)),    # a date in the future counts from when it was added
])
def test_a_discovered_watch_is_as_old_as_its_listed_publication_date(listed_ago, interval):
    listed = None if listed_ago is None else NOW - listed_ago
    assert check_interval(WatchTiming("u", added_at=NOW, listed_at=listed), NOW) == interval


def test_a_change_after_the_first_version_makes_a_discovered_watch_young_again():
    timing = WatchTiming("u", added_at=NOW - timedelta(hours=1), listed_at=NOW - timedelta(days=3),
                         last_changed_at=NOW - timedelta(minutes=5))
    assert check_interval(timing, NOW) == timedelta(minutes=15)
