"""The pipeline benchmark: factwatch end to end against trafilatura alone, in one run.

    .venv/bin/python benchmarks/bench_pipeline.py [--pages 2000] [--history PATH]

Serves the pages on loopback (with ETags, as most news sites send), then measures
  baseline      one process calling trafilatura.bare_extraction(html, with_metadata=True) on every page
  first pass    `factwatch check --from urls.txt` into a fresh database, through the Prefect flow
  re-check      the same command again with nothing changed, with the server sending ETags (304s) and
                again with it sending no validators (a full download and a hash per page)
  serve tick    the same re-checks as watch ticks of one long-running process (benchmarks/tick.py)
  history       with --history, all of the above again on a database that already holds 100,000
                articles (benchmarks/history.py builds it once), the due-watches query, the README's
                example queries and `factwatch changes --since 1d` on it
  storage       bytes per stored version (raw page, text, claims)
  claims        extract_claims time per article, against trafilatura's
  writes        claim rows per second through the real writer (record_results)
  peak RSS      of the `factwatch check` process tree
and prints each figure with its ratio to the baseline. Speed goals are ratios
because the machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pages import benchmark_pages  # noqa: E402
from rss import PeakRSS  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


class PageServer:
    """Serve /p/<i> with ETags and 304s (or, with validators off, neither); robots.txt is absent (allow all)."""

    def __init__(self, pages: list[str]) -> None:
        bodies = [p.encode("utf-8") for p in pages]
        etags = ['"' + hashlib.md5(b).hexdigest() + '"' for b in bodies]
        self.validators = True
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out without a delayed-ACK stall

            def do_GET(self):  # noqa: N802
                try:
                    i = int(self.path.rsplit("/", 1)[1])
                    body, etag = bodies[i], etags[i]
                except (ValueError, IndexError):
                    return self._reply(404, b"not found", "text/plain")
                if not server.validators:  # a full download every time, as from a server without validators
                    return self._reply(200, body, "text/html; charset=utf-8")
                if self.headers.get("If-None-Match") == etag:
                    return self._reply(304, b"", None, etag)
                return self._reply(200, body, "text/html; charset=utf-8", etag)

            def _reply(self, status, body, ctype, etag=None):
                self.send_response(status)
                if ctype:
                    self.send_header("Content-Type", ctype)
                if etag:
                    self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler, bind_and_activate=False)
        self.server.daemon_threads = True
        self.server.request_queue_size = 256  # 8 fetch threads must never find the backlog full
        self.server.server_bind()
        self.server.server_activate()
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, i: int) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/p/{i}"


def baseline(pages: list[str]) -> tuple[float, list]:
    """Serial trafilatura with metadata over every page."""
    import trafilatura

    docs = []
    started = time.perf_counter()
    for html in pages:
        docs.append(trafilatura.bare_extraction(html, with_metadata=True))
    return time.perf_counter() - started, docs


def claims_time(docs: list) -> tuple[float, int]:
    """Total extract_claims time over the baseline's texts, and the claim count."""
    from datetime import date

    from factwatch.claims import extract_claims

    texts = [(d.text or "", date.fromisoformat(d.date) if d and d.date else None) for d in docs if d]
    started = time.perf_counter()
    count = sum(len(extract_claims(text, published)) for text, published in texts)
    return time.perf_counter() - started, count


BREAKDOWN: dict[str, int] = {}
PEAK_PSS = [0]


def run_check(urls_file: Path, db: Path, env: dict) -> tuple[float, int, int]:
    """Time `factwatch check` end to end; return seconds, exit code, peak RSS bytes."""
    cmd = [str(ROOT / ".venv" / "bin" / "factwatch"), "check", "--from", str(urls_file), "--db", str(db),
           "--allow-private-networks"]
    if not Path(cmd[0]).exists():
        cmd = [sys.executable, "-m", "factwatch.cli.app"] + cmd[1:]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    with PeakRSS(proc.pid) as rss:
        output, _ = proc.communicate()
    elapsed = time.perf_counter() - started
    PEAK_PSS[0] = max(PEAK_PSS[0], rss.peak_pss)
    if rss.peak > sum(BREAKDOWN.values()):
        BREAKDOWN.clear()
        BREAKDOWN.update(rss.breakdown)
    if proc.returncode not in (0, 1):
        sys.exit(f"factwatch check failed ({proc.returncode}):\n{output}")
    return elapsed, proc.returncode, rss.peak


