"""A child process for the reprocess race test: a check's writer storing new versions of the same URLs."""

from __future__ import annotations

import sys
import time
from datetime import datetime, timezone

from factwatch.cli.storyserver import demo_story_versions
from factwatch.runtime.pipeline import PageResult, extract_page
from factwatch.storage import connect
from factwatch.storage.writer import record_results

STEPS = (0, 2, 3)


def story_page(n: int) -> str:
    """Version n of the story: the demo's versions in turn, each with its own closing line (new text)."""
    html = demo_story_versions()[STEPS[n % len(STEPS)]]
    return html.replace("</article>", f"<p>This article was revised for the {n + 1}th time.</p></article>", 1)


def stored_page(url: str, n: int) -> PageResult:
    """What the check flow hands the writer for version n of a page."""
    now = datetime.now(timezone.utc)
    return PageResult(url=url, outcome="fetched", fetched_at=now, http_status=200,
                      extracted=extract_page(story_page(n), url, now), html_hash=f"{url}-{n}")


def main(db: str, first: int, last: int, pause: float, urls: list[str]) -> None:
    for n in range(first, last):
        time.sleep(pause)  # a check's batches arrive spread over time, not all at once
        pages = [stored_page(url, n) for url in urls]
        with connect(db) as con:
            record_results(con, pages, run_id=f"check-{n}")
        print(f"stored {n}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), sys.argv[5:])
