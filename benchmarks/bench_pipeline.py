"""The pipeline benchmark: factwatch end to end against trafilatura alone, in one run.

    .venv/bin/python benchmarks/bench_pipeline.py [--pages 2000]

Serves the pages on loopback (with ETags, as most news sites send), then measures
  baseline      one process calling trafilatura.bare_extraction(html, with_metadata=True) on every page
  first pass    `factwatch check --from urls.txt` into a fresh database, through the Prefect flow
  re-check      the same command again with nothing changed
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
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pages import benchmark_pages  # noqa: E402
from rss import PeakRSS  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


class PageServer:
    """Serve /p/<i> with ETags and 304s; robots.txt is absent (allow all)."""

    def __init__(self, pages: list[str]) -> None:
        bodies = [p.encode("utf-8") for p in pages]
        etags = ['"' + hashlib.md5(b).hexdigest() + '"' for b in bodies]

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out without a delayed-ACK stall

            def do_GET(self):  # noqa: N802
                try:
                    i = int(self.path.rsplit("/", 1)[1])
                    body, etag = bodies[i], etags[i]
                except (ValueError, IndexError):
                    return self._reply(404, b"not found", "text/plain")
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out")
    args = parser.parse_args()

    pages, source = benchmark_pages(args.pages)
    print(f"{len(pages)} pages from {source}; {os.cpu_count()} cores; {platform.python_version()}", flush=True)
    base_s, docs = baseline(pages)
    print(f"baseline (serial trafilatura): {base_s:.1f} s, {1000 * base_s / len(pages):.1f} ms/page", flush=True)

    server = PageServer(pages)
    work = Path(tempfile.mkdtemp(prefix="factwatch-bench-"))
    urls = work / "urls.txt"
    urls.write_text("\n".join(server.url(i) for i in range(len(pages))), encoding="utf-8")
    env = {**os.environ, "FACTWATCH_HOST_DELAY": "0", "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "PREFECT_HOME": str(work / "prefect")}
    env.pop("PREFECT_API_URL", None)
    # Prefect creates its own database on the very first run; a user pays that once, not per check.
    one = work / "one.txt"
    one.write_text(server.url(0), encoding="utf-8")
    cold_s, _rc, _rss = run_check(one, work / "warmup.duckdb", env)
    print(f"one-URL check with a fresh Prefect home (one-off set-up): {cold_s:.1f} s", flush=True)
    first_s, first_rc, first_rss = run_check(urls, work / "bench.duckdb", env)
    print(f"first pass: {first_s:.1f} s (exit {first_rc}), peak RSS {first_rss / 2**20:.0f} MiB", flush=True)
    again_s, again_rc, again_rss = run_check(urls, work / "bench.duckdb", env)
    print(f"re-check, nothing changed: {again_s:.1f} s (exit {again_rc})", flush=True)

    import duckdb

    con = duckdb.connect(str(work / "bench.duckdb"), read_only=True)
    outcomes = dict(con.execute("SELECT outcome || ':' || run_id, count(*) FROM fetches GROUP BY ALL").fetchall())
    con.close()
    claims_s, claim_count = claims_time(docs)
    writes = write_throughput(docs, work)

    results = {
        "pages": len(pages), "source": source, "cores": os.cpu_count(), "machine": platform.machine(),
        "baseline_s": base_s, "cold_start_s": cold_s, "first_pass_s": first_s, "recheck_s": again_s,
        "first_pass_ratio": first_s / base_s, "recheck_ratio": again_s / base_s,
        "claims_s": claims_s, "claims_ratio": claims_s / base_s, "claims_ms_per_article": 1000 * claims_s / len(docs),
        "claims": claim_count, **writes,
        "peak_rss_mib": max(first_rss, again_rss) / 2**20,
        "peak_pss_mib": PEAK_PSS[0] / 2**20,
        "peak_rss_by_process_mib": {k: v / 2**20 for k, v in BREAKDOWN.items()}, "outcomes": outcomes,
    }
    print()
    print(f"{'measure':34} {'value':>14} {'ratio to baseline':>18} {'goal':>10}")
    print(f"{'baseline: serial trafilatura':34} {base_s:>12.1f} s {1.0:>18.2f}")
    print(f"{'first pass (factwatch check)':34} {first_s:>12.1f} s {first_s / base_s:>18.2f} {'<= 1.0':>10}")
    print(f"{'re-check, nothing changed':34} {again_s:>12.1f} s {again_s / base_s:>18.2f} {'<= 0.15':>10}")
    print(f"{'claims extraction':34} {claims_s:>12.2f} s {claims_s / base_s:>18.3f} {'<= 0.10':>10}")
    print(f"{'claims per article':34} {results['claims_ms_per_article']:>11.2f} ms")
    print(f"{'claims append (one Arrow batch)':34} {writes['append_claim_rows_per_s']:>10.0f} /s {'':>18} {'>= 100k':>10}")
    print(f"{'whole writer, 256-page batches':34} {writes['writer_claim_rows_per_s']:>10.0f} /s "
          f"({writes['writer_versions_per_s']:.0f} versions/s with their claims, changes and fetch rows)")
    print(f"{'peak RSS (check process tree)':34} {results['peak_rss_mib']:>10.0f} MiB {'':>18} {'<= 1024':>10}")
    print(f"{'peak PSS (shared pages counted once)':34} {PEAK_PSS[0] / 2**20:>10.0f} MiB {'':>18} {'<= 1024':>10}")
    print("peak RSS by process: " + ", ".join(f"{k} {v / 2**20:.0f} MiB" for k, v in sorted(BREAKDOWN.items())))
    print(f"outcomes: {outcomes}")
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "latest.json").write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
