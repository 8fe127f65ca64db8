"""What the network layer hands on: fetch settings, results, typed errors, and their words.

Kept apart from `fetch.py` (the session and the redirect walk) so that the
values and the plain-words reasons can be read, and tested, on their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from http import HTTPStatus

from factwatch import __version__
from factwatch.net.guard import url_problem

USER_AGENT = f"factwatch/{__version__} (+https://github.com/factwatch/factwatch; news fact-change monitor)"
HTML_TYPES = ("text/html", "application/xhtml+xml")
REDIRECT_CODES = (301, 302, 303, 307, 308)
TRANSIENT_4XX = (408, 425, 429)
CHUNK = 64 * 1024



class FetchError(Exception):
    """A fetch did not produce an HTML page; str(error) is the plain-words reason."""

    transient = False
    outcome = "error"
    status: int | None = None
    retry_after: float | None = None

    def __init__(self, message: str, status: int | None = None, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class FetchTransient(FetchError):
    """A temporary failure worth retrying later (timeout, reset, 5xx, 429)."""

    transient = True


class FetchPermanent(FetchError):
    """A failure that retrying will not fix (4xx, redirect loop, not HTML, too large)."""


class FetchRefused(FetchError):
    """factwatch refused the URL before requesting it (scheme, address, robots.txt)."""

    outcome = "refused"


class FetchTooLarge(FetchPermanent):
    """Body exceeded the size limit (counted after decompression)."""


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
    # A slow-drip server can pass every per-read timeout; this bounds the whole body.
    read_deadline: float = 120.0
    robots_ttl: float = 3600.0
    robots_failure_ttl: float = 60.0
    # A site's Crawl-delay is honoured up to this many seconds.
    max_crawl_delay: float = 30.0
    pool_size: int = 32


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
    content_type: str | None = None


def validate_url(url: str, allow_private: bool) -> str:
    """Return `url` stripped, or raise FetchRefused if it may not be fetched (no I/O)."""
    problem = url_problem(url, allow_private)
    if problem:
        raise FetchRefused(f"refused: {problem}")
    return url.strip()


def status_words(status: int) -> str:
    """'HTTP 404 Not Found', from the status code (never the server's own text)."""
    try:
        return f"HTTP {status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"HTTP {status}"


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date)."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


def size_words(n: int) -> str:
    """A byte count in words: '10 MB', '64 KB', '1000 bytes'."""
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):g} MB"
    if n >= 1024:
        return f"{n / 1024:g} KB"
    return f"{n} bytes"


@dataclass(frozen=True, slots=True)
class DocumentResult:
    """What fetching a non-article document (a feed, a sitemap) produced: its bytes, or a 304."""

    url: str
    final_url: str
    status: int
    not_modified: bool
    body: bytes | None
    content_type: str | None
    etag: str | None
    last_modified: str | None
    fetched_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    elapsed_ms: int = 0
