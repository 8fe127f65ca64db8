"""The fetcher against a real, misbehaving loopback server: every failure has a plain reason."""

from __future__ import annotations

import gc
import pickle
import time
import tracemalloc
from concurrent.futures import ThreadPoolExecutor

import pytest
from hostile_server import (  # noqa: F401 -- hostile_server is a fixture
    conditional,
    garbage_status_line,
    hostile_server,
    install_menagerie,
    never_answer,
    redirect_to,
    reset_before_answer,
    reset_mid_body,
    serve_gzip,
    serve_gzip_bomb,
    slow_drip,
)

from factwatch.net.fetch import (
    FetchError,
    Fetcher,
    FetchPermanent,
    FetchSettings,
    FetchTooLarge,
    FetchTransient,
    NotHTML,
)

PAGE = "<html><head><title>Flood</title></head><body><p>Thirteen people died.</p></body></html>"


def fetcher(**overrides) -> Fetcher:
    """A fetcher for loopback tests: private networks allowed, no politeness delay."""
    settings = dict(allow_private_networks=True, host_delay=0.0, timeout=2.0)
    settings.update(overrides)
    return Fetcher(FetchSettings(**settings))


def test_good_page(hostile_server):
    url = hostile_server.page("/story", PAGE, headers={"ETag": '"v1"', "Last-Modified": "Mon, 01 Jan 2024 00:00:00 GMT"})
    result = fetcher().fetch(url)
    assert (result.status, result.not_modified, result.html, result.encoding) == (200, False, PAGE, "utf-8")
    assert (result.etag, result.last_modified) == ('"v1"', "Mon, 01 Jan 2024 00:00:00 GMT")
    assert result.final_url == url and result.content_type == "text/html"
    seen = hostile_server.requests_for("/story")[0]
    assert seen.headers["User-Agent"].startswith("factwatch/")


def test_gzip_page_is_decoded(hostile_server):
    url = hostile_server.route("/gz", serve_gzip(PAGE))
    assert fetcher().fetch(url).html == PAGE


def test_conditional_get_returns_not_modified(hostile_server):
    date = "Mon, 01 Jan 2024 00:00:00 GMT"
    url = hostile_server.route("/c", conditional('"v7"', date, PAGE))
    f = fetcher()
    first = f.fetch(url)
    again = f.fetch(url, etag=first.etag, last_modified=first.last_modified)
    assert again.not_modified and again.status == 304 and again.html is None
    assert (again.etag, again.last_modified) == ('"v7"', date)  # kept when the 304 omits one
    seen = hostile_server.requests_for("/c")[1].headers
    assert seen["If-None-Match"] == '"v7"' and seen["If-Modified-Since"] == date


@pytest.mark.parametrize("status, kind, words", [
    (404, FetchPermanent, "HTTP 404 Not Found"),
    (410, FetchPermanent, "HTTP 410 Gone"),
    (403, FetchPermanent, "HTTP 403 Forbidden"),
    (500, FetchTransient, "HTTP 500 Internal Server Error"),
    (503, FetchTransient, "HTTP 503 Service Unavailable"),
    (599, FetchTransient, "HTTP 599"),
])
def test_http_errors_are_classified(hostile_server, status, kind, words):
    url = hostile_server.page("/e", "<html>no</html>", status=status)
    with pytest.raises(kind) as caught:
        fetcher().fetch(url)
    assert str(caught.value) == words and caught.value.status == status
    assert caught.value.transient is (kind is FetchTransient)


def test_429_retry_after_seconds(hostile_server):
    url = hostile_server.page("/busy", "slow down", status=429, headers={"Retry-After": "120"})
    with pytest.raises(FetchTransient) as caught:
        fetcher().fetch(url)
    assert caught.value.retry_after == 120.0 and caught.value.status == 429
    assert str(caught.value) == "HTTP 429 Too Many Requests (retry after 120 s)"


def test_503_retry_after_http_date(hostile_server):
    url = hostile_server.page("/down", "", status=503, headers={"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"})
    with pytest.raises(FetchTransient) as caught:
        fetcher().fetch(url)
    assert caught.value.retry_after == 0.0  # a date in the past means "now"


