"""A misbehaving HTTP server on loopback, for testing the fetcher against real sockets.

    server = HostileServer().start()
    server.page("/ok", "<html>...</html>")
    server.route("/reset", reset_mid_body)
    ...
    server.requests_for("/ok")   # what the server actually saw
    server.stop()

Or use the `hostile_server` pytest fixture (import it explicitly into a test
module).  Behaviours are plain functions taking the request handler, so a
test can add its own.
"""

from __future__ import annotations

import gzip
import socket
import struct
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

Behaviour = Callable[["HostileHandler"], None]


@dataclass(frozen=True, slots=True)
class SeenRequest:
    """One request as the server received it."""

    path: str
    headers: dict[str, str]
    at: float = field(default_factory=time.monotonic)


class HostileHandler(BaseHTTPRequestHandler):
    """Dispatches each GET to the behaviour registered for its path."""

    server: _Server
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 -- http.server's naming
        path = self.path.split("?")[0]
        self.server.owner.record(SeenRequest(self.path, dict(self.headers.items())))
        behaviour = self.server.owner.routes.get(path, not_found)
        behaviour(self)

    def handle(self) -> None:
        # Hostile behaviours break their own connections on purpose.
        try:
            super().handle()
        except (OSError, ValueError):
            pass

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None,
             content_length: bool = True) -> None:
        """Answer with a status, headers and body (Content-Length unless told not to)."""
        self.send_response_only(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if content_length:
            self.send_header("Content-Length", str(len(body)))
        else:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the default listen backlog of 5 drops connects under eight fetch threads
    owner: HostileServer

    def handle_error(self, request, client_address) -> None:
        pass


class HostileServer:
    """A loopback HTTP server whose paths misbehave in chosen ways."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.routes: dict[str, Behaviour] = {}
        self.seen: list[SeenRequest] = []
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._httpd = _Server((host, 0), HostileHandler)
        self._httpd.owner = self
        self.port = self._httpd.server_address[1]
        self.base = f"http://{host}:{self.port}"

    def start(self) -> HostileServer:
        threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def url(self, path: str) -> str:
        return self.base + path

    def record(self, request: SeenRequest) -> None:
        with self._lock:
            self.seen.append(request)

    def requests_for(self, path: str) -> list[SeenRequest]:
        with self._lock:
            return [r for r in self.seen if r.path.split("?")[0] == path]

    def route(self, path: str, behaviour: Behaviour) -> str:
        """Serve `path` with `behaviour`; return its full URL."""
        self.routes[path] = behaviour
        return self.url(path)

    def page(self, path: str, body: str | bytes, content_type: str | None = "text/html; charset=utf-8",
             status: int = 200, headers: dict[str, str] | None = None) -> str:
        """Serve a fixed answer at `path`; return its full URL."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        extra = dict(headers or {})
        if content_type is not None:
            extra["Content-Type"] = content_type
        return self.route(path, lambda h: h.send(status, data, extra))


# Behaviours ---------------------------------------------------------------

def not_found(handler: HostileHandler) -> None:
    handler.send(404, b"<html><body>not here</body></html>", {"Content-Type": "text/html"})


def redirect_to(location: str, status: int = 302) -> Behaviour:
    return lambda h: h.send(status, b"", {"Location": location})


def _reset(handler: HostileHandler) -> None:
    """Close with SO_LINGER 0, so the client sees a TCP reset."""
    handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    # The file objects hold the socket open; all must go for close() to happen.
    for stream in (handler.rfile, handler.wfile, handler.connection):
        stream.close()


def reset_mid_body(handler: HostileHandler) -> None:
    """Promise 10 kB, send a little, then reset the connection (RST, not FIN)."""
    handler.send_response_only(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Content-Length", "10000")
    handler.end_headers()
    handler.wfile.write(b"<html><body><p>partial")
    handler.wfile.flush()
    _reset(handler)


def reset_before_answer(handler: HostileHandler) -> None:
    """Accept the request, then reset without a byte of answer."""
    _reset(handler)


def never_answer(handler: HostileHandler) -> None:
    """Read the request and say nothing until the server stops."""
    handler.server.owner.stopping.wait(30)


def slow_drip(handler: HostileHandler, interval: float = 0.05) -> None:
    """Send a large body one small piece at a time, each well within any read timeout."""
    handler.send_response_only(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Connection", "close")
    handler.end_headers()
    handler.wfile.write(b"<html><body>")
    while not handler.server.owner.stopping.wait(interval):
        handler.wfile.write(b"<p>drip</p>")
        handler.wfile.flush()


def garbage_status_line(handler: HostileHandler) -> None:
    """Answer with bytes that are not HTTP at all."""
    handler.wfile.write(b"\x00\xff\xfeNOT HTTP AT ALL\r\n\r\n\x13\x37")
    handler.close_connection = True


@lru_cache(maxsize=4)
def gzip_bomb(megabytes: int) -> bytes:
    """`megabytes` MB of zeros, gzip-compressed (about 1000:1)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1024 * 1024)
    parts = [compressor.compress(block) for _ in range(megabytes)]
    return b"".join(parts) + compressor.flush()


def serve_gzip_bomb(megabytes: int) -> Behaviour:
    """Serve a gzip bomb as an HTML page with Content-Encoding: gzip."""
    body = gzip_bomb(megabytes)
    return lambda h: h.send(200, body, {"Content-Type": "text/html", "Content-Encoding": "gzip"})


def serve_gzip(html: str) -> Behaviour:
    """Serve an ordinary gzip-compressed page."""
    body = gzip.compress(html.encode("utf-8"))
    return lambda h: h.send(200, body, {"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"})


def conditional(etag: str, last_modified: str, html: str) -> Behaviour:
    """Answer 304 when the client already has this ETag or date, else the page."""
    def behaviour(h: HostileHandler) -> None:
        if h.headers.get("If-None-Match") == etag or h.headers.get("If-Modified-Since") == last_modified:
            h.send(304, b"", {"ETag": etag}, content_length=False)
        else:
            h.send(200, html.encode(), {"Content-Type": "text/html", "ETag": etag, "Last-Modified": last_modified})
    return behaviour


@dataclass(frozen=True, slots=True)
class Expected:
    """What the fetcher should make of one menagerie path: a fetch_log outcome and error text."""

    outcome: str  # "ok", "error" or "refused" (as FetchError.outcome, or "ok" for a page)
    error: str | None  # a substring of the plain-words reason; None for "ok"
    transient: bool = False


GOOD_PAGE = ("<html><head><title>Flood toll rises</title></head><body><article><h1>Flood toll rises</h1>"
             "<p>At least 13 people died in the floods, officials said on Monday.</p></article></body></html>")


def install_menagerie(server: HostileServer, max_bytes: int = 64 * 1024) -> dict[str, Expected]:
    """Serve every misbehaviour at once beside good pages; return path -> what to expect.

    Fetch with FetchSettings(allow_private_networks=True, host_delay=0,
    timeout=0.5, max_bytes=max_bytes).  Paths under /private are disallowed
    by the robots.txt served here.
    """
    latin1 = ("<html><body><p>Le café de Zürich a rouvert; l'incendie de la Bahnhofstraße a fait treize "
              "blessés selon la police, et l'enquête se poursuit à la mairie.</p></body></html>")
    server.page("/robots.txt", "User-agent: *\nDisallow: /private\n", content_type="text/plain")
    routes: dict[str, tuple[Behaviour | None, Expected]] = {
        "/good": (None, Expected("ok", None)),
        "/good-gzip": (serve_gzip(GOOD_PAGE), Expected("ok", None)),
        "/latin1": (lambda h: h.send(200, latin1.encode("latin-1"), {"Content-Type": "text/html"}),
                    Expected("ok", None)),
        "/broken-html": (lambda h: h.send(200, b"<html><body><p>13 dead</div></td>", {"Content-Type": "text/html"}),
                         Expected("ok", None)),
        "/gone": (lambda h: h.send(410, b"gone", {"Content-Type": "text/html"}), Expected("error", "HTTP 410 Gone")),
        "/missing": (not_found, Expected("error", "HTTP 404 Not Found")),
        "/server-error": (lambda h: h.send(500, b"oops"), Expected("error", "HTTP 500", True)),
        "/unavailable": (lambda h: h.send(503, b"", {"Retry-After": "30"}), Expected("error", "HTTP 503", True)),
        "/too-many": (lambda h: h.send(429, b"", {"Retry-After": "120"}),
                      Expected("error", "HTTP 429 Too Many Requests (retry after 120 s)", True)),
        "/reset": (reset_mid_body, Expected("error", "connection reset", True)),
        "/hang": (never_answer, Expected("error", "no answer within", True)),
        "/loop-a": (redirect_to("/loop-b"), Expected("error", "redirect loop")),
        "/loop-b": (redirect_to("/loop-a"), Expected("error", "redirect loop")),
        "/chain0": (redirect_to("/chain1"), Expected("error", "more than 5 redirects")),
        **{f"/chain{i}": (redirect_to(f"/chain{i + 1}"), Expected("ok", None)) for i in range(1, 6)},
        "/chain6": (None, Expected("ok", None)),
        "/pdf": (lambda h: h.send(200, b"%PDF-1.7", {"Content-Type": "application/pdf"}),
                 Expected("error", "not an HTML page (Content-Type application/pdf)")),
        "/png": (lambda h: h.send(200, b"\x89PNG\r\n\x1a\n\x00", {"Content-Type": "image/png"}),
                 Expected("error", "not an HTML page (Content-Type image/png)")),
        "/json": (lambda h: h.send(200, b"{}", {"Content-Type": "application/json"}),
                  Expected("error", "not an HTML page (Content-Type application/json)")),
        "/empty": (lambda h: h.send(200, b"", {"Content-Type": "text/html"}), Expected("error", "empty response body")),
        "/garbage": (lambda h: h.send(200, bytes(range(256)) * 4, {"Content-Type": "text/html"}),
                     Expected("error", "not an HTML page (binary content")),
        "/huge": (lambda h: h.send(200, b"<html>" + b"x" * (max_bytes + 1), {"Content-Type": "text/html"}),
                  Expected("error", "page larger than")),
        "/bomb": (serve_gzip_bomb(50), Expected("error", "after decompression")),
        "/private/page": (None, Expected("refused", "refused by robots.txt")),
        "/to-metadata": (redirect_to("http://169.254.169.254/latest/meta-data/"),
                         Expected("refused", "169.254.169.254 is a link-local address")),
    }
    expected = {}
    for path, (behaviour, outcome) in routes.items():
        if behaviour is None:
            server.page(path, GOOD_PAGE)
        else:
            server.route(path, behaviour)
        expected[path] = outcome
    return expected


@pytest.fixture
def hostile_server():
    """A started HostileServer, stopped after the test."""
    server = HostileServer().start()
    yield server
    server.stop()
