"""How to store the raw page: bytes per page for each candidate codec, measured on real pages.

    .venv/bin/python benchmarks/bench_storage.py

On the corpus pages (else the project's own story pages) it prints the mean stored bytes per page for
  zlib-6            what factwatch stored up to schema version 5
  zstd-N            zstandard at level N, no dictionary
  zstd-N + site     a dictionary trained on the other pages of the same site (sites with 3 or more
                    pages; leave-one-out), which is what a per-site dictionary does for a new article
  zstd-N + version  a dictionary trained on the article's earlier versions (the benchmark's variants
                    of one page), which is what it does for a watched article's next version
and the milliseconds per page to compress each way.
"""

from __future__ import annotations

import re
import sys
import time
import zlib
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pages import corpus_pages, generated_pages, variant  # noqa: E402

DICTIONARY_BYTES = 256 * 1024

_SITE = re.compile(r'<link[^>]+rel=["\']canonical["\'][^>]+href=["\']https?://(?:www\.)?([^/"\']+)'
                   r'|<meta[^>]+property=["\']og:url["\'][^>]+content=["\']https?://(?:www\.)?([^/"\']+)', re.I)


def site_of(html: str) -> str | None:
    """The site a page says it is from (canonical link or og:url), if it says."""
    match = _SITE.search(html)
    return (match.group(1) or match.group(2)).lower() if match else None


def timed(fn, items) -> tuple[int, float]:
    """Total bytes and seconds of fn over items."""
    started = time.perf_counter()
    size = sum(len(fn(item)) for item in items)
    return size, time.perf_counter() - started


def through_the_writer(pages: list[str], articles: int = 40, versions: int = 5) -> dict:
    """Bytes per stored version through the real writer: `articles` corpus pages, each stored `versions` times
    with a small edit (a variant title and an added sentence), against what schema version 5 stored (the
    page whole, zlib level 6); the text and the claims are the same both ways."""
    import tempfile
    from datetime import datetime, timedelta, timezone

    from factwatch.extract.article import NoArticle
    from factwatch.runtime.pipeline import PageResult, extract_page
    from factwatch.storage import connect
    from factwatch.storage.writer import record_results

    now = datetime.now(timezone.utc)
    old_raw = 0
    with tempfile.TemporaryDirectory() as work, connect(f"{work}/s.duckdb") as con:
        for i, base in enumerate(pages[:articles]):
            for k in range(versions):
                html = variant(base, k).replace("</body>", f"<p>Update {k}: the toll was revised.</p></body>", 1)
                try:
                    ex = extract_page(html, f"https://s.example/{i}", now)
                except NoArticle:
                    break
                ex = type(ex)(**{**{f: getattr(ex, f) for f in ex.__slots__}, "text": f"{ex.text} (edit {k})",
                                 "content_hash": f"{ex.content_hash}-{k}"})
                record_results(con, [PageResult(url=f"https://s.example/{i}", outcome="fetched",
                                                fetched_at=now + timedelta(hours=k), extracted=ex)])
                old_raw += len(zlib.compress(html.encode("utf-8"), 6))
        from history_figures import storage_bytes

        figures = storage_bytes(con)
    figures["old_raw_bytes_per_version"] = old_raw / figures["versions"]
    rest = figures["text_bytes_per_version"] + figures["claim_bytes_per_version"]
    figures["ratio_to_v5"] = (figures["raw_bytes_per_version"] + rest) / (figures["old_raw_bytes_per_version"] + rest)
    return figures


def main() -> None:
    import zstandard

    pages = [p.encode("utf-8") for p in (corpus_pages() or generated_pages())]
    n = len(pages)
    print(f"{n} pages, mean {sum(map(len, pages)) / n:.0f} bytes raw")
    rows = [("zlib-6", *timed(lambda b: zlib.compress(b, 6), pages), n)]
    for level in (3, 9, 19):
        compressor = zstandard.ZstdCompressor(level=level)
        rows.append((f"zstd-{level}", *timed(compressor.compress, pages), n))
    by_site = defaultdict(list)
    for page in pages:
        by_site[site_of(page.decode("utf-8", "replace")[:200_000])].append(page)
    groups = [g for s, g in by_site.items() if s and len(g) >= 3]
    site_pages = [p for g in groups for p in g]
    rows.append(("zlib-6 (same pages as + site)", *timed(lambda b: zlib.compress(b, 6), site_pages), len(site_pages)))
    for level in (3, 19):
        total, seconds = 0, 0.0
        for group in groups:
            for i, page in enumerate(group):
                others = group[:i] + group[i + 1:]
                dictionary = zstandard.ZstdCompressionDict(b"".join(others)[-DICTIONARY_BYTES:],
                                                           dict_type=zstandard.DICT_TYPE_RAWCONTENT)
                size, spent = timed(zstandard.ZstdCompressor(level=level, dict_data=dictionary).compress, [page])
                total, seconds = total + size, seconds + spent
        rows.append((f"zstd-{level} + site ({len(groups)} sites)", total, seconds, len(site_pages)))
    # the next version of a watched article, against a dictionary of its earlier versions
    versions = [[variant(p.decode("utf-8"), k).encode("utf-8") for k in range(3)] for p in pages]
    rows.append(("zlib-6 (a later version)", *timed(lambda v: zlib.compress(v[-1], 6), versions), n))
    for level in (3, 19):
        total, seconds = 0, 0.0
        for earlier in versions:
            dictionary = zstandard.ZstdCompressionDict(b"".join(earlier[:-1])[-DICTIONARY_BYTES:],
                                                       dict_type=zstandard.DICT_TYPE_RAWCONTENT)
            size, spent = timed(zstandard.ZstdCompressor(level=level, dict_data=dictionary).compress, [earlier[-1]])
            total, seconds = total + size, seconds + spent
        rows.append((f"zstd-{level} + version", total, seconds, n))
    print(f"{'codec':40} {'bytes/page':>11} {'ms/page':>8}")
    for name, size, seconds, count in rows:
        print(f"{name:40} {size / count:>11.0f} {1000 * seconds / count:>8.2f}")
    w = through_the_writer([p.decode("utf-8") for p in pages])
    print(f"through the writer, {w['versions']} versions (5 per article): bytes per version now: raw page "
          f"{w['raw_bytes_per_version']:.0f}, text {w['text_bytes_per_version']:.0f}, claims "
          f"{w['claim_bytes_per_version']:.0f}; schema version 5 stored the raw page in "
          f"{w['old_raw_bytes_per_version']:.0f}: {w['ratio_to_v5']:.0%} of the bytes per version")


if __name__ == "__main__":
    main()
