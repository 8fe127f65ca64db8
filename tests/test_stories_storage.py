"""Stories in a real DuckDB file: clustering in the write transaction, reconciled tolls, flags raised once."""

from __future__ import annotations

import hashlib
import zlib
from datetime import datetime, timedelta, timezone

import duckdb

from factwatch.claims import extract_claims
from factwatch.runtime.pipeline import Extracted, PageResult
from factwatch.storage import connect
from factwatch.storage.stories import move_article
from factwatch.storage.writer import record_results

T0 = datetime(2024, 5, 2, 8, tzinfo=timezone.utc)
A, B, C = ("http://lakepost.example/ferry", "http://dailyeast.example:8080/tanzania-ferry",
           "http://coastnews.example/mv-neema")
OTHER = "http://lakepost.example/bus-crash"


def ferry_text(toll: int, outlet: int) -> str:
    """One outlet's wording of the ferry story, with its toll."""
    lead = [f"MWANZA, Tanzania — At least {toll} people were killed when a passenger ferry capsized on Lake "
            "Victoria near Mwanza on Wednesday night, police said.",
            f"A ferry sank on Lake Victoria near Mwanza, killing {toll} people, regional police said.",
            f"The toll from the sinking of the MV Neema on Lake Victoria stood at {toll} dead on Thursday."][outlet]
    return (f"{lead} Regional police commander Wilbrod Mutafungwa said 31 people had been rescued from the MV Neema "
            "and divers were searching Lake Victoria near Ukerewe island for the missing.")


BUS = ("DODOMA, Tanzania — Nine people were killed and 20 injured when a passenger bus collided with a lorry on the "
       "Dodoma-Morogoro highway, police commander Theopista Mallya said.")


def page(url: str, text: str, hours: float) -> PageResult:
    """A fetched page with real claims, fetched `hours` after T0."""
    at = T0 + timedelta(hours=hours)
    extracted = Extracted(text.split(".")[0][:60], text, hashlib.sha256(text.encode()).hexdigest(), None, None, None,
                          None, zlib.compress(text.encode()), "utf-8", extract_claims(text, at.date()))
    return PageResult(url=url, outcome="fetched", fetched_at=at, http_status=200, extracted=extracted,
                      html_hash=hashlib.sha1(text.encode()).hexdigest())


def rows(con, sql, *params):
    return con.execute(sql, list(params)).fetchall()


def test_three_outlets_cluster_into_one_story_and_their_tolls_reconcile(db_path):
    with connect(db_path) as con:
        first = record_results(con, [page(A, ferry_text(13, 0), 0), page(B, ferry_text(13, 1), 0),
                                     page(C, ferry_text(14, 2), 0), page(OTHER, BUS, 0)])
        stories = rows(con, "SELECT url, story_id FROM story_articles ORDER BY url")
        by_url = dict(stories)
        assert by_url[A] == by_url[B] == by_url[C] != by_url[OTHER]
        story = by_url[A]
        assert {s["story_id"] for s in first.stories} == {story, by_url[OTHER]}
        assert rows(con, "SELECT outlets, low, high, disagree FROM story_tolls WHERE story_id = ? "
                         "AND outcome = 'killed'", story) == [(3, 13, 14, False)]  # 13 vs 14 is within 10%

        second = record_results(con, [page(A, ferry_text(17, 0), 2)])
        assert rows(con, "SELECT low, high, latest, disagree FROM story_tolls WHERE story_id = ? AND outcome = 'killed'",
                    story) == [(13, 17, "17", True)]
        assert [(f["kind"], f["low"], f["high"]) for s in second.stories for f in s["flags"]] == [
            ("disagreement", 13, 17)]
        # The same divergence on the next run raises nothing new.
        record_results(con, [page(B, ferry_text(17, 1), 3), page(C, ferry_text(13, 2), 4)])
        assert rows(con, "SELECT kind, resolved_at FROM story_flags") == [("disagreement", None)]
        outlets = rows(con, "SELECT outlet, value, qualifier, revisions, revised_down, lagging FROM story_outlet_tolls "
                            "WHERE story_id = ? AND outcome = 'killed' ORDER BY outlet", story)
        assert outlets == [("coastnews.example", "13", "", 1, 1, False), ("dailyeast.example:8080", "17", "", 1, 0, False),
                           ("lakepost.example", "17", "at least", 1, 0, False)]

        # Re-read seven hours later, the coast outlet still says 13: it lags, and that is flagged once.
        record_results(con, [page(C, ferry_text(13, 2) + " Survivors were taken to hospital in Mwanza.", 11)])
        assert rows(con, "SELECT outlet FROM story_outlet_tolls WHERE lagging") == [("coastnews.example",)]
        lag = rows(con, "SELECT detail FROM story_flags WHERE kind = 'lagging'")
        assert lag == [("coastnews.example still says 13 while others say up to 17 (killed, people)",)]

        # When it catches up, both flags close.
        record_results(con, [page(C, ferry_text(17, 2), 12)])
        assert rows(con, "SELECT kind, resolved_at IS NOT NULL FROM story_flags ORDER BY kind") == [
            ("disagreement", True), ("lagging", True)]
        assert rows(con, "SELECT disagree, lagging_outlets FROM story_tolls WHERE story_id = ? AND outcome = 'killed'",
                    story) == [(False, 0)]


