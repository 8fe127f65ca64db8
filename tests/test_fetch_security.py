"""What the fetcher refuses to touch, and robots.txt: refused URLs are never requested."""

from __future__ import annotations

import logging
import socket

import pytest
import requests
from hostile_server import hostile_server, redirect_to  # noqa: F401 -- hostile_server is a fixture

from factwatch.net import guard as netguard
from factwatch.net.fetch import Fetcher, FetchPermanent, FetchRefused, FetchSettings, FetchTransient, validate_url

PAGE = "<html><body><p>Thirteen people died.</p></body></html>"


def fetcher(**overrides) -> Fetcher:
    settings = dict(allow_private_networks=True, host_delay=0.0, timeout=2.0)
    settings.update(overrides)
    return Fetcher(FetchSettings(**settings))


@pytest.mark.parametrize("url, reason", [
    ("file:///etc/passwd", "refused: only http and https URLs are fetched, not file:"),
    ("ftp://example.com/a.html", "refused: only http and https URLs are fetched, not ftp:"),
    ("gopher://example.com/", "refused: only http and https URLs are fetched, not gopher:"),
    ("javascript:alert(1)", "refused: only http and https URLs are fetched, not javascript:"),
    ("example.com/news", "refused: only http and https URLs are fetched, not this"),
    ("http:///nohost", "refused: the URL has no host"),
    ("http://example.com:99999/", "refused: not a valid URL"),
    ("http://169.254.169.254/latest/meta-data/", "refused: 169.254.169.254 is a link-local address"),
    ("http://[fe80::1]/", "refused: fe80::1 is a link-local address"),
    ("http://2852039166/", "refused: 169.254.169.254 is a link-local address"),
    ("http://0xa9.0xfe.0xa9.0xfe/", "refused: 169.254.169.254 is a link-local address"),
    ("http://[::ffff:169.254.169.254]/", "refused: 169.254.169.254 is a link-local address"),
    ("http://[fd00:ec2::254]/", "refused: fd00:ec2::254 is a cloud metadata address"),
])
def test_always_refused_even_with_private_networks_allowed(url, reason):
    with pytest.raises(FetchRefused) as caught:
        validate_url(url, allow_private=True)
    assert str(caught.value) == reason and caught.value.outcome == "refused"
    with pytest.raises(FetchRefused, match=reason.replace("[", r"\[").replace("(", r"\(")):
        fetcher().fetch(url)


@pytest.mark.parametrize("url, reason", [
    ("http://127.0.0.1/", "127.0.0.1 is a loopback address"),
    ("http://127.1/", "127.0.0.1 is a loopback address"),
    ("http://localhost:8080/", "localhost is a loopback address"),
    ("http://[::1]/", "::1 is a loopback address"),
    ("http://10.1.2.3/", "10.1.2.3 is a private network address"),
    ("http://192.168.0.1/", "192.168.0.1 is a private network address"),
    ("http://172.16.0.1/", "172.16.0.1 is a private network address"),
    ("http://[fd12::1]/", "fd12::1 is a private network address"),
    ("http://0.0.0.0/", "0.0.0.0 is an unspecified address"),
    ("http://224.0.0.1/", "224.0.0.1 is a multicast address"),
    ("http://100.64.0.1/", "100.64.0.1 is not a public address"),
])
def test_private_networks_refused_unless_allowed(url, reason):
    with pytest.raises(FetchRefused, match=f"^refused: {reason}$".replace("[", r"\[")):
        validate_url(url, allow_private=False)
    assert validate_url(url, allow_private=True) == url


def test_public_urls_pass_validation():
    assert validate_url("  https://example.com/news?id=1  ", allow_private=False) == "https://example.com/news?id=1"


def test_loopback_refused_without_opt_in_and_never_connected(hostile_server):
    url = hostile_server.page("/story", PAGE)
    with pytest.raises(FetchRefused, match="^refused: 127.0.0.1 is a loopback address$"):
        fetcher(allow_private_networks=False).fetch(url)
    assert hostile_server.seen == []


def test_hostname_resolving_to_private_address_is_refused(hostile_server, monkeypatch):
    monkeypatch.setattr(socket, "getaddrinfo", _fake_dns({"news.example": "10.9.8.7"}))
    with pytest.raises(FetchRefused, match="^refused: news.example resolves to 10.9.8.7, a private network address$"):
        fetcher(allow_private_networks=False).fetch("http://news.example/story")


def test_redirect_to_metadata_address_is_refused(hostile_server):
    url = hostile_server.route("/go", redirect_to("http://169.254.169.254/latest/meta-data/iam"))
    with pytest.raises(FetchRefused, match=r"^refused: 169.254.169.254 is a link-local address \(redirect target\)$"):
        fetcher().fetch(url)


def test_redirect_to_other_scheme_is_refused(hostile_server):
    url = hostile_server.route("/go", redirect_to("file:///etc/passwd"))
    with pytest.raises(FetchRefused, match="not file:"):
        fetcher().fetch(url)


