"""Turning a page's bytes into text: BOM, then the declared charset, then detection.

Pure functions (no I/O).  The order follows what browsers do, with two
repairs for common server mistakes: a page labelled Latin-1 that is valid
UTF-8 is read as UTF-8, and a label that fails to decode is skipped.
"""

from __future__ import annotations

import codecs
import re

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# Browsers read these labels as windows-1252 (WHATWG Encoding Standard).
_AS_CP1252 = {"iso8859_1", "latin_1", "ascii", "cp1252", "iso8859_15"}


def _codec_name(label: str) -> str | None:
    try:
        return codecs.lookup(label.strip().strip("\"'")).name.replace("-", "_")
    except (LookupError, ValueError):  # unknown label, or one with a NUL byte in it
        return None


def _decode_as(body: bytes, label: str) -> tuple[str, str] | None:
    codec = _codec_name(label)
    if codec is None:
        return None
    if codec in _AS_CP1252:
        if not body.isascii():
            # A page labelled Latin-1 that is valid UTF-8 is UTF-8 mislabelled;
            # real Latin-1 text is almost never valid UTF-8 by accident.
            try:
                return body.decode("utf-8"), "utf-8"
            except UnicodeDecodeError:
                pass
        for name in ("cp1252", "latin-1"):
            try:
                return body.decode(name), name
            except UnicodeDecodeError:
                continue
    try:
        return body.decode(codec), codec.replace("_", "-")
    except (UnicodeError, LookupError):  # codecs like "undefined" and "punycode" raise plain UnicodeError
        return None


def _detect(body: bytes) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    if len(body) < 256:  # too little to go on: assume what browsers assume
        return body.decode("cp1252", "replace"), "cp1252"
    # HTML markup is ASCII, so without NUL bytes the page cannot be UTF-16/32.
    matches = [m for m in from_bytes(body) if b"\x00" in body or not m.encoding.startswith("utf_16")
               and not m.encoding.startswith("utf_32")]
    if not matches:
        return body.decode("cp1252", "replace"), "cp1252"
    best = matches[0]
    # Short Western pages fit several single-byte code pages equally well;
    # windows-1252 is what browsers assume, so it wins a tie.
    for match in matches:
        if match.encoding == "cp1252" and match.chaos <= best.chaos:
            best = match
    return str(best), best.encoding.replace("_", "-")


def decode_body(body: bytes, header_charset: str | None) -> tuple[str, str]:
    """Decode a page: BOM, then the header charset, then the page's meta, then detection."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return body.decode(name, "replace"), name
    labels = [header_charset] if header_charset else []
    match = _META_CHARSET.search(body[:4096])
    if match:
        labels.append(match.group(1).decode("ascii", "ignore"))
    for label in labels + ["utf-8"]:
        decoded = _decode_as(body, label)
        if decoded is not None:
            return decoded
    return _detect(body)


def looks_binary(body: bytes) -> bool:
    """Whether the body is binary data (NUL bytes near the start) rather than text."""
    head = body[:2048]
    return b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))


def looks_like_html(body: bytes) -> bool:
    """Whether a body without a Content-Type is plausibly an HTML page."""
    head = body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html", b"<!--")) or any(
        tag in head for tag in (b"<html", b"<head", b"<body"))

