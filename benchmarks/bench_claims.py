"""Benchmark: claims extraction time per article vs trafilatura extraction on the same pages.

Run: .venv/bin/python benchmarks/bench_claims.py [--repeat N]
Uses the real pages in ../shared/corpus when present (mozilla-readability sources and
the article-extraction-benchmark pages), else the project's own claims fixtures
wrapped in minimal HTML. Goal: claims <= 10% of trafilatura's time.

Two baselines are printed: trafilatura as the pipeline runs it (`bare_extraction` with
metadata, the baseline of benchmarks/bench_pipeline.py and of the goal), and plain
`trafilatura.extract` without metadata, a stricter one (metadata costs about a fifth more).
"""

from __future__ import annotations

import argparse
import gzip
import html
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import trafilatura  # noqa: E402

from factwatch.claims import extract_claims  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus"


def load_pages(limit: int) -> list[str]:
    """Raw HTML pages: corpus when present, else fixtures wrapped in HTML."""
    pages: list[str] = []
    if CORPUS.exists():
        for path in sorted((CORPUS / "mozilla-readability" / "test-pages").glob("*/source.html")):
            pages.append(path.read_text(encoding="utf-8", errors="replace"))
        for path in sorted((CORPUS / "article-extraction-benchmark" / "html").glob("*.html.gz")):
            pages.append(gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace"))
    if not pages:
        for path in sorted((REPO / "tests" / "fixtures" / "claims").glob("*.txt")):
            paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in path.read_text().split("\n") if p.strip())
            pages.append(f"<html><body><article>{paragraphs}</article></body></html>")
    return pages[:limit]


def _time(fn, arg, repeat: int) -> tuple[float, object]:
    best = float("inf")
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn(arg)
        best = min(best, time.perf_counter() - start)
    return best * 1000, result


def main() -> int:
    """Print per-article medians and the claims/trafilatura ratio."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--limit", type=int, default=300)
    args = parser.parse_args()
    pages = load_pages(args.limit)
    extract_claims("warm up: 3 people were killed on Monday, Mr Smith said.")
    traf_ms, meta_ms, claims_ms, chars, counts = [], [], [], [], []
    for page in pages:
        t_ms, text = _time(trafilatura.extract, page, args.repeat)
        if not text:
            continue
        m_ms, _doc = _time(_with_metadata, page, args.repeat)
        c_ms, claims = _time(extract_claims, text, args.repeat)
        traf_ms.append(t_ms)
        meta_ms.append(m_ms)
        claims_ms.append(c_ms)
        chars.append(len(text))
        counts.append(len(claims))
    source = "corpus" if CORPUS.exists() else "fixtures"
    print(f"pages: {len(traf_ms)} ({source}); median text {statistics.median(chars):.0f} chars; "
          f"median claims/article {statistics.median(counts):.0f}")
    print(f"trafilatura.bare_extraction(with_metadata=True): median {statistics.median(meta_ms):7.2f} ms  "
          f"mean {statistics.mean(meta_ms):7.2f} ms")
    print(f"trafilatura.extract:  median {statistics.median(traf_ms):7.2f} ms  mean {statistics.mean(traf_ms):7.2f} ms")
    print(f"extract_claims:       median {statistics.median(claims_ms):7.2f} ms  mean {statistics.mean(claims_ms):7.2f} ms")
    for name, base in (("trafilatura with metadata", meta_ms), ("trafilatura.extract", traf_ms)):
        ratios = [c / t for c, t in zip(claims_ms, base)]
        print(f"claims / {name}: median {statistics.median(ratios):.1%}  "
              f"total {sum(claims_ms) / sum(base):.1%}  worst {max(ratios):.1%}  (goal <= 10%)")
    return 0


def _with_metadata(page: str):
    return trafilatura.bare_extraction(page, with_metadata=True)


if __name__ == "__main__":
    sys.exit(main())
