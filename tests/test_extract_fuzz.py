"""Hypothesis fuzzing of the page path: mangled HTML into extraction, arbitrary bytes into decoding.

A hostile or broken page may only ever end as an Extracted with honest claim
offsets or as NoArticle (recorded as "no article text"); any other exception
would escape the batch. Decoding must turn any bytes under any charset label
into text.
"""

from __future__ import annotations

import codecs
import encodings.aliases
from datetime import datetime, timezone

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from factwatch.extract.article import NoArticle
from factwatch.net.fetch import decode_body
from factwatch.runtime.pipeline import Extracted, extract_page
from factwatch.cli.storyserver import demo_story_versions, fill_chrome

URL = "https://courier.example/world/ferry-capsizes"
FETCHED_AT = datetime(2024, 3, 14, 12, 0, tzinfo=timezone.utc)
BASE = fill_chrome(demo_story_versions()[0], 1)
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_TAGS = st.sampled_from([
    "<div>", "</div>", "<p>", "</p>", "<article>", "</article>", "</body>", "<body>", "</html>", "<html>",
    "<table><tr><td>", "</td></tr>", "<script>", "</script>", "<style>", "<!--", "-->", "<![CDATA[", "]]>",
    "<nav>", "<li>", "<h1>", "</h1>", "<br/>", "<p class='x", '<a href="', "<?xml version='1.0'?>",
    "<!DOCTYPE html>", "<svg><foreignObject>", "<math>", "<template>", "<noscript>", "<", ">", "&", "&#0;",
    "&#x110000;", "&nbsp;", "&amp", "\x00", "\ufeff", "\u202e", "\r", "\x0c",
])
_JUNK_TEXT = st.text(
    st.characters(blacklist_categories=("Cs",)), max_size=60)  # decoded pages never hold lone surrogates
_JUNK_BYTES = st.binary(max_size=60).map(lambda b: b.decode("latin-1"))
_INSERT = st.one_of(_TAGS, _JUNK_TEXT, _JUNK_BYTES, st.lists(_TAGS, max_size=20).map("".join))


@st.composite
def _edit(draw, html: str) -> str:
    """Apply one mangling to `html`."""
    n = len(html)
    i = draw(st.integers(0, n))
    j = draw(st.integers(i, min(n, i + 2000)))
    kind = draw(st.sampled_from(["truncate", "delete", "duplicate", "insert", "nest", "attribute", "nul"]))
    event(kind)
    if kind == "truncate":
        return html[:i]
    if kind == "delete":
        return html[:i] + html[j:]
    if kind == "duplicate":
        return html[:j] + html[i:j] * draw(st.integers(1, 3)) + html[j:]
    if kind == "insert":
        return html[:i] + draw(_INSERT) + html[i:]
    if kind == "nest":
        depth = draw(st.integers(1, 1500))
        closed = draw(st.booleans())
        return html[:i] + "<div>" * depth + html[i:j] + ("</div>" * depth if closed else "") + html[j:]
    if kind == "attribute":
        size = draw(st.sampled_from([1_000, 100_000, 1_000_000]))
        return html[:i] + f'<p data-x="{"a" * size}">' + html[i:]
    return html[:i] + "\x00" * draw(st.integers(1, 50)) + html[i:]


@st.composite
def mangled_pages(draw) -> str:
    """The demo article after one to four manglings."""
    html = BASE
    for _ in range(draw(st.integers(1, 4))):
        html = draw(_edit(html))
    return html


def _extract_or_no_article(html: str) -> Extracted | None:
    try:
        return extract_page(html, URL, FETCHED_AT)
    except NoArticle:
        return None


def _assert_honest(extracted: Extracted) -> None:
    assert extracted.text.strip()
    for claim in extracted.claims:
        assert claim.sentence[claim.start:claim.end] == claim.text, claim


def test_base_page_extracts():
    extracted = _extract_or_no_article(BASE)
    assert extracted is not None and extracted.claims
    _assert_honest(extracted)


@FUZZ
@given(mangled_pages())
@example(BASE[: len(BASE) // 2])
@example(BASE.replace("<article>", "<div>" * 1500))
@example(BASE.replace("<p>", "<p>\x00", 3))
@example(BASE.replace("</p>", "", 5).replace("</article>", "<table><tr><td>"))
def test_mangled_page_gives_article_or_no_article(html):
    first = _extract_or_no_article(html)
    event("no article" if first is None else "article")
    if first is None:
        return
    _assert_honest(first)
    again = _extract_or_no_article(html)
    assert again is not None
    assert again.content_hash == first.content_hash and again.claims == first.claims


@settings(max_examples=60, deadline=None)
@given(st.one_of(_JUNK_TEXT, st.text(max_size=2000), st.lists(_INSERT, max_size=40).map("".join)))
def test_arbitrary_text_as_html_gives_article_or_no_article(html):
    extracted = _extract_or_no_article(html)
    if extracted is not None:
        _assert_honest(extracted)


# Codec names that are not ordinary text encodings, or that fail in unusual ways.
_ODD_LABELS = ["undefined", "punycode", "idna", "x-user-defined", "unicode-1-1-utf-7", "utf-7", "utf-32",
               "rot13", "base64", "zlib", "hex", "uu", "bz2", "quopri", "mbcs", "utf_8_sig", "raw_unicode_escape",
               "unicode_escape", "charmap", "utf-16-be", " utf-8 ", '"latin1"']
_KNOWN_LABELS = sorted(set(encodings.aliases.aliases) | set(encodings.aliases.aliases.values()) | set(_ODD_LABELS))
_LABELS = st.one_of(st.none(), st.sampled_from(_KNOWN_LABELS), st.sampled_from(_ODD_LABELS), st.text(max_size=20))
_META_LABELS = st.one_of(st.sampled_from(_KNOWN_LABELS), st.sampled_from(_ODD_LABELS),
                         st.text("abcdefghijklmnopqrstuvwxyz0123456789_.:-", max_size=20))
_BOMS = st.sampled_from([b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE])


@st.composite
def page_bytes(draw) -> bytes:
    """Arbitrary bytes, sometimes behind a BOM or a <meta charset> naming any label."""
    body = draw(st.binary(max_size=1500))
    if draw(st.booleans()):
        meta = f'<html><head><meta charset="{draw(_META_LABELS)}"></head><body>'.encode("ascii")
        body = meta + body
    return draw(_BOMS) + body


def _assert_decodes(body: bytes, label: str | None) -> None:
    text, encoding = decode_body(body, label)
    assert isinstance(text, str) and isinstance(encoding, str) and encoding
    assert decode_body(body, label) == (text, encoding)


# Labels a server can send that Python's codecs registry knows but cannot decode text with.
@pytest.mark.parametrize("body, label", [
    (b"<html><p>caf\xe9</p></html>", "undefined"),
    (b'<html><head><meta charset="undefined"></head><p>x</p></html>', None),
    (b"<html><p>x</p></html>", "punycode"),
    (b"<html><p>x</p></html>", "utf\x00-8"),
])
def test_decode_body_survives_unusable_labels(body, label):
    _assert_decodes(body, label)


@settings(max_examples=400, deadline=None)
@given(page_bytes(), _LABELS)
def test_decode_body_never_raises_and_returns_text(body, label):
    _assert_decodes(body, label)
