"""Discovery speed: N feeds of M items on loopback, read by the real discover-articles flow, twice.

    .venv/bin/python benchmarks/bench_discover.py --feeds 200 --items 50

The first run reads and parses every feed and watches the new items (cap
raised so all are taken); the second finds every feed unchanged (304).
Prefect's temporary API start-up is paid before the timings start.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Thread


def feed(base: str, n: int, items: int) -> bytes:
    now = datetime.now(timezone.utc)
    body = "".join(f"<item><title>Story {n}-{i}</title><link>{base}/feed{n}/story-number-{i}-of-feed</link>"
                   f"<pubDate>{format_datetime(now - timedelta(minutes=i), usegmt=True)}</pubDate>"
                   f"<description>Some words about story {i}.</description></item>" for i in range(items))
    return f"<?xml version='1.0'?><rss version='2.0'><channel><title>Feed {n}</title>{body}</channel></rss>".encode()


def serve(feeds: int, items: int) -> ThreadingHTTPServer:
    bodies: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):  # noqa: N802
            if self.path == "/robots.txt":
                body, ctype = b"User-agent: *\nAllow: /\n", "text/plain"
            else:
                body, ctype = bodies.get(self.path), "application/rss+xml"
            if body is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            etag = f'"{hash(body)}"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("ETag", etag)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    base = f"http://127.0.0.1:{server.server_address[1]}"
    for n in range(feeds):
        bodies[f"/feed{n}.xml"] = feed(base, n, items)
    Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--items", type=int, default=50)
    args = parser.parse_args()
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.update(FACTWATCH_HOST_DELAY="0", FACTWATCH_ALLOW_PRIVATE_NETWORKS="1",
                      FACTWATCH_DISCOVER_MAX_NEW=str(args.items))
    from factwatch.flows.prefect_api import temporary_api
    from factwatch.storage import connect
    from factwatch.storage.sources import add_source

    server = serve(args.feeds, args.items)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    db = str(Path(tempfile.mkdtemp()) / "bench.duckdb")
    with connect(db) as con:
        for n in range(args.feeds):
            add_source(con, f"{base}/feed{n}.xml", "auto", [base.split("//")[1]])
    with temporary_api():
        from factwatch.flows.discover import discover_articles

        discover_articles(db, source=f"{base}/nothing")  # pays the API's and the flow's first start
        for label in ("first run (all new)", "second run (all 304)"):
            started = time.perf_counter()
            summary = discover_articles(db, everything=True)
            elapsed = time.perf_counter() - started
            print(f"{label}: {args.feeds} feeds x {args.items} items in {elapsed:.2f} s; "
                  f"{len(summary.watched)} new watches, {len(summary.failed)} failed", flush=True)
    server.shutdown()


if __name__ == "__main__":
    sys.exit(main())
