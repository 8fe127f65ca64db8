"""HTTP fetching: one requests.Session, typed errors, conditional GET, limits.

`Fetcher.fetch` returns a FetchResult or raises a FetchError subclass whose
message is a plain-words reason for the fetch log; the Prefect layer
decides about retries (transient errors only).  Nothing here retries.

Redirects are followed by hand so that every hop is checked (scheme,
address, robots.txt, politeness) before it is requested.  Requests go
through the adapter directly rather than `Session.send`, because
`Session.send` reads the whole body of a redirect response into memory.
"""

from __future__ import annotations

import http.cookiejar
import logging
import socket
import threading
import time
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit

import requests
import urllib3.exceptions
from requests.cookies import RequestsCookieJar, extract_cookies_to_jar

from factwatch.net.charset import decode_body, looks_binary, looks_like_html
from factwatch.net.guard import ForbiddenAddress, GuardedAdapter, redact_url, resolution_problem, url_problem
from factwatch.net.model import (
    CHUNK,
    HTML_TYPES,
    DocumentResult,
    REDIRECT_CODES,
    TRANSIENT_4XX,
    USER_AGENT,
    FetchError,
    FetchPermanent,
    FetchRefused,
    FetchResult,
    FetchSettings,
    FetchTooLarge,
    FetchTransient,
    NotHTML,
    parse_retry_after,
    size_words,
    status_words,
    validate_url,
)
from factwatch.net.robots import ROBOTS_MAX_BYTES, HostSpacing, RobotsCache, RobotsResponse

log = logging.getLogger(__name__)

__all__ = [
    "FetchError", "FetchTransient", "FetchPermanent", "FetchRefused", "FetchTooLarge", "NotHTML",
    "FetchSettings", "FetchResult", "Fetcher", "validate_url", "decode_body", "USER_AGENT", "DocumentResult",
]


def _caused_by(exc: BaseException, *types: type[BaseException]) -> bool:
    """Whether `exc` or anything in its cause/context/reason chain is one of `types`."""
    seen: set[int] = set()
    stack: list[BaseException | None] = [exc]
    while stack:
        current = stack.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, types):
            return True
        stack += [current.__cause__, current.__context__, getattr(current, "reason", None)]
        stack += [arg for arg in current.args if isinstance(arg, BaseException)]
    return False


def _network_error(exc: Exception, timeout: float, host: str, reading: bool) -> FetchError:
    """Translate a requests/urllib3/socket error into a FetchError in plain words."""
    if _caused_by(exc, ForbiddenAddress):
        return FetchRefused(f"refused: {_forbidden_reason(exc)}")
    # Before the timeouts: urllib3's NewConnectionError subclasses ConnectTimeoutError.
    if _caused_by(exc, ConnectionRefusedError):
        return FetchTransient("connection refused")
    if _caused_by(exc, urllib3.exceptions.NameResolutionError, socket.gaierror):
        return FetchTransient(f"could not resolve host {host}")
    if isinstance(exc, requests.ConnectTimeout) or _caused_by(exc, urllib3.exceptions.ConnectTimeoutError):
        return FetchTransient(f"could not connect within {timeout:g} s")
    if _caused_by(exc, requests.ReadTimeout, urllib3.exceptions.ReadTimeoutError, TimeoutError, socket.timeout):
        return FetchTransient(f"no answer within {timeout:g} s")
    if _caused_by(exc, urllib3.exceptions.SSLError, requests.exceptions.SSLError):
        return FetchPermanent("TLS handshake failed (certificate not valid or not trusted)")
    if _caused_by(exc, urllib3.exceptions.DecodeError, requests.exceptions.ContentDecodingError):
        return FetchPermanent("could not decompress the page (broken Content-Encoding)")
    if isinstance(exc, (requests.exceptions.InvalidURL, urllib3.exceptions.LocationParseError, ValueError)):
        return FetchPermanent("not a valid URL")
    if reading:
        return FetchTransient("connection reset while reading the page")
    return FetchTransient("connection reset or closed before an answer")


