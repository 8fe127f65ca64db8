"""The pipeline's parts: what is skipped before extraction, and what a fetched page becomes."""

from __future__ import annotations

import zlib
from datetime import datetime, timezone

import pytest

from factwatch.net.fetch import FetchResult
from factwatch.runtime.pipeline import PageJob, PageUnreadable, page_html, process_fetched
from factwatch.cli.storyserver import demo_story_versions
from factwatch.extract.textnorm import bytes_hash

HTML = demo_story_versions()[0]
NOW = datetime(2024, 3, 15, 8, 0, tzinfo=timezone.utc)


def fetched(html: str | None, status: int = 200) -> FetchResult:
    return FetchResult("https://news.example/a", "https://news.example/a", status, status == 304, html, "utf-8",
                       '"v2"', None, NOW)


def test_a_new_page_is_extracted_with_claims_and_its_raw_html():
    result = process_fetched(PageJob("https://news.example/a"), fetched(HTML))
    assert result.outcome == "fetched" and result.html_hash == bytes_hash(HTML.encode())
    assert page_html(result.extracted.raw_html_zlib) == HTML
    assert any(c.claim_type == "casualty" and c.value == "13" for c in result.extracted.claims)
    # "on Thursday" in a page published Thursday 14 March 2024 resolves against that date
    assert any(c.claim_type == "date" and c.value == "2024-03-14" for c in result.extracted.claims)


def test_a_byte_identical_page_is_not_extracted_again():
    job = PageJob("https://news.example/a", etag='"v1"', html_hash=bytes_hash(HTML.encode()))
    result = process_fetched(job, fetched(HTML))
    assert result.outcome == "unchanged" and result.extracted is None
    assert result.etag == '"v2"'  # the new validators are kept for the next conditional GET


def test_not_modified_keeps_the_previous_validators():
    job = PageJob("https://news.example/a", etag='"v1"', last_modified="Thu, 14 Mar 2024 08:00:00 GMT",
                  html_hash="abc")
    result = process_fetched(job, FetchResult(job.url, job.url, 304, True, None, None, None, None, NOW))
    assert result.outcome == "not_modified" and result.extracted is None
    assert (result.etag, result.last_modified, result.html_hash) == ('"v1"', job.last_modified, "abc")


def test_a_page_without_article_text_is_an_error_not_an_empty_version():
    result = process_fetched(PageJob("https://news.example/a"), fetched("<html><body><nav>Home</nav></body></html>"))
    assert result.outcome == "error" and result.extracted is None
    assert result.error == "no article text found on the page"


@pytest.mark.parametrize("stored", [
    pytest.param(lambda html: zlib.compress(html.encode("utf-8"), 6), id="zlib, stored before schema version 7"),
    pytest.param(lambda html: __import__("zstandard").ZstdCompressor(level=3).compress(html.encode("utf-8")),
                 id="zstd frame"),
])
def test_stored_pages_read_back_in_either_format(stored):
    assert page_html(stored(HTML)) == HTML


@pytest.mark.parametrize("damaged", [b"not zlib", b"\x28\xb5\x2f\xfd broken frame", zlib.compress(b"\xff\xfe\xfa")])
def test_a_damaged_stored_page_is_unreadable_not_a_crash(damaged):
    with pytest.raises(PageUnreadable):
        page_html(damaged)
