"""Raw pages as stored: a later version against its article's first page, every page read back exactly."""

from __future__ import annotations

import zlib
from datetime import datetime, timedelta, timezone

from factwatch.cli.storyserver import demo_story_versions
from factwatch.runtime.pipeline import PageResult, extract_page, page_html
from factwatch.storage import connect
from factwatch.storage.reprocess import stored_pages
from factwatch.storage.writer import record_results

T0 = datetime(2024, 3, 14, 10, tzinfo=timezone.utc)
URL = "https://example.org/world/ferry"


def _fetched(html: str, step: int) -> PageResult:
    at = T0 + timedelta(hours=step)
    return PageResult(url=URL, outcome="fetched", fetched_at=at, http_status=200, extracted=extract_page(html, URL, at))


def test_later_versions_are_stored_against_the_first_page_and_read_back_exactly(tmp_path):
    pages = []
    with connect(tmp_path / "p.duckdb") as con:
        for step, html in enumerate(demo_story_versions()):
            if record_results(con, [_fetched(html, step)]).outcomes.get("new_version"):
                pages.append(html)  # the pages whose text changed, so each stored a version
        stored = con.execute("SELECT version_no, version_id, page_base_version_id, octet_length(raw_html_zlib) "
                             "FROM versions ORDER BY version_no").fetchall()
        rows = stored_pages(con, [1])
    first_id = stored[0][1]
    assert len(pages) >= 3 and [base for _no, _id, base, _size in stored] == [None] + [first_id] * (len(pages) - 1)
    whole = len(zlib.compress(pages[1].encode("utf-8"), 6))
    assert all(size < whole / 3 for _no, _id, base, size in stored if base)  # a fraction of the page alone
    assert [page_html(raw, reference) for *_, raw, _encoding, reference in rows] == pages


def test_a_version_whose_first_page_is_unreadable_is_stored_whole(tmp_path):
    pages = demo_story_versions()[0::2]  # the first two whose texts differ
    with connect(tmp_path / "p.duckdb") as con:
        record_results(con, [_fetched(pages[0], 0)])
        con.execute("UPDATE versions SET raw_html_zlib = 'damaged'::BLOB")
        record_results(con, [_fetched(pages[1], 1)])
        base, raw = con.execute("SELECT page_base_version_id, raw_html_zlib FROM versions WHERE version_no = 2"
                                ).fetchall()[0]
    assert base is None and page_html(raw) == pages[1]


def test_pages_stored_before_version_7_still_read_back(tmp_path):
    """A zlib page of an older file is read as it is: the upgrade rewrites no page."""
    html = demo_story_versions()[0]
    with connect(tmp_path / "p.duckdb") as con:
        record_results(con, [_fetched(html, 0)])
        con.execute("UPDATE versions SET raw_html_zlib = ?", [zlib.compress(html.encode("utf-8"), 6)])
        record_results(con, [_fetched(demo_story_versions()[2], 1)])
        rows = stored_pages(con, [1])
    assert [page_html(raw, reference) for *_, raw, _encoding, reference in rows] == demo_story_versions()[0::2][:2]
