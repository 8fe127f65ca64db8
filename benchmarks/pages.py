"""Benchmark pages: real corpus pages when ../shared/corpus exists, else generated ones.

Each base page is repeated with small differences (a variant number in the
title and a hidden marker), so every URL is a distinct article.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def _decode(raw: bytes) -> str:
    from factwatch.net.fetch import decode_body

    return decode_body(raw, None)[0]


def corpus_pages() -> list[str]:
    """Raw HTML of every news page in the corpus (about 250)."""
    if not CORPUS.is_dir():
        return []
    pages = []
    for path in sorted((CORPUS / "mozilla-readability" / "test-pages").glob("*/source.html")):
        pages.append(_decode(path.read_bytes()))
    for path in sorted((CORPUS / "article-extraction-benchmark" / "html").glob("*.html.gz")):
        pages.append(_decode(gzip.decompress(path.read_bytes())))
    for folder in ("trafilatura-eval/eval", "trafilatura-eval/cache", "newspaper4k-tests/html"):
        pages += [_decode(p.read_bytes()) for p in sorted((CORPUS / folder).glob("*.html"))]
    return pages


def generated_pages() -> list[str]:
    """The project's own story versions, as a fallback base set."""
    from factwatch.cli.storyserver import demo_story_versions, fill_chrome

    return [fill_chrome(v, i) for i, v in enumerate(demo_story_versions())]


_TITLE = re.compile(r"(<title[^>]*>)", re.I)


def variant(html: str, n: int) -> str:
    """The same page with a small, distinct difference."""
    marked, count = _TITLE.subn(rf"\g<1>[{n}] ", html, count=1)
    return (marked if count else html) + f"\n<!-- factwatch benchmark variant {n} -->\n"


def benchmark_pages(total: int) -> tuple[list[str], str]:
    """`total` distinct pages and where their bases came from."""
    base = corpus_pages()
    source = "corpus" if base else "generated"
    base = base or generated_pages()
    return [variant(base[i % len(base)], i) for i in range(total)], f"{len(base)} {source} pages"
