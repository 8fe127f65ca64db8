"""The Atom feed of flags over HTTP on loopback, for `factwatch serve` (a thread in its process).

Each request opens the database read-only for a moment, so the scheduled runs
(in their own processes) wait at most that long for the file.
"""

from __future__ import annotations

import logging
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from factwatch.alerts.feed import atom_feed
from factwatch.storage import connect
from factwatch.storage.alerts import feed_rows

log = logging.getLogger(__name__)
DEFAULT_FEED_PORT = 4280
FEED_PATH = "/flags.atom"


def _free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


class FeedServer:
    """Serve /flags.atom (optionally ?url_like=PATTERN) from a DuckDB file on 127.0.0.1."""

    def __init__(self, db: str, port: int | None = None, lock_wait: float = 120.0) -> None:
        self.db, self.lock_wait = db, lock_wait
        port = port if port is not None else (DEFAULT_FEED_PORT if _free(DEFAULT_FEED_PORT) else 0)
        self._server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self._server.daemon_threads = True
        # A short poll keeps Ctrl-C quick: shutdown() waits for the loop to look at its flag.
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1},
                                        daemon=True, name="factwatch-feed")

    @property
    def url(self) -> str:
        """The feed's address."""
        return f"http://127.0.0.1:{self._server.server_address[1]}{FEED_PATH}"

    def document(self, url_like: str | None = None) -> str:
        """The feed as it stands now (an empty feed before the first check)."""
        if not Path(self.db).exists():
            return atom_feed([], self_link=self.url)
        with connect(self.db, read_only=True, wait=self.lock_wait) as con:
            rows = feed_rows(con, url_like)
        return atom_feed(rows, self_link=self.url)

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (stdlib name)
                parts = urlsplit(self.path)
                if parts.path != FEED_PATH:
                    return self._send(404, b"not found: the feed is at " + FEED_PATH.encode(), "text/plain")
                url_like = (parse_qs(parts.query).get("url_like") or [None])[0]
                try:
                    body = server.document(url_like).encode("utf-8")
                except Exception as exc:  # a busy or damaged file: say so, keep serving
                    log.warning("feed request failed: %s", exc)
                    return self._send(503, f"feed unavailable: {exc}".encode(), "text/plain")
                return self._send(200, body, "application/atom+xml; charset=utf-8")

            def _send(self, status: int, body: bytes, ctype: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):  # requests are not news
                pass

        return Handler

    def __enter__(self) -> FeedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
