"""Reading sources over HTTP: each document fetched conditionally by the project's Fetcher, then parsed.

One source is its own document plus, for a sitemap index, its newest child
sitemaps. A failure is recorded with its reason and never stops the other
sources; nothing here retries (a source is read again on the next run).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from urllib.parse import urljoin

from factwatch.discover.documents import parse_document
from factwatch.discover.model import (
    FEED_MAX_BYTES,
    MAX_CHILD_SITEMAPS,
    SECTION_MAX_BYTES,
    SITEMAP_MAX_BYTES,
    USUAL_SITEMAPS,
    ChildSitemap,
    DocumentCheck,
    DocumentProblem,
    Parsed,
    SourcePolicy,
    SourceReading,
)
from factwatch.discover.select import judge_found
from factwatch.discover.urls import judge_link, normalise_url
from factwatch.net.fetch import Fetcher, FetchError, FetchTooLarge

log = logging.getLogger(__name__)
ACCEPT = ("application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, "
          "text/xml;q=0.9, text/html;q=0.8, */*;q=0.5")
# (etag, last_modified, body_hash) of a document's last good read, by document URL.
Validators = Mapping[str, tuple[str | None, str | None, str | None]]
_LIMITS = {"feed": FEED_MAX_BYTES, "section": SECTION_MAX_BYTES}


def _limit(kind: str) -> int:
    return _LIMITS.get(kind, SITEMAP_MAX_BYTES)


def read_document(fetcher: Fetcher, source_id: int, url: str, kind: str,
                  validators: Validators) -> tuple[DocumentCheck, Parsed | None]:
    """Fetch and parse one document; the check says what happened, Parsed is None unless it was read."""
    etag, last_modified, old_hash = validators.get(url, (None, None, None))
    now = datetime.now(timezone.utc)
    try:
        got = fetcher.fetch_document(url, etag, last_modified, _limit(kind), ACCEPT)
    except FetchTooLarge as exc:
        return DocumentCheck(source_id, url, now, "error", exc.status,
                             str(exc).replace("page larger", "document larger")), None
    except FetchError as exc:
        return DocumentCheck(source_id, url, now, exc.outcome, exc.status, str(exc)), None
    common = dict(http_status=got.status, elapsed_ms=got.elapsed_ms, etag=got.etag, last_modified=got.last_modified)
    if got.not_modified:
        return DocumentCheck(source_id, url, got.fetched_at, "not_modified", body_hash=old_hash, **common), None
    body_hash = hashlib.sha256(got.body or b"").hexdigest()
    if body_hash == old_hash:
        return DocumentCheck(source_id, url, got.fetched_at, "unchanged", body_hash=body_hash, **common), None
    try:
        parsed = parse_document(got.body or b"", got.final_url or url, kind)
    except DocumentProblem as exc:
        return DocumentCheck(source_id, url, got.fetched_at, "error", got.status, str(exc),
                             elapsed_ms=got.elapsed_ms), None
    except Exception as exc:  # a parser surprise must not sink the other sources: record it
        log.exception("parsing %s failed", url)
        return DocumentCheck(source_id, url, got.fetched_at, "error", got.status,
                             f"internal error while parsing ({type(exc).__name__}: {str(exc)[:200]})"), None
    if parsed.kind == "sitemap_index":
        # Its children change while it stays the same (today's sitemap grows), so an index is always
        # read in full, and each child conditionally.
        common.update(etag=None, last_modified=None)
        body_hash = None
    return DocumentCheck(source_id, url, got.fetched_at, "read", error=parsed.note, doc_kind=parsed.kind,
                         links=len(parsed.links) + len(parsed.children), body_hash=body_hash, **common), parsed


def _children_to_read(policy: SourcePolicy, index_url: str, children: Sequence[ChildSitemap],
                      now: datetime) -> tuple[list[str], list[tuple[str, str]]]:
    """The newest recent child sitemaps of the index at `index_url` to read, and (url, reason) for those refused."""
    oldest = now - timedelta(seconds=policy.max_age_seconds)
    wanted, refused, seen = [], [], {normalise_url(index_url)}
    recent = [c for c in children if c.modified is None or c.modified >= oldest]
    recent.sort(key=lambda c: (c.modified is None, -(c.modified.timestamp() if c.modified else 0)))
    for child in recent:
        url, problem = judge_link(child.url, policy.allow_hosts, policy.allow_private, pages_only=False)
        if not problem and url in seen:
            problem = "the sitemap index lists itself" if url == normalise_url(index_url) else "listed twice"
        if problem:
            refused.append((child.url, problem))
            continue
        seen.add(url)
        if len(wanted) < MAX_CHILD_SITEMAPS:
            wanted.append(child.url)
    return wanted, refused


def read_source(fetcher: Fetcher, policy: SourcePolicy, validators: Validators) -> SourceReading:
    """Read one source: its document, and for a sitemap index its newest child sitemaps.

    An `auto` source whose document is an HTML page is read as a site's home
    page when it leads anywhere (see `_read_site`); otherwise as a section page.
    """
    check, parsed = read_document(fetcher, policy.source_id, policy.url, policy.kind, validators)
    if parsed is None:
        return SourceReading(policy, (check,))
    if policy.kind == "auto" and parsed.kind == "section":
        site = _read_site(fetcher, policy, check, parsed, validators)
        if site is not None:
            return site
    return _read_parsed(fetcher, policy, check, parsed, validators)


def _site_documents(fetcher: Fetcher, policy: SourcePolicy, parsed: Parsed) -> tuple[list, list[tuple[str, str]]]:
    """(url, kind) of the feeds a home page announces and the sitemaps its robots.txt names, and those refused."""
    try:
        sitemaps = fetcher.robots_sitemaps(policy.url)
    except FetchError:
        sitemaps = ()
    wanted, refused, seen = [], [], {normalise_url(policy.url)}
    for raw, kind in [(u, "feed") for u in parsed.announced] + [(u, "sitemap") for u in sitemaps]:
        url, problem = judge_link(raw, policy.allow_hosts, policy.allow_private, pages_only=False)
        if problem:
            refused.append((raw, problem))
        elif url not in seen and len(wanted) < MAX_CHILD_SITEMAPS:
            seen.add(url)
            wanted.append((url, kind))
    return wanted, refused


def _read_site(fetcher: Fetcher, policy: SourcePolicy, check: DocumentCheck, parsed: Parsed,
               validators: Validators) -> SourceReading | None:
    """Read a home page's feeds and robots.txt sitemaps (else the first of the usual sitemap names that
    answers); None when the page leads nowhere, so it is read as a section page.

    The page itself is always fetched in full (its announcements may change), like a sitemap index.
    """
    wanted, refused = _site_documents(fetcher, policy, parsed)
    readings: list[SourceReading] = []
    if not wanted:
        for path in USUAL_SITEMAPS:
            url = urljoin(policy.url, path)
            child_check, child = read_document(fetcher, policy.source_id, url, "sitemap", validators)
            if child_check.outcome in ("read", "not_modified", "unchanged"):
                wanted.append((url, "sitemap"))
                readings.append(_read_parsed(fetcher, policy, child_check, child, validators))
                break
            log.info("no sitemap at %s (%s)", url, child_check.error)
        if not wanted:
            return None
    else:
        for url, kind in wanted:
            child_check, child = read_document(fetcher, policy.source_id, url, kind, validators)
            readings.append(_read_parsed(fetcher, policy, child_check, child, validators))
    home = replace(check, doc_kind="homepage", links=len(wanted), etag=None, last_modified=None, body_hash=None)
    checks = [home] + [DocumentCheck(policy.source_id, url[:2048], check.checked_at, "refused",
                                     error=f"refused: {reason}") for url, reason in refused]
    return SourceReading(policy, tuple(checks) + tuple(c for r in readings for c in r.checks),
                         tuple(f for r in readings for f in r.found))


def _read_parsed(fetcher: Fetcher, policy: SourcePolicy, check: DocumentCheck, parsed: Parsed | None,
                 validators: Validators) -> SourceReading:
    """What one read document gives: its links, or for a sitemap index its newest child sitemaps' links."""
    checks, found = [check], []
    if parsed is None:
        return SourceReading(policy, tuple(checks))
    if parsed.kind != "sitemap_index":
        found += judge_found(policy, parsed.links, check.url)
        return SourceReading(policy, tuple(checks), tuple(found))
    wanted, refused = _children_to_read(policy, check.url, parsed.children, check.checked_at)
    for url, reason in refused:
        checks.append(DocumentCheck(policy.source_id, url[:2048], check.checked_at, "refused",
                                    error=f"refused: {reason}"))
    for url in wanted:
        child_check, child = read_document(fetcher, policy.source_id, url, "sitemap", validators)
        if child is not None and child.kind == "sitemap_index":
            child_check = DocumentCheck(policy.source_id, url, child_check.checked_at, "error", child_check.http_status,
                                        "a sitemap index inside a sitemap index is not followed")
            child = None
        checks.append(child_check)
        found += judge_found(policy, child.links if child else (), url)
    return SourceReading(policy, tuple(checks), tuple(found))


def read_sources(fetcher: Fetcher, policies: Sequence[SourcePolicy], validators: Mapping[int, Validators],
                 threads: int = 8) -> list[SourceReading]:
    """Read many sources at once, with each source's own validators (the Fetcher spaces each host's requests)."""
    if not policies:
        return []
    with ThreadPoolExecutor(max_workers=max(1, min(threads, len(policies)))) as pool:
        return list(pool.map(lambda p: read_source(fetcher, p, validators.get(p.source_id, {})), policies))