def test_connection_reset_mid_body_is_transient(hostile_server):
    url = hostile_server.route("/reset", reset_mid_body)
    with pytest.raises(FetchTransient, match="connection reset while reading the page") as caught:
        fetcher().fetch(url)
    assert caught.value.status == 200


def test_connection_reset_before_answer_is_transient(hostile_server):
    url = hostile_server.route("/rst", reset_before_answer)
    with pytest.raises(FetchTransient, match="connection reset or closed before an answer"):
        fetcher().fetch(url)


def test_garbage_instead_of_http_is_transient(hostile_server):
    url = hostile_server.route("/junk", garbage_status_line)
    with pytest.raises(FetchTransient):
        fetcher().fetch(url)


def test_server_that_never_answers_times_out(hostile_server):
    url = hostile_server.route("/hang", never_answer)
    started = time.monotonic()
    with pytest.raises(FetchTransient, match=r"^no answer within 0.3 s$"):
        fetcher(timeout=0.3).fetch(url)
    assert time.monotonic() - started < 2


def test_slow_drip_is_cut_off_by_the_read_deadline(hostile_server):
    url = hostile_server.route("/drip", slow_drip)
    with pytest.raises(FetchTransient, match="page still arriving after 0.5 s"):
        fetcher(read_deadline=0.5).fetch(url)


def test_redirects_are_followed(hostile_server):
    hostile_server.page("/final", PAGE)
    hostile_server.route("/moved", redirect_to("/final", 301))
    result = fetcher().fetch(hostile_server.url("/moved"))
    assert result.html == PAGE and result.final_url == hostile_server.url("/final")


def test_five_redirects_are_allowed_six_are_not(hostile_server):
    hostile_server.page("/hop6", PAGE)
    for i in range(6):
        hostile_server.route(f"/hop{i}", redirect_to(f"/hop{i + 1}"))
    assert fetcher().fetch(hostile_server.url("/hop1")).html == PAGE
    with pytest.raises(FetchPermanent, match="^more than 5 redirects$"):
        fetcher().fetch(hostile_server.url("/hop0"))
    assert hostile_server.requests_for("/hop6") and len(hostile_server.requests_for("/hop5")) == 2


def test_redirect_loop_is_permanent(hostile_server):
    hostile_server.route("/a", redirect_to("/b"))
    hostile_server.route("/b", redirect_to("/a"))
    with pytest.raises(FetchPermanent, match="^redirect loop at http://127.0.0.1:.*/a$"):
        fetcher().fetch(hostile_server.url("/a"))
    assert len(hostile_server.requests_for("/a")) == 1


def test_cookie_bounce_is_not_a_loop(hostile_server):
    def gate(h):
        if "seen=1" in h.headers.get("Cookie", ""):
            h.send(200, PAGE.encode(), {"Content-Type": "text/html"})
        else:
            h.send(302, b"", {"Location": "/consent"})
    hostile_server.route("/gated", gate)
    hostile_server.route("/consent", lambda h: h.send(302, b"", {"Location": "/gated", "Set-Cookie": "seen=1; Path=/"}))
    assert fetcher().fetch(hostile_server.url("/gated")).html == PAGE


def test_redirect_without_location_is_permanent(hostile_server):
    url = hostile_server.page("/nowhere", "", status=302)
    with pytest.raises(FetchPermanent, match="^HTTP 302 Found without a Location header$"):
        fetcher().fetch(url)


@pytest.mark.parametrize("ctype", ["application/pdf", "image/png", "application/json", "text/plain"])
def test_non_html_is_refused_by_content_type(hostile_server, ctype):
    url = hostile_server.page("/file", b"%PDF-1.7 \x00\x01", content_type=ctype)
    with pytest.raises(NotHTML) as caught:
        fetcher().fetch(url)
    assert str(caught.value) == f"not an HTML page (Content-Type {ctype})" and caught.value.status == 200


def test_xhtml_is_accepted(hostile_server):
    url = hostile_server.page("/x", PAGE, content_type="application/xhtml+xml; charset=utf-8")
    assert fetcher().fetch(url).html == PAGE


