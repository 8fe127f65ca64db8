"""Figures a large history must not spoil: the due-watches query, the README's queries, `changes --since 1d`,
and bytes per stored version. Each query is timed as the best of a few runs on a read-only connection.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README_QUERIES = re.findall(r"```sql\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), flags=re.S)


def best_of(fn, repeat: int = 3) -> float:
    """The fastest of `repeat` timed calls (the machine is shared; the minimum is the least disturbed)."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def query_times(db: Path) -> dict:
    """Seconds for the due-watches query and for each README example query."""
    import duckdb

    from factwatch.storage.watchlist import due_urls

    con = duckdb.connect(str(db), read_only=True)
    try:
        now = datetime.now(timezone.utc)
        due = len(due_urls(con, now))
        figures = {"due_watches_s": best_of(lambda: due_urls(con, now)), "due_watches": due,
                   "watches": con.execute("SELECT count(*) FROM watches").fetchall()[0][0]}
        readme = {}
        for sql in README_QUERIES:
            name = " ".join(sql.split())[:60]
            readme[name] = best_of(lambda: con.execute(sql).fetchall())
        figures["readme_query_s"] = readme
        figures.update(storage_bytes(con))
    finally:
        con.close()
    figures["changes_since_1d_s"] = best_of(lambda: changes_cli(db), repeat=2)
    return figures


def changes_cli(db: Path) -> None:
    """`factwatch changes --since 1d` as a user runs it, output discarded."""
    cmd = [str(ROOT / ".venv" / "bin" / "factwatch"), "changes", "--since", "1d", "--db", str(db)]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def storage_bytes(con) -> dict:
    """Bytes per stored version as written: the raw page as stored, the text, and its claims' strings."""
    versions, raw, text = con.execute(
        "SELECT count(*), sum(octet_length(raw_html_zlib)), sum(strlen(text)) FROM versions").fetchall()[0]
    claims = con.execute(
        """SELECT sum(strlen(key) + strlen(value) + strlen(text) + strlen(sentence) + strlen(qualifier)
                      + strlen(attributes::VARCHAR) + 32) FROM claims""").fetchall()[0][0]
    versions = versions or 1
    return {"versions": versions, "raw_bytes_per_version": (raw or 0) / versions,
            "text_bytes_per_version": (text or 0) / versions, "claim_bytes_per_version": (claims or 0) / versions}


def storage_bytes_of(db: Path) -> dict:
    """storage_bytes of a database file."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        figures = storage_bytes(con)
    finally:
        con.close()
    figures["file_bytes_per_version"] = db.stat().st_size / figures["versions"]
    return figures


def mark_history_checked(db: Path) -> int:
    """Record a 304 check now for every generated watch, as a previous tick would have: then only the
    benchmark's own pages are due on the history's ticks (the generated sites do not exist)."""
    from factwatch.storage import connect, transaction

    with connect(str(db)) as con, transaction(con):
        return con.execute(
            """INSERT INTO fetches (fetch_id, url, article_id, fetched_at, http_status, outcome, run_id)
               SELECT nextval('fetch_ids'), w.url, a.article_id, now(), 304, 'not_modified', 'benchmark'
               FROM watches w JOIN articles a USING (url) WHERE w.url LIKE 'https://site%.example/%'""").fetchall()[0][0]


def print_query_times(figures: dict, label: str) -> None:
    """One line per figure, with its goal."""
    print(f"{label}: due-watches query over {figures['watches']} watches ({figures['due_watches']} due): "
          f"{figures['due_watches_s']:.3f} s (goal <= 0.2 s)")
    for name, seconds in figures["readme_query_s"].items():
        print(f"{label}: README query {name!r}: {seconds:.3f} s (goal <= 1 s)")
    print(f"{label}: `factwatch changes --since 1d` (CLI, start-up included): {figures['changes_since_1d_s']:.2f} s "
          f"(goal <= 1 s)")
    print(f"{label}: bytes per version: raw page {figures['raw_bytes_per_version']:.0f}, "
          f"text {figures['text_bytes_per_version']:.0f}, claims {figures['claim_bytes_per_version']:.0f}")


if __name__ == "__main__":
    result = query_times(Path(sys.argv[1]))
    print_query_times(result, Path(sys.argv[1]).name)