def test_dns_rebinding_is_caught_at_connect_time(hostile_server, monkeypatch):
    """The up-front lookup says public; the lookup urllib3 makes lands on loopback."""
    hostile_server.page("/story", PAGE)
    answers = iter(["93.184.216.34", "127.0.0.1"])
    real = socket.getaddrinfo

    def rebinding(host, port, *args, **kwargs):
        if host == "rebind.example":
            return real(next(answers), port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    f = fetcher(allow_private_networks=False, respect_robots=False)
    with pytest.raises(FetchRefused, match="^refused: 127.0.0.1 is a loopback address$"):
        f.fetch(f"http://rebind.example:{hostile_server.port}/story")
    assert hostile_server.seen == []


def test_guarded_adapter_checks_the_connected_peer(hostile_server):
    """The socket-level guard on its own, without the fetcher's earlier checks."""
    url = hostile_server.page("/story", PAGE)
    session = requests.Session()
    session.mount("http://", netguard.GuardedAdapter(allow_private=False))
    with pytest.raises(netguard.ForbiddenAddress, match="127.0.0.1 is a loopback address"):
        session.get(url, timeout=2)
    session.mount("http://", netguard.GuardedAdapter(allow_private=True))
    assert session.get(url, timeout=2).text == PAGE
    assert len(hostile_server.seen) == 1


def test_guarded_adapter_checks_https_before_the_tls_handshake(hostile_server):
    """Were the check missing for HTTPS, this would be a TLS error from a plain-HTTP server."""
    session = requests.Session()
    session.mount("https://", netguard.GuardedAdapter(allow_private=False))
    with pytest.raises(netguard.ForbiddenAddress, match="127.0.0.1 is a loopback address"):
        session.get(f"https://127.0.0.1:{hostile_server.port}/", timeout=2)
    assert hostile_server.seen == []


def test_credentials_never_appear_in_errors_or_logs(hostile_server, caplog):
    hostile_server.route("/a", redirect_to("/b"))
    hostile_server.route("/b", redirect_to("/a"))
    caplog.set_level(logging.DEBUG)
    with pytest.raises(FetchPermanent) as caught:
        fetcher().fetch(f"http://reader:s3cret@127.0.0.1:{hostile_server.port}/a")
    assert "s3cret" not in str(caught.value) and "reader" not in str(caught.value)
    assert "s3cret" not in caplog.text
    assert hostile_server.requests_for("/a")[0].headers["Authorization"].startswith("Basic ")


def test_proxy_environment_is_ignored(hostile_server, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", "http://169.254.169.254:3128")
    url = hostile_server.page("/story", PAGE)
    assert fetcher().fetch(url).html == PAGE


# robots.txt --------------------------------------------------------------

ROBOTS = "User-agent: *\nDisallow: /private\n\nUser-agent: factwatch\nDisallow: /private\nDisallow: /members\n"


def test_disallowed_page_is_never_requested(hostile_server):
    hostile_server.page("/robots.txt", ROBOTS, content_type="text/plain")
    url = hostile_server.page("/members/story", PAGE)
    with pytest.raises(FetchRefused, match="^refused by robots.txt$") as caught:
        fetcher().fetch(url)
    assert caught.value.outcome == "refused" and not caught.value.transient
    assert hostile_server.requests_for("/members/story") == []
    assert len(hostile_server.requests_for("/robots.txt")) == 1


def test_robots_is_fetched_once_per_host(hostile_server):
    hostile_server.page("/robots.txt", ROBOTS, content_type="text/plain")
    for path in ("/a", "/b", "/c"):
        hostile_server.page(path, PAGE)
    f = fetcher()
    for path in ("/a", "/b", "/c", "/a"):
        f.fetch(hostile_server.url(path))
    assert len(hostile_server.requests_for("/robots.txt")) == 1


def test_redirect_into_disallowed_path_is_refused(hostile_server):
    hostile_server.page("/robots.txt", ROBOTS, content_type="text/plain")
    hostile_server.page("/private/x", PAGE)
    url = hostile_server.route("/open", redirect_to("/private/x"))
    with pytest.raises(FetchRefused, match="^refused by robots.txt$"):
        fetcher().fetch(url)
    assert hostile_server.requests_for("/private/x") == []


@pytest.mark.parametrize("status", [404, 401, 403, 410])
def test_robots_4xx_allows_everything(hostile_server, status):
    hostile_server.page("/robots.txt", "nope", status=status)
    url = hostile_server.page("/members/story", PAGE)
    assert fetcher().fetch(url).html == PAGE


@pytest.mark.parametrize("status", [500, 503, 429])
def test_robots_5xx_or_429_disallows_for_now(hostile_server, status):
    hostile_server.page("/robots.txt", "down", status=status)
    url = hostile_server.page("/story", PAGE)
    f = fetcher()
    for _ in range(2):
        with pytest.raises(FetchTransient, match=r"^robots.txt unavailable \(HTTP .*\); page not fetched$") as caught:
            f.fetch(url)
        assert 0 < caught.value.retry_after <= 60
    assert hostile_server.requests_for("/story") == []
    assert len(hostile_server.requests_for("/robots.txt")) == 1  # the failure is remembered


def test_robots_unreachable_disallows_for_now():
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(FetchTransient, match=r"^robots.txt unavailable \(connection refused\); page not fetched$"):
        fetcher().fetch(f"http://127.0.0.1:{port}/story")


def test_robots_ignored_when_not_respected(hostile_server):
    hostile_server.page("/robots.txt", "User-agent: *\nDisallow: /\n", content_type="text/plain")
    url = hostile_server.page("/story", PAGE)
    assert fetcher(respect_robots=False).fetch(url).html == PAGE
    assert hostile_server.requests_for("/robots.txt") == []


def test_crawl_delay_is_a_floor_for_spacing(hostile_server):
    hostile_server.page("/robots.txt", "User-agent: *\nCrawl-delay: 0.3\n", content_type="text/plain")
    hostile_server.page("/s", PAGE)
    f = fetcher(host_delay=0.0)
    for _ in range(3):
        f.fetch(hostile_server.url("/s"))
    times = [r.at for r in hostile_server.requests_for("/s")]
    assert min(b - a for a, b in zip(times, times[1:])) >= 0.25


def _fake_dns(table: dict[str, str]):
    real = socket.getaddrinfo

    def lookup(host, port, *args, **kwargs):
        return real(table.get(host, host), port, *args, **kwargs)
    return lookup