def _stored_results(docs: list) -> list:
    import zlib
    from datetime import datetime, timezone

    from factwatch.runtime.pipeline import Extracted, PageResult, claims_for_article
    from factwatch.extract.textnorm import content_hash

    now = datetime.now(timezone.utc)
    results = []
    for i, doc in enumerate(d for d in docs if d and d.text):
        claims = claims_for_article(doc.text, None, now)
        extracted = Extracted(doc.title or "", doc.text, content_hash(doc.text), None, None, None, None,
                              zlib.compress(doc.text.encode()), "utf-8", claims)
        results.append(PageResult(url=f"https://bench.example/{i}", outcome="fetched", fetched_at=now,
                                  http_status=200, extracted=extracted))
    return results


def write_throughput(docs: list, work: Path) -> dict:
    """Claim rows per second: through the whole writer in the flow's batches, and the claims append alone."""
    import json

    from factwatch.storage.writer import record_results
    from factwatch.storage import connect, repo, transaction

    results = _stored_results(docs)
    rows = 0
    with connect(str(work / "writes.duckdb")) as con:
        started = time.perf_counter()
        for k in range(0, len(results), 256):
            rows += record_results(con, results[k:k + 256]).claim_rows
        writer_s = time.perf_counter() - started
    claims = [(i, c) for i, r in enumerate(results) for c in r.extracted.claims]
    columns = {"claim_id": [n for n in range(len(claims))], "version_id": [i for i, _ in claims],
               "claim_type": [c.claim_type for _, c in claims], "key": [c.key for _, c in claims],
               "value": [c.value for _, c in claims], "text": [c.text for _, c in claims],
               "sentence": [c.sentence for _, c in claims], "sentence_index": [c.sentence_index for _, c in claims],
               "start_offset": [c.start for _, c in claims], "end_offset": [c.end for _, c in claims],
               "qualifier": [c.qualifier for _, c in claims],
               "attributes": [json.dumps(dict(c.attributes)) for _, c in claims]}
    with connect(str(work / "append.duckdb")) as con:
        started = time.perf_counter()
        with transaction(con):
            repo.append_rows(con, "claims", columns)
        append_s = time.perf_counter() - started
    return {"writer_claim_rows_per_s": rows / writer_s, "writer_versions_per_s": len(results) / writer_s,
            "append_claim_rows_per_s": len(claims) / append_s, "claim_rows": len(claims)}


def run_ticks(db: Path, urls: list[str], env: dict, ticks: int = 2) -> list[float]:
    """Seconds of watch ticks in one long-running process (tick.py) once `urls` are watched and due every tick."""
    from factwatch.storage import connect, repo, transaction

    with connect(str(db)) as con, transaction(con):
        known = {r[0] for r in con.execute("SELECT url FROM watches WHERE list_contains(?, url)", [urls]).fetchall()}
        fresh = [u for u in urls if u not in known]
        now = datetime.now(timezone.utc)
        repo.append_rows(con, "watches", {"url": fresh, "added_at": [now] * len(fresh), "every_seconds": [1] * len(fresh)})
    output = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "tick.py"), str(db), "--ticks", str(ticks)],
                            env=env, check=True, capture_output=True, text=True).stdout
    figures = json.loads(output.strip().splitlines()[-1])
    return figures["tick_s"]


def measure_database(db: Path, urls_file: Path, urls: list[str], env: dict, server: PageServer) -> dict:
    """First pass, then unchanged re-checks through the CLI and as ticks, with and without validators."""
    server.validators = True
    first_s, _rc, first_rss = run_check(urls_file, db, env)
    print(f"  first pass: {first_s:.1f} s, peak RSS {first_rss / 2**20:.0f} MiB", flush=True)
    figures = {"first_pass_s": first_s, "first_pass_rss": first_rss}
    for validators in (True, False):
        server.validators = validators
        name = "etag" if validators else "no_validators"
        recheck_s, _rc, rss = run_check(urls_file, db, env)
        ticks = run_ticks(db, urls, env)
        figures.update({f"recheck_{name}_s": recheck_s, f"tick_{name}_s": min(ticks), f"recheck_{name}_rss": rss})
        print(f"  re-check ({name}): CLI {recheck_s:.1f} s, serve tick {min(ticks):.2f} s (ticks {ticks})", flush=True)
    server.validators = True
    return figures


