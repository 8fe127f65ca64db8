"""Politeness: robots.txt rules per origin, and spacing between requests per host.

Robots policy (close to Google's, written down because the choices matter):

- 2xx: the file is parsed with protego and obeyed; its Crawl-delay is a
  floor for the spacing between requests to that host.
- 4xx other than 429 (including 401/403): there are no rules; all allowed.
- 429, 5xx or no answer at all: the site is treated as disallowing
  everything *for now*.  The page is not fetched and the fetch fails as a
  transient error, so a later retry or run tries again.  The failure is
  remembered for `failure_ttl` seconds so one sick host is not asked again
  for every article in a batch.  If an earlier copy of the file is known,
  that copy keeps being obeyed instead (stale-if-error).
- A robots.txt that cannot be fetched for a permanent reason (redirect
  loop, refused address) counts as missing: all allowed.  Pages are still
  checked by the address guard on their own.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from protego import Protego

log = logging.getLogger(__name__)

ROBOTS_MAX_BYTES = 500 * 1024  # Google reads the first 500 KiB and ignores the rest


@dataclass(frozen=True, slots=True)
class RobotsResponse:
    """What downloading one robots.txt gave: a status and body, or a problem."""

    status: int | None
    body: bytes = b""
    problem: str | None = None
    transient: bool = True


@dataclass(frozen=True, slots=True)
class RobotsRules:
    """The rules in force for one origin until `expires` (a monotonic time)."""

    parser: Protego | None
    unavailable: str | None
    expires: float

    def allows(self, url: str, user_agent: str) -> bool:
        """Whether `url` may be fetched; False while robots.txt is unavailable."""
        if self.unavailable:
            return False
        return self.parser is None or self.parser.can_fetch(url, user_agent)

    def sitemaps(self) -> tuple[str, ...]:
        """The robots.txt `Sitemap:` lines, as written (none while robots.txt is missing or unavailable)."""
        if self.parser is None or self.unavailable:
            return ()
        return tuple(self.parser.sitemaps)

    def crawl_delay(self, user_agent: str) -> float:
        """The Crawl-delay for `user_agent` in seconds, 0 when none is set."""
        if self.parser is None:
            return 0.0
        return float(self.parser.crawl_delay(user_agent) or 0.0)


def robots_url(url: str) -> str:
    """The robots.txt URL that governs `url` (same scheme, host and port)."""
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2].lower()
    return f"{parts.scheme.lower()}://{host}/robots.txt"


class RobotsCache:
    """robots.txt per origin, downloaded at most once per TTL; thread-safe."""

    def __init__(self, download: Callable[[str], RobotsResponse], ttl: float = 3600.0,
                 failure_ttl: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self._download = download
        self._ttl = ttl
        self._failure_ttl = failure_ttl
        self._clock = clock
        self._rules: dict[str, RobotsRules] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def rules_for(self, url: str) -> RobotsRules:
        """The rules for `url`'s origin, downloading robots.txt if not cached."""
        key = robots_url(url)
        cached = self._rules.get(key)
        if cached is not None and cached.expires > self._clock():
            return cached
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        # One download per origin; other threads for that origin wait for it,
        # threads for other origins do not.
        with lock:
            cached = self._rules.get(key)
            if cached is not None and cached.expires > self._clock():
                return cached
            rules = self._load(key, cached)
            self._rules[key] = rules
            return rules

    def _load(self, key: str, stale: RobotsRules | None) -> RobotsRules:
        response = self._download(key)
        now = self._clock()
        status = response.status
        if status is not None and 200 <= status < 300:
            text = response.body[:ROBOTS_MAX_BYTES].decode("utf-8", "replace")
            return RobotsRules(Protego.parse(text), None, now + self._ttl)
        if (status is not None and 400 <= status < 500 and status != 429) or (
                status is None and not response.transient):
            log.debug("no usable robots.txt at %s (%s): all allowed", key, response.problem or status)
            return RobotsRules(None, None, now + self._ttl)
        reason = response.problem or f"HTTP {status}"
        if stale is not None and stale.unavailable is None:
            log.info("robots.txt at %s unavailable (%s): keeping the previous copy", key, reason)
            return replace(stale, expires=now + self._failure_ttl)
        log.info("robots.txt at %s unavailable (%s): not fetching from that site for now", key, reason)
        return RobotsRules(None, f"robots.txt unavailable ({reason})", now + self._failure_ttl)

    def seconds_until_retry(self, url: str) -> float:
        """How long a cached failure for `url`'s origin still stands."""
        cached = self._rules.get(robots_url(url))
        return max(0.0, cached.expires - self._clock()) if cached else 0.0


class HostSpacing:
    """Keeps request starts to one host `delay` seconds apart; thread-safe.

    Each caller reserves the next free slot under a lock and sleeps outside
    it, so waiting for one host never blocks requests to other hosts.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self._clock = clock
        self._sleep = sleep
        self._next_free: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, host: str, delay: float) -> None:
        """Block until a request to `host` may start, then reserve the slot."""
        if delay <= 0:
            return
        with self._lock:
            now = self._clock()
            slot = max(now, self._next_free.get(host, now))
            self._next_free[host] = slot + delay
            if len(self._next_free) > 4096:
                self._forget_idle(now)
        if slot > now:
            self._sleep(slot - now)

    def _forget_idle(self, now: float) -> None:
        for host in [h for h, t in self._next_free.items() if t < now]:
            del self._next_free[host]
