"""The pipeline's parts without orchestration: fetch a page, extract it, find claims.

The Prefect flows call these; so do the CLI's `claims` command and the
benchmarks. Nothing here touches the database: the writer decides, inside its
transaction, whether a page is a new version and what changed.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

import zstandard

from factwatch.claims import Claim, extract_claims
from factwatch.claims.version import ENGINE_VERSION
from factwatch.extract.article import EXTRACTOR_VERSION, NoArticle, extract_article
from factwatch.net.fetch import Fetcher, FetchError, FetchResult
from factwatch.extract.textnorm import bytes_hash, content_hash

PIPELINE_VERSION = f"{EXTRACTOR_VERSION}+claims-{ENGINE_VERSION}"
# Stored pages are zstd frames at level 3: as small as zlib at level 6 on the benchmark pages (37.0 vs
# 38.0 kB) and about five times faster to make (2 vs 10 ms a page, in the extraction workers, where every
# millisecond is one trafilatura does not get); see benchmarks/bench_storage.py. Pages stored before
# schema version 7 are zlib streams and stay readable.
PAGE_ZSTD_LEVEL = 3
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


def compress_page(html: str, reference: str | None = None) -> bytes:
    """The page as stored: its UTF-8 bytes in one zstd frame, against a reference page when given.

    A later version of an article shares nearly all its markup with the first: with
    the first page as a raw-content dictionary, a version stores in about a fifth of
    the bytes (7.6 vs 38 kB a page on the benchmark pages).
    """
    dictionary = None
    if reference is not None:
        dictionary = zstandard.ZstdCompressionDict(reference.encode("utf-8"), dict_type=zstandard.DICT_TYPE_RAWCONTENT)
    return zstandard.ZstdCompressor(level=PAGE_ZSTD_LEVEL, dict_data=dictionary).compress(html.encode("utf-8"))


class PageUnreadable(ValueError):
    """Stored page bytes that do not decompress to UTF-8 text."""


def page_html(stored: bytes, reference: bytes | None = None) -> str:
    """A stored page back as text: a zstd frame (made against `reference`, a stored page, when it was given)
    or, before schema version 7, a zlib stream."""
    try:
        if stored[:4] != _ZSTD_MAGIC:
            return zlib.decompress(stored).decode("utf-8")
        dictionary = None
        if reference is not None:
            dictionary = zstandard.ZstdCompressionDict(page_html(reference).encode("utf-8"),
                                                       dict_type=zstandard.DICT_TYPE_RAWCONTENT)
        return zstandard.ZstdDecompressor(dict_data=dictionary).decompress(stored).decode("utf-8")
    except (zstandard.ZstdError, zlib.error, UnicodeDecodeError) as exc:
        raise PageUnreadable(f"{type(exc).__name__}: {exc}") from None


@dataclass(frozen=True, slots=True)
class PageJob:
    """One URL to check, with the validators from its last successful fetch."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    html_hash: str | None = None


@dataclass(frozen=True, slots=True)
class Extracted:
    """A page's article text, metadata and claims, ready to store as a version."""

    title: str
    text: str
    content_hash: str
    published: date | None
    modified: date | None
    canonical_url: str | None
    author: str | None
    raw_html_zlib: bytes
    encoding: str | None
    claims: tuple[Claim, ...]
    extractor: str = PIPELINE_VERSION


@dataclass(frozen=True, slots=True)
class PageResult:
    """What checking one URL produced, before the writer stores it.

    `outcome` here is `fetched` (the writer decides new_version or unchanged),
    `unchanged` (byte-identical page), `not_modified`, `error` or `refused`.
    """

    url: str
    outcome: str
    fetched_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    http_status: int | None = None
    error: str | None = None
    final_url: str | None = None
    elapsed_ms: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    html_hash: str | None = None
    extracted: Extracted | None = None
    transient: bool = False
    retry_after: float | None = None


def claims_for_article(text: str, published: date | None, fetched_at: datetime) -> tuple[Claim, ...]:
    """Claims of an article, resolving relative dates against publication, else fetch time."""
    return extract_claims(text, published or fetched_at.date())


def extract_page(html: str, url: str, fetched_at: datetime, encoding: str | None = None) -> Extracted:
    """Extract article text, metadata and claims from one page; raise NoArticle."""
    article = extract_article(html, url)
    return Extracted(
        title=article.title,
        text=article.text,
        content_hash=content_hash(article.text),
        published=article.published,
        modified=article.modified,
        canonical_url=article.canonical_url,
        author=article.author,
        raw_html_zlib=compress_page(html),
        encoding=encoding,
        claims=claims_for_article(article.text, article.published, fetched_at),
    )


def fetch_page(fetcher: Fetcher, job: PageJob) -> FetchResult | PageResult:
    """Fetch one page; a failure comes back as a PageResult recording why."""
    started = datetime.now(timezone.utc)
    try:
        return fetcher.fetch(job.url, job.etag, job.last_modified)
    except FetchError as exc:
        return PageResult(
            url=job.url, outcome=exc.outcome, fetched_at=started, http_status=exc.status,
            error=str(exc), transient=exc.transient, retry_after=exc.retry_after,
        )
    except Exception as exc:  # a bug or a surprise in a library must not sink the batch: record it
        return PageResult(url=job.url, outcome="error", fetched_at=started,
                          error=f"internal error while fetching the page ({type(exc).__name__}: {exc})")


def process_fetched(job: PageJob, fetched: FetchResult) -> PageResult:
    """Turn a fetched page into a result: skip what is unchanged, else extract it."""
    common = dict(url=job.url, fetched_at=fetched.fetched_at, http_status=fetched.status,
                  final_url=fetched.final_url, elapsed_ms=fetched.elapsed_ms)
    if fetched.not_modified:
        return PageResult(outcome="not_modified", etag=fetched.etag or job.etag,
                          last_modified=fetched.last_modified or job.last_modified,
                          html_hash=job.html_hash, **common)
    html = fetched.html or ""
    page_hash = bytes_hash(html.encode("utf-8"))
    validators = dict(etag=fetched.etag, last_modified=fetched.last_modified, html_hash=page_hash)
    if job.html_hash == page_hash:
        return PageResult(outcome="unchanged", **validators, **common)
    try:
        extracted = extract_page(html, fetched.final_url or job.url, fetched.fetched_at, fetched.encoding)
    except NoArticle as exc:
        return PageResult(outcome="error", error=str(exc), **common)
    return PageResult(outcome="fetched", extracted=extracted, **validators, **common)
