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
    """Promise 100 kB, send a little, then reset the connection (RST, not FIN)."""
    handler.send_response_only(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Content-Length", "100000")
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


@pytest.fixture
def hostile_server():
    """A started HostileServer, stopped after the test."""
    server = HostileServer().start()
    yield server
    server.stop()
