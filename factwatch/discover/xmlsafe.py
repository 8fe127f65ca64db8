"""Reading untrusted XML and gzip without letting them cost more than a bounded amount.

Feeds and sitemaps never need a DTD, so a document that declares entities is
refused before any parser sees it (billion laughs, external entities). The
lxml parser used for sitemaps is hardened too: no entity resolution, no
network, no DTD loading, huge_tree off. Compressed sitemaps are inflated with
a cap on the decompressed size, so a gzip bomb stops at the cap.
"""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Iterator
from datetime import datetime, timezone

from lxml import etree

from factwatch.discover.model import DocumentProblem

GZIP_MAGIC = b"\x1f\x8b"
_CHUNK = 64 * 1024
# An entity declaration, or a DOCTYPE with an internal subset (where declarations live).
_ENTITY_DECL = re.compile(rb"<!ENTITY|<!DOCTYPE[^>\[]*\[", re.I)
_PROLOG_BYTES = 64 * 1024


def gunzip_bounded(data: bytes, limit: int) -> bytes:
    """Inflate gzip `data`, refusing output larger than `limit` bytes (a bomb stops at the cap)."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = bytearray()
    view = memoryview(data)
    try:
        for start in range(0, len(view), _CHUNK):
            pending = view[start:start + _CHUNK].tobytes()
            while pending:
                out += inflater.decompress(pending, limit + 1 - len(out))
                if len(out) > limit:
                    raise DocumentProblem(f"compressed document larger than {limit // (1024 * 1024)} MB "
                                          "after decompression")
                pending = inflater.unconsumed_tail
        out += inflater.flush()
    except zlib.error as exc:
        raise DocumentProblem(f"broken gzip data ({exc})") from None
    if not inflater.eof:
        raise DocumentProblem("broken gzip data (it ends before the compressed stream does)")
    if len(out) > limit:
        raise DocumentProblem(f"compressed document larger than {limit // (1024 * 1024)} MB after decompression")
    return bytes(out)


def refuse_entity_declarations(data: bytes) -> None:
    """Raise DocumentProblem when the document's prolog declares entities (never expanded here)."""
    head = data[:_PROLOG_BYTES]
    root = re.search(rb"<[A-Za-z_]", head)  # declarations can only come before the root element
    prolog = head[:root.start()] if root else head
    if _ENTITY_DECL.search(prolog):
        raise DocumentProblem("the document declares XML entities (a DTD with entities is refused: "
                              "feeds and sitemaps never need one)")


def hardened_events(data: bytes, tags: tuple[str, ...] | None = None) -> Iterator[tuple[str, etree._Element]]:
    """Stream (event, element) pairs from `data` with a parser that resolves nothing and loads nothing."""
    refuse_entity_declarations(data)
    parser = etree.iterparse(io.BytesIO(data), events=("start", "end"), resolve_entities=False,
                             no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False,
                             remove_comments=True, remove_pis=True, recover=False)
    try:
        yield from parser
    except etree.XMLSyntaxError as exc:
        raise DocumentProblem(f"malformed XML ({_first_line(exc)})") from None


def _first_line(exc: Exception) -> str:
    return (str(exc).splitlines() or ["no detail"])[0][:200]


def local_name(tag: object) -> str:
    """'urlset' from '{http://www.sitemaps.org/schemas/sitemap/0.9}urlset' (comments have no name)."""
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def parse_w3c_datetime(text: str | None) -> datetime | None:
    """A sitemap or JSON Feed date ('2024-03-14', '2024-03-14T10:00:00+03:00', '…Z') in UTC, or None."""
    if not text:
        return None
    value = text.strip()
    if len(value) > 40:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)
