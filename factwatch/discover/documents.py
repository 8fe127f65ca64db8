"""Which kind of document a source sent, and reading it: the one entry point for parsing.

The kind comes from the bytes, not the file name or Content-Type (servers
label feeds as text/html and sitemaps as application/octet-stream): gzip is
inflated (capped), JSON is a JSON Feed, XML is a feed or a sitemap by its
root element, and HTML is a section page, unless the source was added as a
feed or sitemap, in which case HTML is the clear mistake it usually is.
"""

from __future__ import annotations

import re

from factwatch.discover.feeds import parse_json_feed, parse_xml_feed
from factwatch.discover.model import SITEMAP_MAX_BYTES, DocumentProblem, Parsed
from factwatch.discover.sections import parse_section
from factwatch.discover.sitemaps import parse_sitemap
from factwatch.discover.xmlsafe import GZIP_MAGIC, gunzip_bounded, refuse_entity_declarations

_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)
_ROOT = re.compile(rb"<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")
_SKIP_PROLOG = re.compile(rb"^\s*(?:<\?.*?\?>\s*|<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*", re.S | re.I)
FEED_ROOTS = ("rss", "RDF", "feed", "channel")


def _strip_bom(data: bytes) -> bytes:
    return data[3:] if data.startswith(b"\xef\xbb\xbf") else data


def root_element(data: bytes) -> str | None:
    """The local name of the XML root element, found without parsing (None when there is none)."""
    start = _SKIP_PROLOG.match(data[:65536])
    match = _ROOT.match(data, start.end() if start else 0)
    return match.group(2).decode("ascii", "replace") if match else None


def parse_document(body: bytes, url: str, source_kind: str = "auto", depth: int = 0) -> Parsed:
    """Parse a fetched source document; DocumentProblem (plain words) when it cannot be used."""
    if body.startswith(GZIP_MAGIC):
        if depth:
            raise DocumentProblem("gzip inside gzip")
        return parse_document(gunzip_bounded(body, SITEMAP_MAX_BYTES), url, source_kind, depth + 1)
    data = _strip_bom(body)
    head = data.lstrip()[:1]
    if head in (b"{", b"["):
        if source_kind in ("sitemap", "section"):
            raise DocumentProblem(f"not a {source_kind.replace('section', 'section page')} (the server sent JSON)")
        return parse_json_feed(data)
    if _HTML_START.match(data[:4096]):
        if source_kind in ("feed", "sitemap"):
            raise DocumentProblem(f"not a {source_kind} (the server sent an HTML page)")
        return parse_section(data, url)
    if head != b"<":
        raise DocumentProblem("not a feed, sitemap or web page (the document is not XML, JSON or HTML)")
    refuse_entity_declarations(data)
    root = root_element(data)
    if root in ("urlset", "sitemapindex"):
        if source_kind in ("feed", "section"):
            raise DocumentProblem(f"not a {source_kind.replace('section', 'section page')} (the server sent a sitemap)")
        return parse_sitemap(data)
    if root in FEED_ROOTS:
        if source_kind in ("sitemap", "section"):
            raise DocumentProblem(f"not a {source_kind.replace('section', 'section page')} (the server sent a feed)")
        return parse_xml_feed(data, url)
    if root is None:
        raise DocumentProblem("malformed XML (no root element)")
    if source_kind == "section":
        return parse_section(data, url)
    raise DocumentProblem(f"not a feed or sitemap (its root element is <{root}>)")
