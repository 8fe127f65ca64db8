"""Article URLs: one spelling per article (normalisation), which links are safe and on-site, which look like articles.

`judge_link` says, in plain words, why a link may not become a watch; links
that are merely not articles (menus, tags, pagination on a section page)
are told apart by `looks_like_article`, because a listing page holds dozens
of them on every visit and recording each would be noise.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

import courlan
from courlan.filters import extension_filter, is_navigation_page, is_not_crawlable, type_filter

from factwatch.discover.model import MAX_URL_CHARS
from factwatch.net.guard import url_problem

# Files, not pages: courlan's own extension filter lets some of these through.
_FILE_EXTENSIONS = re.compile(
    r"\.(?:mp3|mp4|m4a|m4v|mov|avi|ogg|wav|webm|pdf|docx?|xlsx?|pptx?|zip|gz|rar|jpe?g|png|gif|webp|svg|ico|"
    r"css|js|json|xml|rss|atom|txt|csv)$", re.I)
_NOT_ARTICLE_PATH = re.compile(r"/(?:feeds?|rss|atom|search|newsletters?|subscribe|podcasts?|live-tv|weather|"
                               r"video|videos|gallery|galleries|cartoons?)/?$", re.I)
_DATE_IN_PATH = re.compile(r"/(?:19|20)\d{2}[/-](?:0?[1-9]|1[0-2])(?:[/-]|$)")
_NUMERIC_ID = re.compile(r"\d{5,}")
_WORDS = re.compile(r"[A-Za-z0-9]+")


def normalise_url(url: str) -> str:
    """One spelling per page: lower-case scheme and host, no default port, fragment or tracking query.

    courlan sorts the query and drops tracking parameters (utm_*, fbclid, ...);
    a query that names the article (?id=123) is kept.
    """
    normalised = courlan.normalize_url(url.strip(), strict=False)
    parts = urlsplit(normalised)
    path = parts.path or "/"
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def site_of(url: str) -> str:
    """The site a URL belongs to, for matching hosts: its registered domain, else its host (IPs, localhost)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    domain = courlan.extract_domain(url, fast=True) if host and not host[0].isdigit() else None
    site = domain or host
    return f"{site}:{parts.port}" if parts.port and not domain else site


def host_allowed(url: str, allow_hosts: tuple[str, ...]) -> bool:
    """Whether `url` is on one of the source's sites (a site allows its subdomains)."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    site = site_of(url)
    for allowed in allow_hosts:
        allowed = allowed.lower().strip().rstrip(".")
        if site == allowed or host == allowed or host.endswith("." + allowed):
            return True
    return False


def judge_link(raw: str, allow_hosts: tuple[str, ...], allow_private: bool,
               pages_only: bool = True) -> tuple[str, str | None]:
    """(normalised URL, None) for a link a source may watch, else (the link as found, why not).

    `pages_only=False` judges a child sitemap, which is a file (.xml, .xml.gz) by nature.
    """
    link = raw.strip()
    if not link:
        return raw, "empty link"
    if len(link) > MAX_URL_CHARS:
        return link[:MAX_URL_CHARS], f"link longer than {MAX_URL_CHARS} characters"
    problem = url_problem(link, allow_private)
    if problem:
        return link, problem
    try:
        url = normalise_url(link)
    except ValueError:
        return link, "not a valid URL"
    problem = url_problem(url, allow_private)  # normalising must not have made it something else
    if problem:
        return link, problem
    if not host_allowed(url, allow_hosts):
        return link, f"links to another site ({site_of(url)}), not {', '.join(allow_hosts)}"
    extension = _FILE_EXTENSIONS.search(urlsplit(url).path)
    if pages_only and (extension or not extension_filter(url)):
        return link, f"a file, not a web page ({extension.group(0) if extension else 'by its extension'})"
    return url, None


def looks_like_article(url: str, listing_url: str) -> bool:
    """Whether a link on a section page looks like an article rather than navigation.

    Articles have a date in the path, a long numeric id, or a slug of several
    words; menus, tags, authors, pagination and feeds do not.
    """
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    if not path or url.rstrip("/") == listing_url.rstrip("/"):
        return False
    if is_navigation_page(url) or is_not_crawlable(url) or not type_filter(url) or _NOT_ARTICLE_PATH.search(path):
        return False
    segments = [s for s in path.split("/") if s]
    last = segments[-1].rsplit(".", 1)[0] if segments[-1].endswith((".html", ".htm", ".shtml")) else segments[-1]
    if _DATE_IN_PATH.search(path + "/") and len(segments) >= 3:
        return True
    if last != segments[-1] and len(segments) >= 2:  # /news/ferry.html
        return True
    if _NUMERIC_ID.search(last) or ("id=" in parts.query and _NUMERIC_ID.search(parts.query)):
        return True
    return len(segments) >= 1 and len(_WORDS.findall(last)) >= 4
