"""A loopback HTTP server that serves successive versions of a story.

Used by `factwatch demo` and by the tests: it fills each page's chrome
(comment counter, ad slot, CSRF token, cache-buster, "updated N minutes ago")
with values that change on every request, as real news sites do, and it
answers conditional GETs with 304 when the page has not changed.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources

_ADS = ("Sponsored: Save 20% on flights today", "Advertisement", "Try our puzzles app — free for 7 days")


def demo_story_versions() -> list[str]:
    """The bundled demo story: four versions of one developing article."""
    folder = resources.files("factwatch.cli").joinpath("demo_story")
    return [folder.joinpath(f"v{i}.html").read_text(encoding="utf-8") for i in range(1, 5)]


def fill_chrome(template: str, request_no: int) -> str:
    """Fill a page's chrome placeholders with per-request noise."""
    noise = {
        "{{CSRF}}": hashlib.sha1(f"csrf{request_no}".encode()).hexdigest(),
        "{{CACHEBUST}}": str(1700000000 + request_no * 37),
        "{{UPDATED}}": str(2 + request_no % 55),
        "{{COMMENTS}}": str(3 * request_no + 1),
        "{{AD}}": _ADS[request_no % len(_ADS)],
        "{{IMG}}": f"{request_no % 4}",
        "{{MOSTREAD}}": f"Fire at market leaves {request_no % 7 + 2} dead",
        "{{MODIFIED}}": f"2024-03-{14 + request_no % 3:02d}T10:00:00+03:00",
    }
    for placeholder, value in noise.items():
        template = template.replace(placeholder, value)
    return template


class _LoopbackServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the default listen backlog of 5 drops connects under many fetch threads


class StoryServer:
    """Serve `pages` (path -> list of HTML versions); `advance()` moves to the next version."""

    def __init__(self, pages: dict[str, Sequence[str]], chrome_noise: bool = True) -> None:
        self.pages = {path: list(versions) for path, versions in pages.items()}
        self.current = {path: 0 for path in pages}
        self.chrome_noise = chrome_noise
        self.requests: list[tuple[str, dict]] = []
        self.request_times: list[tuple[str, float]] = []  # (path, time.monotonic()) of each request
        self._count = 0
        self._lock = threading.Lock()
        self._server = _LoopbackServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        """http://127.0.0.1:PORT"""
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def url(self, path: str) -> str:
        """The full URL of one served path."""
        return self.base_url + path

    def set_version(self, path: str, index: int) -> None:
        """Serve version `index` (0-based) of `path` from now on."""
        self.current[path] = index

    def advance(self) -> None:
        """Move every page to its next version (staying on the last one)."""
        for path, versions in self.pages.items():
            self.current[path] = min(self.current[path] + 1, len(versions) - 1)

    def render(self, path: str) -> tuple[bytes, str]:
        """The page body for this request and its ETag (of the template version)."""
        with self._lock:
            self._count += 1
            count = self._count
        template = self.pages[path][self.current[path]]
        etag = '"' + hashlib.md5(template.encode()).hexdigest() + '"'
        html = fill_chrome(template, count) if self.chrome_noise else fill_chrome(template, 0)
        return html.encode("utf-8"), etag

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (stdlib name)
                server.requests.append((self.path, dict(self.headers)))
                server.request_times.append((self.path, time.monotonic()))
                if self.path == "/robots.txt":
                    return self._send(200, b"User-agent: *\nAllow: /\n", "text/plain")
                if self.path not in server.pages:
                    return self._send(404, b"<html><body>Not found</body></html>", "text/html")
                body, etag = server.render(self.path)
                if not server.chrome_noise and self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return None
                return self._send(200, body, "text/html; charset=utf-8", etag if not server.chrome_noise else None)

            def _send(self, status, body, ctype, etag=None):
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                if etag:
                    self.send_header("ETag", etag)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):  # keep test and demo output quiet
                pass

        return Handler

    def __enter__(self) -> StoryServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