def _forbidden_reason(exc: BaseException) -> str:
    while not isinstance(exc, ForbiddenAddress):
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    return str(exc)


def _keep_connection_if_drained(response: requests.Response) -> None:
    """Let a fully read response return its connection to the pool instead of closing it.

    requests closes the socket of a streamed response whose content it did not
    read itself; ours is read through `raw`, so without this every page (and
    every 304) would pay for a new TCP and TLS handshake.
    """
    raw = response.raw
    if raw is None:
        return
    if response.status_code == 304:  # no body by definition; reading it just marks the end
        raw.read(amt=1)
    if raw.closed:  # closed here means the body was read to its end
        response._content_consumed = True


class Fetcher:
    """Fetches pages with one guarded session; safe to share across threads."""

    def __init__(self, settings: FetchSettings | None = None, stop: threading.Event | None = None) -> None:
        self.settings = settings or FetchSettings()
        # Set when the run is being stopped: waits for a host's turn end at once, and no request starts.
        self._stop = stop or threading.Event()
        self.session = requests.Session()
        # No proxies, .netrc or CA overrides from the environment: a proxy would
        # hide the real peer from the address guard, and .netrc could hand
        # credentials to whatever host a redirect names.
        self.session.trust_env = False
        self.session.headers["User-Agent"] = self.settings.user_agent
        # Cookies live only within one fetch (see _follow); the shared jar keeps none.
        self.session.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
        adapter = GuardedAdapter(self.settings.allow_private_networks, pool_maxsize=self.settings.pool_size)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self._spacing = HostSpacing(sleep=self._stop.wait)
        self._robots = RobotsCache(self._download_robots, self.settings.robots_ttl,
                                   self.settings.robots_failure_ttl)

    def robots_sitemaps(self, url: str) -> tuple[str, ...]:
        """The `Sitemap:` lines of the robots.txt that governs `url` (cached with the rules it also holds)."""
        return self._robots.rules_for(validate_url(url, self.settings.allow_private_networks)).sitemaps()

    def close(self) -> None:
        """Close pooled connections."""
        self.session.close()

    def fetch(self, url: str, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        """GET `url` conditionally; raise a FetchError subclass on failure."""
        started = time.monotonic()
        fetched_at = datetime.now(timezone.utc)
        url, response = self._open(url, "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1", etag, last_modified)
        with response:
            result = self._read_page(url, response, etag, last_modified, fetched_at, started)
            _keep_connection_if_drained(response)
            return result

    def _open(self, url: str, accept: str, etag: str | None, last_modified: str | None) -> tuple[str, requests.Response]:
        """(checked URL, response) of a conditional GET through the guard, robots.txt and redirects."""
        url = validate_url(url, self.settings.allow_private_networks)
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return url, self._follow(url, headers, check_robots=self.settings.respect_robots)

    def _follow(self, url: str, headers: dict[str, str], check_robots: bool) -> requests.Response:
        """Request `url`, following up to max_redirects redirects, each hop checked."""
        jar = RequestsCookieJar()
        visits: dict[str, int] = {}
        current = url
        for hop in range(self.settings.max_redirects + 1):
            visits[current] = len(jar)
            response = self._send(current, headers, jar, check_robots, hop > 0)
            location = response.headers.get("Location") if response.status_code in REDIRECT_CODES else None
            if not location:
                return response
            response.close()
            try:
                target = urljoin(current, location.strip()).partition("#")[0]
            except ValueError:
                raise FetchPermanent("redirect to an invalid URL", status=response.status_code) from None
            log.debug("%s redirects to %s", redact_url(current), redact_url(target))
            # Revisiting a URL is a loop unless a cookie was set meanwhile
            # (sites that bounce through a consent page to set one).
            if visits.get(target) == len(jar):
                raise FetchPermanent(f"redirect loop at {redact_url(target)}", status=response.status_code)
            current = target
        raise FetchPermanent(f"more than {self.settings.max_redirects} redirects", status=response.status_code)

    def _send(self, url: str, headers: dict[str, str], jar: RequestsCookieJar,
              check_robots: bool, is_redirect: bool) -> requests.Response:
        """One checked request: address, robots.txt, spacing, then GET (body not read)."""
        suffix = " (redirect target)" if is_redirect else ""
        problem = url_problem(url, self.settings.allow_private_networks)
        if problem:
            raise FetchRefused(f"refused: {problem}{suffix}")
        parts = urlsplit(url)
        host = parts.hostname or ""
        try:
            problem = resolution_problem(host, parts.port or (443 if parts.scheme == "https" else 80),
                                         self.settings.allow_private_networks)
        except (socket.gaierror, UnicodeError):
            raise FetchTransient(f"could not resolve host {host}") from None
        if problem:
            raise FetchRefused(f"refused: {problem}{suffix}")
        delay = self.settings.host_delay
        if check_robots:
            delay = max(delay, self._check_robots(url))
        self._spacing.wait(host, delay)
        if self._stop.is_set():
            raise FetchTransient("the run was stopped before this page was fetched")
        log.debug("GET %s", redact_url(url))
        try:
            request = self.session.prepare_request(requests.Request("GET", url, headers=headers, cookies=jar))
            response = self.session.get_adapter(request.url).send(
                request, stream=True, timeout=self.settings.timeout, verify=True)
        except (requests.RequestException, urllib3.exceptions.HTTPError, OSError, ValueError,
                ForbiddenAddress) as exc:
            raise _network_error(exc, self.settings.timeout, host, reading=False) from exc
        extract_cookies_to_jar(jar, request, response.raw)
        return response

    def _check_robots(self, url: str) -> float:
        """Raise unless robots.txt allows `url`; return the site's crawl delay."""
        ua = self.settings.user_agent
        rules = self._robots.rules_for(url)
        if rules.unavailable:
            raise FetchTransient(f"{rules.unavailable}; page not fetched",
                                 retry_after=self._robots.seconds_until_retry(url))
        if not rules.allows(url, ua):
            log.info("robots.txt disallows %s", redact_url(url))
            raise FetchRefused("refused by robots.txt")
        return min(rules.crawl_delay(ua), self.settings.max_crawl_delay)

    def _download_robots(self, robots_url: str) -> RobotsResponse:
        """Fetch one robots.txt through the same guarded path as pages."""
        try:
            response = self._follow(robots_url, {"Accept": "text/plain,*/*;q=0.5"}, check_robots=False)
            with response:
                body = b"" if response.status_code >= 300 else self._read_body(response, ROBOTS_MAX_BYTES, False)
            return RobotsResponse(response.status_code, body)
        except FetchError as exc:
            return RobotsResponse(None, problem=str(exc), transient=exc.transient)

    def _read_page(self, url: str, response: requests.Response, etag: str | None,
                   last_modified: str | None, fetched_at: datetime, started: float) -> FetchResult:
        status = response.status_code
        final_url = redact_url(response.url or url)
        if status == 304:
            return FetchResult(url, final_url, 304, True, None, None,
                               response.headers.get("ETag") or etag,
                               response.headers.get("Last-Modified") or last_modified,
                               fetched_at, self._ms_since(started))
        self._raise_for_status(response)
        header_type = response.headers.get("Content-Type", "")
        ctype = header_type.split(";")[0].split(",")[0].strip().lower()
        if ctype and ctype not in HTML_TYPES:
            raise NotHTML(f"not an HTML page (Content-Type {ctype})", status=status)
        body = self._read_body(response, self.settings.max_bytes, True)
        if not body.strip():
            raise FetchPermanent("empty response body", status=status)
        if looks_binary(body):
            raise NotHTML(f"not an HTML page (binary content served as {ctype or 'no Content-Type'})",
                          status=status)
        if not ctype and not looks_like_html(body):
            raise NotHTML("not an HTML page (no Content-Type and the body does not look like HTML)",
                          status=status)
        declared = response.encoding if "charset" in header_type.lower() else None
        html, encoding = decode_body(body, declared)
        return FetchResult(url, final_url, status, False, html, encoding, response.headers.get("ETag"),
                           response.headers.get("Last-Modified"), fetched_at, self._ms_since(started),
                           ctype or None)

    @staticmethod
    def _ms_since(started: float) -> int:
        return int((time.monotonic() - started) * 1000)

    def _raise_for_status(self, response: requests.Response) -> None:
        status = response.status_code
        if 200 <= status < 300:
            return
        words = status_words(status)
        if status >= 500 or status in TRANSIENT_4XX:
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            if retry_after is not None:
                words += f" (retry after {retry_after:.0f} s)"
            raise FetchTransient(words, status=status, retry_after=retry_after)
        if status in REDIRECT_CODES:
            words += " without a Location header"
        raise FetchPermanent(words, status=status)

    def _read_body(self, response: requests.Response, limit: int, strict: bool) -> bytes:
        """Read the decoded body, at most `limit` bytes; over it, raise (strict) or truncate."""
        encoded = response.headers.get("Content-Encoding", "").strip().lower() not in ("", "identity")
        too_large = FetchTooLarge(
            f"page larger than {size_words(limit)}{' after decompression' if encoded else ''}",
            status=response.status_code)
        length = response.headers.get("Content-Length", "")
        if strict and length.isdigit() and int(length) > limit:
            raise too_large
        deadline = time.monotonic() + self.settings.read_deadline
        body = bytearray()
        try:
            # read1 returns whatever has arrived, so the deadline is checked even
            # against a slow drip; urllib3 (>= 2.6) decompresses at most CHUNK
            # bytes per call, so a gzip bomb never expands beyond one chunk.
            while chunk := response.raw.read1(CHUNK, decode_content=True):
                body += chunk
                if len(body) > limit:
                    if strict:
                        raise too_large
                    return bytes(body[:limit])
                if time.monotonic() > deadline:
                    raise FetchTransient(f"page still arriving after {self.settings.read_deadline:g} s",
                                         status=response.status_code)
        except (urllib3.exceptions.HTTPError, requests.RequestException, OSError) as exc:
            error = _network_error(exc, self.settings.timeout, urlsplit(response.url).hostname or "",
                                   reading=True)
            error.status = response.status_code
            raise error from exc
        return bytes(body)

    def fetch_document(self, url: str, etag: str | None = None, last_modified: str | None = None,
                       max_bytes: int | None = None, accept: str = "*/*") -> DocumentResult:
        """GET a feed or sitemap conditionally, as bytes of any type, through the same checks as pages.

        Whether the bytes are a usable document is for the caller's parser to say;
        the size cap (default: the page cap) is counted after transport decompression.
        """
        started = time.monotonic()
        fetched_at = datetime.now(timezone.utc)
        url, response = self._open(url, accept, etag, last_modified)
        with response:
            final_url = redact_url(response.url or url)
            if response.status_code == 304:
                result = DocumentResult(url, final_url, 304, True, None, None,
                                        response.headers.get("ETag") or etag,
                                        response.headers.get("Last-Modified") or last_modified,
                                        fetched_at, self._ms_since(started))
            else:
                self._raise_for_status(response)
                body = self._read_body(response, max_bytes or self.settings.max_bytes, True)
                if not body.strip():
                    raise FetchPermanent("empty response body", status=response.status_code)
                ctype = response.headers.get("Content-Type", "").split(";")[0].strip().lower() or None
                result = DocumentResult(url, final_url, response.status_code, False, body, ctype,
                                        response.headers.get("ETag"), response.headers.get("Last-Modified"),
                                        fetched_at, self._ms_since(started))
            _keep_connection_if_drained(response)
            return result