def print_table(base_s: float, empty: dict, history: dict | None, writes: dict, claims_s: float) -> None:
    """Every figure with its ratio to the baseline (and, with a history, to the same work on an empty database)."""
    rows = [("first pass (factwatch check)", "first_pass_s", "<= 0.65"),
            ("re-check, ETag server (CLI)", "recheck_etag_s", "<= 0.08"),
            ("re-check, no validators (CLI)", "recheck_no_validators_s", "<= 0.08"),
            ("re-check, ETag server (serve tick)", "tick_etag_s", "<= 0.03"),
            ("re-check, no validators (serve tick)", "tick_no_validators_s", "<= 0.03")]
    print(f"\n{'measure':40} {'value':>10} {'ratio to baseline':>18} {'goal':>9}" + ("   history/empty (<= 1.15)" if history else ""))
    print(f"{'baseline: serial trafilatura':40} {base_s:>8.1f} s {1.0:>18.2f}")
    for label, key, goal in rows:
        line = f"{label:40} {empty[key]:>8.2f} s {empty[key] / base_s:>18.3f} {goal:>9}"
        if history:
            line += f"   {history[key]:.2f} s = {history[key] / empty[key]:.2f}x"
        print(line)
    print(f"{'claims extraction':40} {claims_s:>8.2f} s {claims_s / base_s:>18.3f} {'<= 0.10':>9}")
    print(f"{'claims append (one Arrow batch)':40} {writes['append_claim_rows_per_s']:>8.0f} /s")
    print(f"{'whole writer, 256-page batches':40} {writes['writer_claim_rows_per_s']:>8.0f} claim rows/s, "
          f"{writes['writer_versions_per_s']:.0f} versions/s")
    peak = max(v for k, v in empty.items() if k.endswith("rss"))
    print(f"{'peak RSS (check process tree, summed)':40} {peak / 2**20:>8.0f} MiB {'':>18} {'<= 768':>9}")
    print(f"{'peak PSS (shared pages counted once)':40} {PEAK_PSS[0] / 2**20:>8.0f} MiB")
    print("peak RSS by process: " + ", ".join(f"{k} {v / 2**20:.0f} MiB" for k, v in sorted(BREAKDOWN.items())))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out")
    parser.add_argument("--history", type=Path, default=None,
                        help="a large history database (built here by benchmarks/history.py if absent, then reused)")
    args = parser.parse_args()

    pages, source = benchmark_pages(args.pages)
    print(f"{len(pages)} pages from {source}; {os.cpu_count()} cores; {platform.python_version()}", flush=True)
    if args.history:
        from history import ensure_history
        from pages import corpus_pages, generated_pages

        print(f"history database {args.history}: {ensure_history(args.history, corpus_pages() or generated_pages())}",
              flush=True)
    base_s, docs = baseline(pages)
    print(f"baseline (serial trafilatura): {base_s:.1f} s, {1000 * base_s / len(pages):.1f} ms/page", flush=True)

    server = PageServer(pages)
    work = Path(tempfile.mkdtemp(prefix="factwatch-bench-"))
    urls = [server.url(i) for i in range(len(pages))]
    urls_file = work / "urls.txt"
    urls_file.write_text("\n".join(urls), encoding="utf-8")
    env = {**os.environ, "FACTWATCH_HOST_DELAY": "0", "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "PREFECT_HOME": str(work / "prefect")}
    env.pop("PREFECT_API_URL", None)
    # Prefect creates its own database on the very first run; a user pays that once, not per check.
    one = work / "one.txt"
    one.write_text(server.url(0), encoding="utf-8")
    cold_s, _rc, _rss = run_check(one, work / "warmup.duckdb", env)
    print(f"one-URL check with a fresh Prefect home (one-off set-up): {cold_s:.1f} s", flush=True)
    print("empty database:", flush=True)
    empty = measure_database(work / "bench.duckdb", urls_file, urls, env, server)
    history = history_queries = None
    if args.history:
        from history_figures import mark_history_checked, print_query_times, query_times

        mark_history_checked(args.history)  # only the benchmark's pages are due on the history's ticks
        print(f"history database ({args.history}):", flush=True)
        history = measure_database(args.history, urls_file, urls, env, server)
        history_queries = query_times(args.history)
        print_query_times(history_queries, "history")
    from history_figures import storage_bytes_of

    stored = storage_bytes_of(work / "bench.duckdb")
    claims_s, claim_count = claims_time(docs)
    writes = write_throughput(docs, work)
    print_table(base_s, empty, history, writes, claims_s)
    print(f"bytes per stored version (this run's {stored['versions']} versions): raw page "
          f"{stored['raw_bytes_per_version']:.0f}, text {stored['text_bytes_per_version']:.0f}, "
          f"claims {stored['claim_bytes_per_version']:.0f}; database file {stored['file_bytes_per_version']:.0f}")
    results = {"pages": len(pages), "source": source, "cores": os.cpu_count(), "machine": platform.machine(),
               "baseline_s": base_s, "cold_start_s": cold_s, "empty": empty, "history": history,
               "history_queries": history_queries, "stored": stored, "claims_s": claims_s, "claims": claim_count,
               **writes, "peak_pss_mib": PEAK_PSS[0] / 2**20,
               "peak_rss_by_process_mib": {k: v / 2**20 for k, v in BREAKDOWN.items()}}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "latest.json").write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
