"""The one wrapper around trafilatura: HTML -> Article, or NoArticle."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import htmldate
import trafilatura

EXTRACTOR_VERSION = f"trafilatura-{trafilatura.__version__}"
MIN_TEXT_CHARS = 80
MIN_PROSE_CHARS = 40  # one real sentence: a news brief can be that short
# A paragraph of prose: long enough, and a sentence (8+ words, or sentence punctuation for
# scripts without spaces). Menus and link lists have none, however long they are.
_SENTENCE_END = re.compile(r"[.!?\u3002\uff01\uff1f\u2026]")


class NoArticle(Exception):
    """The page has no article text that trafilatura could find."""


@dataclass(frozen=True, slots=True)
class Article:
    """Main text and metadata of one article page."""

    title: str
    text: str
    published: date | None
    modified: date | None
    canonical_url: str | None
    author: str | None
    sitename: str | None


_MODIFIED = re.compile(
    r"""(?:property|name|itemprop)\s*=\s*["'](?:article:modified_time|og:updated_time|dateModified|last-modified)["']"""
    r"""[^>]*?content\s*=\s*["'](\d{4}-\d{2}-\d{2})"""
    r"""|"dateModified"\s*:\s*"(\d{4}-\d{2}-\d{2})""",
    re.I,
)


def _parse_day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


# htmldate refuses dates before 1995 by default (its MIN_DATE), so an archived 1990 story got
# no publication date and its "Friday" resolved against the fetch day. The lower floor is used
# only on the page head (meta tags, JSON-LD, title) and URL: a body full of historical dates
# ("on 6 June 1944") must not become a page's publication date.
OLDEST_PUBLICATION = "1900-01-01"
_HEAD_OPEN = re.compile(r"<head\b", re.I)
_HEAD_CLOSE = re.compile(r"</head\s*>", re.I)
_HEAD_LIMIT = 500_000


def _page_head(html: str) -> str:
    """The <head> element's markup, or "" (two linear searches: safe on hostile pages)."""
    opening = _HEAD_OPEN.search(html, 0, _HEAD_LIMIT)
    closing = _HEAD_CLOSE.search(html, opening.end(), _HEAD_LIMIT) if opening else None
    return html[opening.start():closing.end()] if closing else ""


def _old_publication_date(html: str, url: str | None) -> date | None:
    """A pre-1995 publication date from the page head or URL, or None."""
    head = _page_head(html)
    if not head and url is None:
        return None
    try:
        found = htmldate.find_date(
            f"<html>{head}<body></body></html>", extensive_search=False,
            original_date=True, url=url, min_date=OLDEST_PUBLICATION,
        )
    except Exception:  # htmldate, like trafilatura, can raise lxml errors on hostile markup
        return None
    return _parse_day(found)


def _modified_date(html: str) -> date | None:
    """Read a modification date from meta tags or JSON-LD (cheap; no second date search)."""
    match = _MODIFIED.search(html[:200_000])
    return _parse_day(match.group(1) or match.group(2)) if match else None


def prose_chars(text: str) -> int:
    """How many characters of the text are in prose paragraphs (not menus or link lists)."""
    return sum(len(line) for line in text.split("\n")
               if len(line) >= 40 and (len(line.split()) >= 8 or _SENTENCE_END.search(line)))


def extract_article(html: str, url: str | None = None) -> Article:
    """Extract title, main text and dates; raise NoArticle when there is no text."""
    if not html or not html.strip():
        raise NoArticle("empty page")
    try:
        doc = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=False,
        )
    except Exception as exc:  # trafilatura raises assorted lxml errors on hostile markup
        raise NoArticle(f"the page could not be parsed ({type(exc).__name__})") from exc
    text = (doc.text or "").strip() if doc is not None else ""
    if len(text) < MIN_TEXT_CHARS or prose_chars(text) < MIN_PROSE_CHARS:
        raise NoArticle("no article text found on the page")
    return Article(
        title=(doc.title or "").strip(),
        text=text,
        published=_parse_day(doc.date) or _old_publication_date(html, url),
        modified=_modified_date(html),
        canonical_url=doc.url or None,
        author=doc.author or None,
        sitename=doc.sitename or None,
    )
