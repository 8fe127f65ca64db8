"""The fetcher's pure parts: charset decoding, Retry-After, sizes, the address rules, politeness."""

from __future__ import annotations

import ipaddress
from datetime import datetime, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factwatch.net.fetch import decode_body, looks_binary, looks_like_html, parse_retry_after, size_words, status_words
from factwatch.net.guard import address_problem, redact_url, url_problem
from factwatch.net.robots import HostSpacing, RobotsCache, RobotsResponse, robots_url


@pytest.mark.parametrize("body, header, text, encoding", [
    ("café".encode(), "utf-8", "café", "utf-8"),
    ("café".encode("latin-1"), None, "café", "cp1252"),
    ("café".encode("latin-1"), "utf-8", "café", "cp1252"),  # wrong header: falls through
    ("café".encode(), "iso-8859-1", "café", "utf-8"),  # Latin-1 label on UTF-8 bytes
    ("“quoted” – €5".encode("cp1252"), "iso-8859-1", "“quoted” – €5", "cp1252"),  # browsers read latin-1 as cp1252
    ("café".encode(), "no-such-charset", "café", "utf-8"),
    (b'<meta charset="koi8-r">' + "мир".encode("koi8-r"), None, '<meta charset="koi8-r">мир', "koi8-r"),
    (b"\xef\xbb\xbfhello", "latin-1", "hello", "utf-8-sig"),  # the BOM wins
    ("héllo".encode("utf-16"), None, "héllo", "utf-16"),
])
def test_decode_body(body, header, text, encoding):
    assert decode_body(body, header) == (text, encoding)


ARTICLE = ("<html><head><title>{0}</title></head><body><article><h1>{0}</h1>"
           "<p>{1}</p><p>{1}</p></article></body></html>")


@pytest.mark.parametrize("title, text, codec", [
    ("Zürich", "Im Café an der Bahnhofstraße wurden am Montag 13 Menschen verletzt, "
               "sagte die Polizei. Die Straße blieb gesperrt; Anwohner äußerten Sorge.", "latin-1"),
    ("España", "El niño de Zaragoza pagó 5 € en el café; según la policía, "
               "la investigación continúa y habrá más información mañana.", "cp1252"),
    ("Москва", "В результате пожара погибли 13 человек, сообщили в полиции во вторник; "
               "расследование продолжается, сказал представитель министерства.", "cp1251"),
])
def test_decode_undeclared_article_by_detection(title, text, codec):
    html = ARTICLE.format(title, text)
    assert len(html.encode(codec)) > 256  # long enough that detection, not the default, decides
    assert decode_body(html.encode(codec), None)[0] == html


@given(st.binary(max_size=2000), st.sampled_from([None, "utf-8", "latin-1", "bogus", "utf-16", "shift_jis"]))
def test_decode_body_never_raises(body, header):
    text, encoding = decode_body(body, header)
    assert isinstance(text, str) and encoding


def test_sniffing():
    assert looks_like_html(b"\xef\xbb\xbf\n <!DOCTYPE HTML><p>x")
    assert looks_like_html(b"<div>x</div><body>")
    assert not looks_like_html(b'{"a": 1}')
    assert looks_binary(b"\x89PNG\r\n\x1a\n\x00\x00") and not looks_binary("é".encode("utf-16"))


@pytest.mark.parametrize("value, seconds", [
    ("120", 120.0), (" 0 ", 0.0), ("Wed, 01 Jan 2025 00:02:00 GMT", 120.0),
    ("Tue, 31 Dec 2024 23:00:00 GMT", 0.0), ("soon", None), ("-5", None), ("", None), (None, None),
])
def test_parse_retry_after(value, seconds):
    now = datetime(2025, 1, 1, tzinfo=timezone.utc)
    assert parse_retry_after(value, now) == seconds


@given(st.text(max_size=60))
def test_parse_retry_after_never_raises(value):
    result = parse_retry_after(value)
    assert result is None or result >= 0


def test_words():
    assert status_words(404) == "HTTP 404 Not Found" and status_words(799) == "HTTP 799"
    assert (size_words(10 * 1024 * 1024), size_words(1536), size_words(1000)) == ("10 MB", "1.5 KB", "1000 bytes")


@pytest.mark.parametrize("address, allowed_without_opt_in, allowed_with_opt_in", [
    ("93.184.216.34", True, True),
    ("2606:2800:220:1:248:1893:25c8:1946", True, True),
    ("127.0.0.1", False, True),
    ("10.0.0.1", False, True),
    ("169.254.169.254", False, False),
    ("169.254.0.1", False, False),
    ("fe80::abcd", False, False),
    ("100.100.100.200", False, False),
    ("64:ff9b::a9fe:a9fe", False, False),  # NAT64 to the metadata address
    ("2002:a9fe:a9fe::1", False, False),  # 6to4 to the metadata address
    ("::ffff:10.0.0.1", False, True),
    ("240.0.0.1", False, True),
])
def test_address_rules(address, allowed_without_opt_in, allowed_with_opt_in):
    ip = ipaddress.ip_address(address)
    assert (address_problem(ip, False) is None) is allowed_without_opt_in
    assert (address_problem(ip, True) is None) is allowed_with_opt_in


@given(st.text(max_size=80))
def test_url_problem_never_raises(text):
    problem = url_problem(text, allow_private=False)
    assert problem is None or isinstance(problem, str)


def test_redact_url():
    assert redact_url("https://me:pw@news.example/a?b=1") == "https://news.example/a?b=1"
    assert redact_url("https://news.example/a") == "https://news.example/a"


def test_robots_url_is_per_origin():
    assert robots_url("https://u:p@News.Example:8443/a/b?c") == "https://news.example:8443/robots.txt"


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.now += seconds


def test_host_spacing_reserves_slots_per_host():
    clock = FakeClock()
    spacing = HostSpacing(clock, clock.sleep)
    for host in ("a", "a", "b", "a"):
        spacing.wait(host, 2.0)
    # a: now, +2 s; b: no wait; a: the slot after the second one, which has passed
    assert clock.sleeps == [2.0, 2.0]


def test_robots_cache_expires_and_keeps_a_stale_copy_when_the_site_fails():
    clock = FakeClock()
    answers = [RobotsResponse(200, b"User-agent: *\nDisallow: /x\n"), RobotsResponse(None, problem="no answer")]
    cache = RobotsCache(lambda url: answers.pop(0), ttl=10, failure_ttl=5, clock=clock)
    ua = "factwatch/0"
    assert not cache.rules_for("http://h/x").allows("http://h/x", ua)
    clock.now += 11
    stale = cache.rules_for("http://h/x")  # refresh fails: the old rules stand
    assert stale.unavailable is None and not stale.allows("http://h/x", ua) and stale.allows("http://h/y", ua)
    assert answers == []
