"""A child process for the kill -9 test: writes batches of synthetic versions until killed."""

from __future__ import annotations

import sys
import zlib
from datetime import datetime, timedelta, timezone

from factwatch.claims import Claim
from factwatch.runtime.pipeline import Extracted, PageResult
from factwatch.storage.writer import record_results
from factwatch.storage import connect


def make_result(url: str, n: int) -> PageResult:
    text = f"At least {10 + n} people were killed in the flooding, officials said. Story revision {n}."
    claims = tuple(
        Claim("casualty", f"casualty:killed:people:{k}", str(10 + n), f"At least {10 + n} people", text, 0, 10, k,
              "at least", (("outcome", "killed"),))
        for k in range(40))
    extracted = Extracted("Floods", text, f"hash-{url}-{n}", None, None, None, None, zlib.compress(text.encode()),
                          "utf-8", claims)
    return PageResult(url=url, outcome="fetched", fetched_at=datetime.now(timezone.utc) + timedelta(seconds=n),
                      http_status=200, extracted=extracted, html_hash=f"h{n}")


def main(db: str, start: int) -> None:
    for n in range(start, start + 10_000):
        results = [make_result(f"https://news.example/{i}", n) for i in range(50)]
        with connect(db) as con:
            record_results(con, results, run_id=f"child-{n}")
        print(f"committed {n}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
