"""Pages and 304s from one host reuse pooled connections instead of a handshake each."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from factwatch.net.fetch import Fetcher, FetchSettings

PAGE = b"<html><head><title>t</title></head><body><article><p>" + b"Words of the story. " * 40 + b"</p></article></body></html>"


def test_connections_are_reused_for_pages_and_not_modified():
    ports: list[int] = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):  # noqa: N802
            ports.append(self.client_address[1])
            if self.path == "/robots.txt":
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if self.headers.get("If-None-Match") == '"v1"':
                self.send_response(304)
                self.send_header("ETag", '"v1"')
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(PAGE)))
            self.send_header("ETag", '"v1"')
            self.end_headers()
            self.wfile.write(PAGE)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        fetcher = Fetcher(FetchSettings(allow_private_networks=True, host_delay=0))
        base = f"http://127.0.0.1:{server.server_address[1]}"
        pages = [fetcher.fetch(f"{base}/story/{i}") for i in range(5)]
        unchanged = [fetcher.fetch(f"{base}/story/{i}", etag='"v1"') for i in range(5)]
    finally:
        server.shutdown()
        server.server_close()
    assert all(p.status == 200 and "Words of the story" in p.html for p in pages)
    assert all(u.not_modified for u in unchanged)
    assert len(ports) == 11  # robots.txt once, then ten page requests
    assert len(set(ports)) <= 2, f"{len(set(ports))} connections for {len(ports)} requests"
