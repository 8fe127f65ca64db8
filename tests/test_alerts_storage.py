"""Alert rules in a real DuckDB file: evaluated where flags are written, never twice, kept across upgrades."""

from __future__ import annotations

import zlib
from datetime import datetime, timedelta, timezone
from pathlib import Path

import duckdb
import pytest

from factwatch.alerts.rules import parse_rule
from factwatch.claims import Claim
from factwatch.runtime.pipeline import Extracted, PageResult
from factwatch.storage import connect, transaction
from factwatch.storage.alerts import due_digests, remove_rule, save_rule
from factwatch.storage.db import SCHEMA_VERSION
from factwatch.storage.writer import record_results

HERE = Path(__file__).resolve().parent
URL = "https://example.org/world/ferry"
T0 = datetime(2024, 3, 14, 10, tzinfo=timezone.utc)


def page(toll: int, step: int, url: str = URL, noise: str = "") -> PageResult:
    """A fetched page whose one claim is a death toll; `noise` changes the text but no fact."""
    sentence = f"At least {toll} people were killed when the ferry capsized."
    text = f"{sentence} {noise}".strip()
    claim = Claim("casualty", "casualty:killed:people", str(toll), f"At least {toll} people", sentence, 0, 19, 0,
                  "at least", (("outcome", "killed"), ("group", "people")))
    extracted = Extracted("Ferry capsizes", text, f"hash-{text}", None, None, None, None,
                          zlib.compress(text.encode()), "utf-8", (claim,))
    return PageResult(url=url, outcome="fetched", fetched_at=T0 + timedelta(minutes=step), http_status=200,
                      extracted=extracted, html_hash=f"h-{text}")


def fired(con) -> list[tuple]:
    return con.execute("SELECT rule, url, claim_type, change_kind, old_value, new_value FROM alerts_fired "
                       "ORDER BY detected_at, rule").fetchall()


def test_a_rule_fires_once_per_matching_flag_in_the_write_transaction(db_path):
    with connect(db_path) as con:
        save_rule(con, parse_rule("toll-jump", "casualty rises by >= 20%"), T0)
        save_rule(con, parse_rule("small", "casualty rises by >= 50%"), T0)
        assert record_results(con, [page(13, 0)]).alerts == []           # the baseline raises nothing
        report = record_results(con, [page(17, 1)])
        assert [(a["rule"], a["summary"]) for a in report.alerts] == [
            ("toll-jump", "death toll at example.org rose from 13 to 17 (+31%)")]
        assert record_results(con, [page(17, 2, noise="Updated 5 minutes ago.")]).alerts == []  # noise only
        assert record_results(con, [page(17, 3)]).alerts == []           # a re-run of the same page
        assert fired(con) == [("toll-jump", URL, "casualty", "update", "13", "17")]
        flag_time, match_time = con.execute("SELECT detected_at, matched_at FROM alerts_fired").fetchall()[0]
        assert match_time >= flag_time


def test_a_flip_flop_never_alerts_twice(db_path):
    with connect(db_path) as con:
        save_rule(con, parse_rule("moves", "casualty changes"), T0)
        alerts = [len(record_results(con, [page(toll, step)]).alerts)
                  for step, toll in enumerate((13, 17, 13, 17, 13))]
        flags = con.execute("SELECT count(*) FROM change_flags").fetchall()[0][0]
        assert flags == 4          # every step is still flagged ...
        assert alerts == [0, 1, 1, 0, 0]  # ... but each value is alerted on once
        assert [r[4:] for r in fired(con)] == [("13", "17"), ("17", "13")]


def test_a_failed_batch_leaves_neither_flag_nor_alert(db_path, monkeypatch):
    from factwatch.storage import writer

    with connect(db_path) as con:
        save_rule(con, parse_rule("any-change", "any"), T0)
        record_results(con, [page(13, 0)])

        def broken(*args):
            raise duckdb.IOException("disk full")

        monkeypatch.setattr(writer, "record_alerts", broken)
        with pytest.raises(duckdb.IOException):
            writer._record_batch(con, [page(17, 1)], None)
        assert con.execute("SELECT count(*) FROM changes").fetchall() == [(0,)]
        monkeypatch.undo()
        assert len(record_results(con, [page(17, 1)]).alerts) == 1


def test_rules_are_replaced_and_removed_and_matches_stay(db_path):
    with connect(db_path) as con:
        assert save_rule(con, parse_rule("toll", "casualty falls"), T0) is True
        assert save_rule(con, parse_rule("toll", "casualty rises"), T0) is False  # replaced, not doubled
        record_results(con, [page(13, 0)])
        record_results(con, [page(17, 1)])
        assert remove_rule(con, "toll") is True and remove_rule(con, "toll") is False
        assert fired(con) == [("toll", URL, "casualty", "update", "13", "17")]
        assert record_results(con, [page(19, 2)]).alerts == []


def test_a_digest_rule_sends_at_most_once_per_period_listing_every_match(db_path):
    with connect(db_path) as con:
        save_rule(con, parse_rule("busy", "casualty rises", digest_minutes=10), T0)
        for step, toll in enumerate((13, 17, 19)):
            record_results(con, [page(toll, step, url=URL)])
        record_results(con, [page(5, 0, url=URL + "-2")])
        record_results(con, [page(6, 1, url=URL + "-2")])
        with transaction(con):
            first = due_digests(con, T0 + timedelta(hours=1))
        assert [(d["rule"], [(m["old_value"], m["new_value"]) for m in d["matches"]]) for d in first] == [
            ("busy", [("13", "17"), ("17", "19"), ("5", "6")])]
        record_results(con, [page(7, 2, url=URL + "-2")])
        with transaction(con):
            assert due_digests(con, T0 + timedelta(hours=1, minutes=5)) == []   # inside the period
        with transaction(con):
            later = due_digests(con, T0 + timedelta(hours=1, minutes=10))
        assert [[m["new_value"] for m in d["matches"]] for d in later] == [["7"]]


def test_a_version_2_database_upgrades_keeping_every_row(db_path):
    con = duckdb.connect(db_path)
    con.execute((HERE / "fixtures" / "schema_v2.sql").read_text(encoding="utf-8"))
    con.execute("INSERT INTO schema_info VALUES (2)")
    con.execute("INSERT INTO articles VALUES (nextval('article_ids'), ?, now())", [URL])
    con.execute("INSERT INTO watches VALUES (?, now(), NULL)", [URL])
    con.close()
    with connect(db_path) as con:
        assert con.execute("SELECT max(schema_version) FROM schema_info").fetchall() == [(SCHEMA_VERSION,)]
        assert con.execute("SELECT url FROM articles").fetchall() == [(URL,)]
        assert con.execute("SELECT url FROM watches").fetchall() == [(URL,)]
        save_rule(con, parse_rule("toll", "casualty rises"), T0)
        record_results(con, [page(13, 0)])
        record_results(con, [page(17, 1)])
        assert con.execute("SELECT article_id FROM articles").fetchall() == [(1,)]  # the sequence carried on
        assert fired(con) == [("toll", URL, "casualty", "update", "13", "17")]
