"""RSS, Atom and JSON Feed: the items' links, dates and titles, from bytes already fetched.

feedparser is only ever given a byte stream (never a string, which it could
take for a URL or a file name to open), and neither sanitises nor rewrites
content: only links, dates and titles are read.
"""

from __future__ import annotations

import calendar
import io
import json
from datetime import datetime, timezone

import feedparser

from factwatch.discover.model import MAX_FEED_ITEMS, MAX_URL_CHARS, DocumentProblem, Link, Parsed
from factwatch.discover.xmlsafe import parse_w3c_datetime, refuse_entity_declarations

_KINDS = {"rss": "rss", "atom": "atom", "cdf": "rss"}


def _when(entry: dict) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                return datetime.fromtimestamp(calendar.timegm(value), tz=timezone.utc)
            except (OverflowError, ValueError, TypeError):
                continue
    return None


def _entry_link(entry: dict) -> str | None:
    link = entry.get("link")
    if not link:
        for candidate in entry.get("links") or ():
            if candidate.get("rel", "alternate") == "alternate" and candidate.get("href"):
                link = candidate["href"]
                break
    if not link and entry.get("guidislink"):
        link = entry.get("id")
    return link[:MAX_URL_CHARS + 1] if isinstance(link, str) else None


def parse_xml_feed(data: bytes, url: str, max_items: int = MAX_FEED_ITEMS) -> Parsed:
    """Items of an RSS or Atom feed; DocumentProblem when the bytes are not a usable feed."""
    refuse_entity_declarations(data)
    parsed = feedparser.parse(io.BytesIO(data), response_headers={"content-location": url},
                              resolve_relative_uris=False, sanitize_html=False)
    version = parsed.get("version") or ""
    entries = parsed.get("entries") or []
    if not version:
        if parsed.get("bozo"):
            raise DocumentProblem(f"malformed feed ({_bozo_words(parsed)})")
        raise DocumentProblem("not a feed (no RSS or Atom root element)")
    links = []
    for entry in entries[:max_items]:
        link = _entry_link(entry)
        if link:
            links.append(Link(link, _when(entry), (entry.get("title") or None)))
    note = f"only the first {max_items} items were read" if len(entries) > max_items else None
    if parsed.get("bozo") and not links and entries:
        raise DocumentProblem(f"malformed feed ({_bozo_words(parsed)})")
    kind = next((kind for prefix, kind in _KINDS.items() if version.startswith(prefix)), "rss")
    return Parsed(kind, links=tuple(links), note=note)


def _bozo_words(parsed: dict) -> str:
    exc = parsed.get("bozo_exception")
    text = (str(exc).splitlines() or ["no detail"])[0] if exc else "no detail"
    return text[:200]


def parse_json_feed(data: bytes, max_items: int = MAX_FEED_ITEMS) -> Parsed:
    """Items of a JSON Feed (https://jsonfeed.org, version 1 or 1.1)."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise DocumentProblem(f"malformed JSON ({str(exc)[:200]})") from None
    if not isinstance(document, dict) or "jsonfeed.org" not in str(document.get("version", "")):
        raise DocumentProblem("not a feed (JSON without a JSON Feed version)")
    items = document.get("items")
    if not isinstance(items, list):
        raise DocumentProblem("malformed JSON Feed (no list of items)")
    links = []
    for item in items[:max_items]:
        if not isinstance(item, dict):
            continue
        link = item.get("url") or item.get("external_url")
        if isinstance(link, str) and link:
            published = item.get("date_published") or item.get("date_modified")
            title = item.get("title")
            links.append(Link(link[:MAX_URL_CHARS + 1],
                              parse_w3c_datetime(published) if isinstance(published, str) else None,
                              title if isinstance(title, str) and title else None))
    note = f"only the first {max_items} items were read" if len(items) > max_items else None
    return Parsed("json_feed", links=tuple(links), note=note)
