"""What discovery passes around: sources, links found in their documents, and decisions about them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

# What `sources add --kind` accepts; `auto` decides from what the server sends.
SOURCE_KINDS = ("auto", "feed", "sitemap", "section")
# What a discovery decided about one article URL, as stored in discoveries.outcome.
DECISIONS = ("watched", "known", "too_old", "undated", "rejected")
# Limits that keep a hostile or oversized document from costing more than this much.
FEED_MAX_BYTES = 4 * 1024 * 1024
SITEMAP_MAX_BYTES = 50 * 1024 * 1024  # the sitemaps protocol's own limit, uncompressed
SECTION_MAX_BYTES = 10 * 1024 * 1024
MAX_FEED_ITEMS = 1000
MAX_SITEMAP_URLS = 50_000  # the sitemaps protocol's own limit per file
MAX_SECTION_LINKS = 2000
MAX_CHILD_SITEMAPS = 10  # newest children of a sitemap index read per run (and feeds and sitemaps of a homepage)
# Feed types a page may announce with <link rel="alternate" type=...>.
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json", "application/json")
# Where sites usually keep their sitemaps, tried (in this order) when robots.txt names none.
USUAL_SITEMAPS = ("/sitemap_news.xml", "/news-sitemap.xml", "/sitemap.xml")
MAX_URL_CHARS = 2048


class DocumentProblem(Exception):
    """A source document could not be used; str(error) is the plain-words reason."""


@dataclass(frozen=True, slots=True)
class Link:
    """A link a source document offers as an article, as found (not yet judged)."""

    url: str
    published: datetime | None = None
    title: str | None = None


@dataclass(frozen=True, slots=True)
class ChildSitemap:
    """A sitemap that a sitemap index points to."""

    url: str
    modified: datetime | None = None


@dataclass(frozen=True, slots=True)
class Parsed:
    """What one document held: its kind, its links, child sitemaps, and a note on anything cut short."""

    kind: str  # rss | atom | json_feed | sitemap | news_sitemap | sitemap_index | section (a homepage is a section)
    links: tuple[Link, ...] = ()
    children: tuple[ChildSitemap, ...] = ()
    note: str | None = None  # e.g. "only the first 50000 URLs were read"
    announced: tuple[str, ...] = ()  # an HTML page's feeds (<link rel="alternate" type="application/rss+xml" ...>)


@dataclass(frozen=True, slots=True)
class SourcePolicy:
    """Which links one source may turn into watches, and how many per run."""

    source_id: int
    url: str
    kind: str
    allow_hosts: tuple[str, ...]
    max_new: int
    max_age_seconds: float
    allow_private: bool = False
    include: str | None = None  # a regex an article URL must match (re.search on the normalised URL)
    exclude: str | None = None  # a regex an article URL must not match


@dataclass(frozen=True, slots=True)
class DocumentCheck:
    """One fetch of a source document, as recorded in source_checks."""

    source_id: int
    url: str
    checked_at: datetime
    outcome: str  # read | unchanged | not_modified | error | refused
    http_status: int | None = None
    error: str | None = None
    doc_kind: str | None = None
    links: int = 0
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    elapsed_ms: int | None = None


@dataclass(frozen=True, slots=True)
class Found:
    """A link with the document it came from, judged: its normalised URL, or why it may not be watched."""

    link: Link
    found_in: str
    url: str  # normalised when problem is None, else the link as found
    problem: str | None = None


@dataclass(frozen=True, slots=True)
class SourceReading:
    """Everything reading one source gave: its document checks and the links they held."""

    policy: SourcePolicy
    checks: tuple[DocumentCheck, ...]
    found: tuple[Found, ...] = ()

    @property
    def failed(self) -> bool:
        """True when the source's own document could not be read."""
        return bool(self.checks) and self.checks[0].outcome in ("error", "refused")


@dataclass(frozen=True, slots=True)
class Decision:
    """What discovery decided about one URL for one source."""

    url: str
    outcome: str  # one of DECISIONS
    reason: str | None = None
    published: datetime | None = None
    title: str | None = None
    found_in: str | None = None


@dataclass(frozen=True, slots=True)
class Selection:
    """Decisions for one source's links in one run, and how many new ones waited for the cap."""

    decisions: tuple[Decision, ...] = ()
    over_cap: int = 0
    skipped: int = 0  # links on a section page that do not look like articles (not recorded)
    watched: tuple[str, ...] = field(default=())