def test_missing_content_type_accepted_when_body_is_html(hostile_server):
    url = hostile_server.page("/bare", "\n  <!DOCTYPE html>" + PAGE, content_type=None)
    assert "Thirteen" in fetcher().fetch(url).html


def test_missing_content_type_refused_when_body_is_not_html(hostile_server):
    url = hostile_server.page("/bare", '{"json": true}', content_type=None)
    with pytest.raises(NotHTML, match="no Content-Type and the body does not look like HTML"):
        fetcher().fetch(url)


@pytest.mark.parametrize("body", [b"", b"   \r\n\t "])
def test_empty_body_is_permanent(hostile_server, body):
    url = hostile_server.page("/empty", body)
    with pytest.raises(FetchPermanent, match="^empty response body$"):
        fetcher().fetch(url)


def test_garbage_bytes_served_as_html_are_refused(hostile_server):
    url = hostile_server.page("/bin", bytes(range(256)) * 8, content_type="text/html")
    with pytest.raises(NotHTML, match=r"binary content served as text/html"):
        fetcher().fetch(url)


def test_broken_html_is_returned_for_extraction_to_judge(hostile_server):
    broken = "<html><body><p>Toll rises to <b>17</p></div></span><td>"
    url = hostile_server.page("/broken", broken)
    assert fetcher().fetch(url).html == broken


def test_latin1_page_without_declared_charset(hostile_server):
    html = ("<html><head><title>Zürich</title></head><body><p>Le café de Zürich a rouvert ses portes à midi."
            " Selon la police, l'incendie de la Bahnhofstraße a fait treize blessés; l'enquête se poursuit"
            " et les habitants ont été évacués vers l'école voisine.</p></body></html>")
    url = hostile_server.page("/latin", html.encode("latin-1"), content_type="text/html")
    result = fetcher().fetch(url)
    assert "café" in result.html and "Zürich" in result.html and "à midi" in result.html


def test_wrong_declared_charset_utf8_claimed_latin1_sent(hostile_server):
    html = "<html><body><p>Straße in Zürich gesperrt, café geschlossen.</p></body></html>"
    url = hostile_server.page("/liar", html.encode("latin-1"), content_type="text/html; charset=utf-8")
    assert fetcher().fetch(url).html == html


def test_wrong_declared_charset_latin1_claimed_utf8_sent(hostile_server):
    html = "<html><body><p>Le café de Zürich.</p></body></html>"
    url = hostile_server.page("/liar2", html.encode("utf-8"), content_type="text/html; charset=iso-8859-1")
    result = fetcher().fetch(url)
    assert result.html == html and result.encoding == "utf-8"


def test_meta_charset_is_used_when_header_has_none(hostile_server):
    html = '<html><head><meta charset="windows-1251"></head><body><p>Погибли 13 человек</p></body></html>'
    url = hostile_server.page("/ru", html.encode("cp1251"), content_type="text/html")
    result = fetcher().fetch(url)
    assert "Погибли 13 человек" in result.html and result.encoding == "cp1251"


def test_oversized_body_with_content_length(hostile_server):
    url = hostile_server.page("/big", "<html>" + "x" * 5000)
    with pytest.raises(FetchTooLarge, match="^page larger than 1000 bytes$") as caught:
        fetcher(max_bytes=1000).fetch(url)
    assert caught.value.status == 200 and not caught.value.transient


def test_oversized_body_without_content_length(hostile_server):
    body = ("<html>" + "x" * 300_000).encode()
    url = hostile_server.route("/big", lambda h: h.send(200, body, {"Content-Type": "text/html"}, content_length=False))
    with pytest.raises(FetchTooLarge, match="^page larger than 64 KB$"):
        fetcher(max_bytes=64 * 1024).fetch(url)


def test_gzip_bomb_fails_fast_with_bounded_memory(hostile_server):
    url = hostile_server.route("/bomb", serve_gzip_bomb(50))  # 50 MB of zeros in ~50 kB
    f = fetcher(max_bytes=1024 * 1024)
    gc.collect()
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(FetchTooLarge, match="^page larger than 1 MB after decompression$"):
            f.fetch(url)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB while reading a bomb capped at 1 MB"
    assert time.monotonic() - started < 3


