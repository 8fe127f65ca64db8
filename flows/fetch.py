"""HTTP fetching: one requests.Session, typed errors, conditional GET, limits.

`Fetcher.fetch` returns a FetchResult or raises a FetchError subclass; the
Prefect layer decides about retries (transient errors only).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone

import requests

from flows import __version__

log = logging.getLogger(__name__)

USER_AGENT = f"factwatch/{__version__} (+https://github.com/factwatch/factwatch; news fact-change monitor)"


class FetchError(Exception):
    """A fetch did not produce an HTML page."""

    transient = False
    outcome = "error"
    status: int | None = None
    retry_after: float | None = None


class FetchTransient(FetchError):
    """A temporary failure worth retrying later (timeout, reset, 5xx, 429)."""

    transient = True


class FetchPermanent(FetchError):
    """A failure that retrying will not fix (4xx, not HTML, too large)."""


class FetchRefused(FetchError):
    """factwatch refused the URL before any request (scheme, address, robots)."""

    outcome = "refused"


class FetchTooLarge(FetchPermanent):
    """Body exceeded the size limit."""


class NotHTML(FetchPermanent):
    """The server answered with something that is not an HTML page."""


@dataclass(frozen=True, slots=True)
class FetchSettings:
    """How politely and how defensively to fetch."""

    timeout: float = 20.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    user_agent: str = USER_AGENT
    allow_private_networks: bool = False
    host_delay: float = 1.0
    respect_robots: bool = True


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What one HTTP fetch produced: a page, or a 304 Not Modified."""

    url: str
    final_url: str
    status: int
    not_modified: bool
    html: str | None
    encoding: str | None
    etag: str | None
    last_modified: str | None
    fetched_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    elapsed_ms: int = 0


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
HTML_TYPES = ("text/html", "application/xhtml+xml")


def decode_body(body: bytes, header_charset: str | None) -> tuple[str, str]:
    """Decode a page: charset from the header, then the page, then detection."""
    candidates = []
    if header_charset:
        candidates.append(header_charset)
    match = _META_CHARSET.search(body[:4096])
    if match:
        candidates.append(match.group(1).decode("ascii", "ignore"))
    for name in candidates:
        try:
            return body.decode(name), name.lower()
        except (LookupError, UnicodeDecodeError):
            continue
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(body).best()
        if best is not None:
            return str(best), best.encoding
        return body.decode("utf-8", "replace"), "utf-8"


class Fetcher:
    """Fetches pages with one session; safe to share across threads."""

    def __init__(self, settings: FetchSettings | None = None) -> None:
        self.settings = settings or FetchSettings()
        self.session = requests.Session()
        self.session.headers["User-Agent"] = self.settings.user_agent
        self.session.max_redirects = self.settings.max_redirects

    def fetch(self, url: str, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        """GET `url` conditionally; raise a FetchError subclass on failure."""
        started = datetime.now(timezone.utc)
        headers = {"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            response = self.session.get(url, headers=headers, timeout=self.settings.timeout, stream=True)
        except requests.TooManyRedirects as exc:
            raise FetchPermanent(f"more than {self.settings.max_redirects} redirects") from exc
        except requests.Timeout as exc:
            raise FetchTransient(f"no answer within {self.settings.timeout:g} s") from exc
        except requests.ConnectionError as exc:
            raise FetchTransient("could not connect or the connection was reset") from exc
        with response:
            return self._read(url, response, started)

    def _read(self, url: str, response: requests.Response, started: datetime) -> FetchResult:
        status = response.status_code
        elapsed = int((datetime.now(timezone.utc) - started).total_seconds() * 1000)
        if status == 304:
            return FetchResult(url, response.url, 304, True, None, None,
                               response.headers.get("ETag"), response.headers.get("Last-Modified"), started, elapsed)
        if status >= 400:
            error = (FetchTransient if status >= 500 or status == 429 else FetchPermanent)(f"HTTP {status}")
            error.status = status
            raise error
        ctype = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if ctype and ctype not in HTML_TYPES:
            error = NotHTML(f"not an HTML page (Content-Type {ctype})")
            error.status = status
            raise error
        body = bytearray()
        for chunk in response.iter_content(64 * 1024):
            body.extend(chunk)
            if len(body) > self.settings.max_bytes:
                error = FetchTooLarge(f"page larger than {self.settings.max_bytes} bytes")
                error.status = status
                raise error
        html, encoding = decode_body(bytes(body), response.encoding if "charset" in
                                     response.headers.get("Content-Type", "").lower() else None)
        return FetchResult(url, response.url, status, False, html, encoding,
                           response.headers.get("ETag"), response.headers.get("Last-Modified"), started, elapsed)
