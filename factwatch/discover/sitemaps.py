"""Sitemaps: <urlset> (plain and Google News) and <sitemapindex>, streamed with a hardened parser."""

from __future__ import annotations

from lxml import etree

from factwatch.discover.model import MAX_SITEMAP_URLS, MAX_URL_CHARS, ChildSitemap, DocumentProblem, Link, Parsed
from factwatch.discover.xmlsafe import hardened_events, local_name, parse_w3c_datetime

SITEMAP_ROOTS = ("urlset", "sitemapindex")


def _text(element: etree._Element, name: str) -> str | None:
    """The text of the first child (at any depth) whose local name is `name`."""
    for child in element.iter():
        if local_name(child.tag) == name and child.text:
            return child.text.strip()[:MAX_URL_CHARS + 1]
    return None


def _forget(element: etree._Element) -> None:
    """Drop a finished entry and its earlier siblings, so memory stays flat however long the file."""
    element.clear()
    parent = element.getparent()
    while parent is not None and element.getprevious() is not None:
        del parent[0]


def parse_sitemap(data: bytes, max_urls: int = MAX_SITEMAP_URLS) -> Parsed:
    """Links (with lastmod or news publication dates) of a urlset, or the children of a sitemapindex."""
    root = None
    links: list[Link] = []
    children: list[ChildSitemap] = []
    news = False
    cut = False
    for event, element in hardened_events(data):
        name = local_name(element.tag)
        if root is None:
            root = name
            if root not in SITEMAP_ROOTS:
                raise DocumentProblem(f"not a sitemap (its root element is <{root}>)")
            continue
        if event != "end" or name not in ("url", "sitemap"):
            continue
        if len(links) + len(children) >= max_urls:
            cut = True
            break
        loc = _text(element, "loc")
        if loc and name == "url" and root == "urlset":
            published = _text(element, "publication_date")
            news = news or published is not None
            links.append(Link(loc, parse_w3c_datetime(published or _text(element, "lastmod")),
                              _text(element, "title")))
        elif loc and name == "sitemap" and root == "sitemapindex":
            children.append(ChildSitemap(loc, parse_w3c_datetime(_text(element, "lastmod"))))
        _forget(element)
    if root is None:
        raise DocumentProblem("empty XML document")
    note = f"only the first {max_urls} entries were read" if cut else None
    if root == "sitemapindex":
        return Parsed("sitemap_index", children=tuple(children), note=note)
    return Parsed("news_sitemap" if news else "sitemap", links=tuple(links), note=note)