def test_shared_fetcher_across_threads(hostile_server):
    hostile_server.page("/robots.txt", "User-agent: *\nDisallow: /private\n", content_type="text/plain")
    for i in range(20):
        hostile_server.page(f"/p{i}", PAGE.replace("Flood", f"Flood {i}"))
    f = fetcher()
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda i: f.fetch(hostile_server.url(f"/p{i}")), range(20)))
    assert [f"Flood {i}" in r.html for i, r in enumerate(results)] == [True] * 20
    assert len(hostile_server.requests_for("/robots.txt")) == 1


def test_same_host_requests_are_spaced(hostile_server):
    hostile_server.page("/s", PAGE)
    f = fetcher(host_delay=0.25)
    with ThreadPoolExecutor(3) as pool:
        list(pool.map(lambda _: f.fetch(hostile_server.url("/s")), range(3)))
    times = sorted(r.at for r in hostile_server.requests_for("/s"))
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert len(gaps) == 2 and min(gaps) >= 0.2, gaps


def test_other_hosts_are_not_held_up_by_spacing(hostile_server):
    hostile_server.page("/s", PAGE)
    f = fetcher(host_delay=5.0, respect_robots=False)
    f.fetch(hostile_server.url("/s"))  # reserves 127.0.0.1 for the next 5 s
    started = time.monotonic()
    f.fetch(f"http://localhost:{hostile_server.port}/s")
    assert time.monotonic() - started < 1.0


@pytest.mark.parametrize("location", [
    "http://[::1", "http://:80/", "///", "http://a b/", "javascript:alert(1)", "\x7f", "http://%zz/",
    "http://127.0.0.1:99999/", "https://[fe80::1%25eth0]/",
])
def test_hostile_location_headers_end_in_a_fetch_error(hostile_server, location):
    url = hostile_server.route("/odd", lambda h: h.send(302, b"", {"Location": location}))
    with pytest.raises(FetchError) as caught:
        fetcher().fetch(url)
    assert str(caught.value)


@pytest.mark.parametrize("robots", [
    bytes(range(256)) * 100,  # garbage
    b"User-agent: *\nDisallow: /nothing\n" + b"# padding\n" * 100_000,  # over 500 KiB: the head counts
])
def test_hostile_robots_txt_does_not_break_fetching(hostile_server, robots):
    hostile_server.page("/robots.txt", robots, content_type="text/plain")
    assert fetcher().fetch(hostile_server.page("/story", PAGE)).html == PAGE


def test_robots_gzip_bomb_is_read_only_up_to_its_cap(hostile_server):
    hostile_server.route("/robots.txt", serve_gzip_bomb(20))
    assert fetcher().fetch(hostile_server.page("/story", PAGE)).html == PAGE


def test_errors_survive_pickling_with_their_details():
    error = pickle.loads(pickle.dumps(FetchTransient("HTTP 429 Too Many Requests", status=429, retry_after=3.0)))
    assert (type(error), str(error), error.status, error.retry_after) == (
        FetchTransient, "HTTP 429 Too Many Requests", 429, 3.0)


def test_connections_are_kept_alive(hostile_server):
    ports = []

    def page(h):
        ports.append(h.client_address[1])
        h.send(200, PAGE.encode(), {"Content-Type": "text/html"})
    hostile_server.route("/k", page)
    f = fetcher()
    for _ in range(3):
        f.fetch(hostile_server.url("/k"))
    assert len(set(ports)) == 1


def test_menagerie_in_one_run_beside_good_pages(hostile_server):
    """Every misbehaviour at once, through one shared fetcher on a thread pool."""
    expected = install_menagerie(hostile_server)
    f = fetcher(timeout=0.5, max_bytes=64 * 1024)

    def outcome(path):
        try:
            f.fetch(hostile_server.url(path))
        except FetchError as exc:
            return exc.outcome, str(exc), exc.transient
        return "ok", None, False

    with ThreadPoolExecutor(8) as pool:
        got = dict(zip(expected, pool.map(outcome, expected)))
    for path, want in expected.items():
        outcome_, error, transient = got[path]
        assert (outcome_, transient) == (want.outcome, want.transient), (path, got[path])
        assert want.error is None or want.error in error, (path, error)
    assert hostile_server.requests_for("/private/page") == []