def test_a_moved_article_stays_where_a_person_put_it(db_path):
    with connect(db_path) as con:
        record_results(con, [page(A, ferry_text(13, 0), 0), page(OTHER, BUS, 0)])
        bus_story = rows(con, "SELECT story_id FROM story_articles WHERE url = ?", OTHER)[0][0]
        moved_to = move_article(con, A, str(bus_story), datetime.now(timezone.utc))
        assert moved_to == bus_story
        # A wire copy that matches the ferry article does not pull it back, nor merge the stories.
        record_results(con, [page(B, ferry_text(13, 0) + " Ferry accidents are common.", 1),
                             page(A, ferry_text(15, 0), 2)])
        placed = dict(rows(con, "SELECT url, story_id FROM story_articles"))
        assert placed[A] == bus_story and placed[OTHER] == bus_story
        assert rows(con, "SELECT pinned, method FROM story_articles WHERE url = ?", A) == [(True, "pinned")]
        assert rows(con, "SELECT count(*) FROM stories WHERE merged_into IS NOT NULL") == [(0,)]
        events = rows(con, "SELECT event FROM story_events WHERE article_id = (SELECT article_id FROM articles "
                           "WHERE url = ?) ORDER BY event_at, event", A)
        assert [e[0] for e in events] == ["opened", "moved"]


def test_outlet_corrections_counts_silent_corrections_and_tolls_revised_down(db_path):
    with connect(db_path) as con:
        record_results(con, [page(A, ferry_text(13, 0), 0), page(C, ferry_text(14, 2), 0)])
        record_results(con, [page(A, ferry_text(17, 0), 1), page(C, ferry_text(12, 2), 3)])
    con = duckdb.connect(db_path, read_only=True)
    try:
        got = rows(con, "SELECT outlet, articles, corrected_articles, median_hours_to_first_correction, corrections, "
                        "silent_share, toll_revisions, revised_down_share FROM outlet_corrections ORDER BY outlet")
    finally:
        con.close()
    assert got == [("coastnews.example", 1, 1, 3.0, 1, 1.0, 1, 1.0), ("lakepost.example", 1, 0, None, 0, None, 1, 0.0)]


def test_a_failing_story_step_keeps_the_versions_and_the_next_batch_places_the_articles(db_path, monkeypatch):
    import factwatch.storage.stories as stories

    real = stories.raise_story_flags
    monkeypatch.setattr(stories, "raise_story_flags", lambda *a: (_ for _ in ()).throw(RuntimeError("a bug")))
    with connect(db_path) as con:
        report = record_results(con, [page(A, ferry_text(13, 0), 0), page(B, ferry_text(13, 1), 0)])
        assert report.outcomes == {"new_version": 2} and report.stories == []
        assert rows(con, "SELECT count(*) FROM versions") == [(2,)]
        assert rows(con, "SELECT count(*) FROM story_articles") == [(0,)]  # rolled back with its own transaction
        monkeypatch.setattr(stories, "raise_story_flags", real)
        record_results(con, [page(C, ferry_text(14, 2), 1)])
        placed = dict(rows(con, "SELECT url, story_id FROM story_articles"))
    assert set(placed) == {A, B, C} and len(set(placed.values())) == 1


def test_an_article_bridging_two_stories_of_its_own_batch_merges_them(db_path):
    # Two texts open two stories; a round-up quoting both, placed last in the batch (articles of one batch are
    # placed in id order, and ids follow the URLs' order), bridges them.
    with connect(db_path) as con:
        record_results(con, [page(A, ferry_text(13, 0), 0), page(OTHER, BUS, 0),
                             page("http://zz-roundup.example/tanzania", ferry_text(13, 0) + " " + BUS, 0)])
        standing = rows(con, "SELECT story_id FROM stories WHERE merged_into IS NULL")
        placed = dict(rows(con, "SELECT url, story_id FROM story_articles"))
        merged = rows(con, "SELECT event, from_story FROM story_events WHERE event = 'merged'")
    assert len(standing) == 1 and set(placed.values()) == {standing[0][0]}
    assert len(merged) == 1 and merged[0][1] != standing[0][0]
