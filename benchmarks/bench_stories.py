"""Benchmark: what the story step (clustering, story flags, reconciled tolls) adds to the single writer.

Run: .venv/bin/python benchmarks/bench_stories.py [--pages 2000] [--batch 256]
Stores PAGES new synthetic articles (a toll sentence and 500 words drawn from a 20,000-word vocabulary, on
20 outlets, all first seen now, so every article is in every other's 3-day window: the worst case for
placement) through storage.writer.record_results in batches, into a fresh DuckDB file, and prints the
writer's time and the part of it spent in the story step.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import factwatch.storage.writer as writer  # noqa: E402
from factwatch.claims import extract_claims  # noqa: E402
from factwatch.runtime.pipeline import Extracted, PageResult  # noqa: E402
from factwatch.storage import connect  # noqa: E402


def synthetic_page(i: int, rng: random.Random, vocabulary: list[str]) -> PageResult:
    """A fetched page with its claims, as the batch tasks hand it to the writer."""
    text = (f"At least {i % 50 + 2} people were killed in the flood, officials said. "
            + " ".join(rng.choice(vocabulary) for _ in range(500)))
    extracted = Extracted("t", text, hashlib.sha256(text.encode()).hexdigest(), None, None, None, None,
                          zlib.compress(text.encode()), "utf-8", extract_claims(text))
    return PageResult(url=f"http://outlet{i % 20}.example/{i}", outcome="fetched", http_status=200,
                      extracted=extracted, html_hash=str(i))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=256)
    args = parser.parse_args()
    rng = random.Random(2)
    vocabulary = [f"w{i}" for i in range(20000)]
    pages = [synthetic_page(i, rng, vocabulary) for i in range(args.pages)]
    spent = [0.0]
    step = writer.record_stories

    def timed_step(*a, **k):
        started = time.perf_counter()
        try:
            return step(*a, **k)
        finally:
            spent[0] += time.perf_counter() - started

    writer.record_stories = timed_step
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        with connect(Path(folder) / "bench.duckdb") as con:
            for first in range(0, len(pages), args.batch):
                writer.record_results(con, pages[first:first + args.batch])
        total = time.perf_counter() - started
    print(f"{args.pages} new articles in batches of {args.batch}: writer {total:.2f} s, of which the story step "
          f"{spent[0]:.2f} s ({spent[0] / args.pages * 1000:.1f} ms an article)")


if __name__ == "__main__":
    main()
