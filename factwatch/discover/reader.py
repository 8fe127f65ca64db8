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
from datetime import datetime, timedelta, timezone

from factwatch.discover.documents import parse_document
from factwatch.discover.model import (
    FEED_MAX_BYTES,
    MAX_CHILD_SITEMAPS,
    SECTION_MAX_BYTES,
    SITEMAP_MAX_BYTES,
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


def _children_to_read(policy: SourcePolicy, children: Sequence[ChildSitemap],
                      now: datetime) -> tuple[list[str], list[tuple[str, str]]]:
    """The newest recent child sitemaps to read, and (url, reason) for those refused."""
    oldest = now - timedelta(seconds=policy.max_age_seconds)
    wanted, refused, seen = [], [], {normalise_url(policy.url)}
    recent = [c for c in children if c.modified is None or c.modified >= oldest]
    recent.sort(key=lambda c: (c.modified is None, -(c.modified.timestamp() if c.modified else 0)))
    for child in recent:
        url, problem = judge_link(child.url, policy.allow_hosts, policy.allow_private, pages_only=False)
        if not problem and url in seen:
            problem = "the sitemap index lists itself" if url == normalise_url(policy.url) else "listed twice"
        if problem:
            refused.append((child.url, problem))
            continue
        seen.add(url)
        if len(wanted) < MAX_CHILD_SITEMAPS:
            wanted.append(child.url)
    return wanted, refused


def read_source(fetcher: Fetcher, policy: SourcePolicy, validators: Validators) -> SourceReading:
    """Read one source: its document, and for a sitemap index its newest child sitemaps."""
    check, parsed = read_document(fetcher, policy.source_id, policy.url, policy.kind, validators)
    checks, found = [check], []
    if parsed is None:
        return SourceReading(policy, tuple(checks))
    if parsed.kind != "sitemap_index":
        found += judge_found(policy, parsed.links, policy.url)
        return SourceReading(policy, tuple(checks), tuple(found))
    wanted, refused = _children_to_read(policy, parsed.children, check.checked_at)
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
