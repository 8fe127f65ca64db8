"""Section pages ("/world", "/news/latest"): the links an outlet's own listing page shows."""

from __future__ import annotations

from urllib.parse import urljoin

from lxml import etree, html

from factwatch.discover.model import FEED_TYPES, MAX_SECTION_LINKS, MAX_URL_CHARS, DocumentProblem, Link, Parsed


def parse_section(data: bytes, url: str, max_links: int = MAX_SECTION_LINKS) -> Parsed:
    """Every <a href> of an HTML page, in page order (judging them is urls.judge_link's job)."""
    parser = html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, huge_tree=False)
    try:
        document = html.document_fromstring(data, parser=parser, base_url=url)
    except (etree.ParserError, ValueError) as exc:
        raise DocumentProblem(f"not a readable HTML page ({str(exc)[:200]})") from None
    base = url
    for element in document.iter("base"):
        href = element.get("href")
        if href:
            base = href.strip()
        break
    links: list[Link] = []
    seen: set[str] = set()
    cut = False
    for anchor in document.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith("#") or href in seen:
            continue
        if len(links) >= max_links:
            cut = True
            break
        seen.add(href)
        title = " ".join(anchor.text_content().split())[:300] or None
        links.append(Link(_absolute(base, href), None, title))
    note = f"only the first {max_links} links were read" if cut else None
    return Parsed("section", links=tuple(links), note=note, announced=announced_feeds(document, base))


def announced_feeds(document: html.HtmlElement, base: str) -> tuple[str, ...]:
    """The feeds a page announces: <link rel="alternate"> with a feed type, absolute, in page order, once each."""
    feeds: list[str] = []
    for element in document.iter("link"):
        rels = (element.get("rel") or "").lower().split()
        kind = (element.get("type") or "").split(";")[0].strip().lower()
        href = (element.get("href") or "").strip()
        if "alternate" in rels and kind in FEED_TYPES and href:
            url = _absolute(base, href)
            if url not in feeds:
                feeds.append(url)
    return tuple(feeds)


def _absolute(base: str, href: str) -> str:
    try:
        return urljoin(base, href)[:MAX_URL_CHARS + 1]
    except ValueError:
        return href[:MAX_URL_CHARS + 1]
