"""Alert rules in the database, their evaluation where flags are written, digests, and the feed's rows.

Rules are evaluated on the stored flags (rows of change_flags) inside the
transaction that writes them, and each match is recorded keyed on (rule,
signature), so a match and its flag land together and a re-run or a flip-flop
never records (or emits) a second alert.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

import duckdb

from factwatch.alerts.rules import AlertRule, StoredFlag, rule_matches, signature, summary
from factwatch.storage import repo

log = logging.getLogger(__name__)
RULE_COLUMNS = ("name", "expression", "url_like", "source", "notify", "digest_minutes")
MATCH_COLUMNS = ("rule", "signature", "change_id", "matched_at", "url", "title", "claim_type", "change_kind", "key",
                 "old_value", "new_value", "old_sentence", "new_sentence", "reason", "notice", "summary",
                 "detected_at", "from_version_no", "to_version_no")
FLAG_COLUMNS = ("url", "claim_type", "change_kind", "key", "old_value", "new_value", "old_sentence", "new_sentence",
                "reason", "notice", "title", "change_id", "article_id", "detected_at", "from_version_no",
                "to_version_no")


def _dicts(cursor: duckdb.DuckDBPyConnection) -> list[dict]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def save_rule(con: duckdb.DuckDBPyConnection, rule: AlertRule, now: datetime) -> bool:
    """Add a rule, or replace the one with its name; True when it was new."""
    values = [getattr(rule, c) for c in RULE_COLUMNS]
    existed = con.execute("SELECT count(*) FROM alert_rules WHERE name = ?", [rule.name]).fetchall()[0][0]
    if existed:
        con.execute("UPDATE alert_rules SET expression = ?, url_like = ?, source = ?, notify = ?, digest_minutes = ?, "
                    "updated_at = ? WHERE name = ?", [*values[1:], now, rule.name])
    else:
        con.execute("INSERT INTO alert_rules VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [*values, now, now])
    return not existed


def remove_rule(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Remove a rule (its past matches stay in alerts_fired); True when it existed."""
    return bool(con.execute("DELETE FROM alert_rules WHERE name = ? RETURNING name", [name]).fetchall())


def load_rules(con: duckdb.DuckDBPyConnection, name: str | None = None) -> list[AlertRule]:
    """Every rule (or the one named), by name."""
    rows = con.execute(f"SELECT {', '.join(RULE_COLUMNS)} FROM alert_rules "
                       "WHERE ?::VARCHAR IS NULL OR name = ? ORDER BY name", [name, name]).fetchall()
    return [AlertRule(*row) for row in rows]


def rule_rows(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Rules with how often each matched and when last, for `alerts list`."""
    return _dicts(con.execute(
        """SELECT r.name, r.expression, r.url_like, r.source, r.notify, r.digest_minutes,
                  count(m.rule) AS matches, max(m.matched_at) AS last_match
           FROM alert_rules r LEFT JOIN alert_matches m ON m.rule = r.name
           GROUP BY ALL ORDER BY r.name"""))


def flags_written(con: duckdb.DuckDBPyConnection, version_ids: Sequence[int]) -> list[StoredFlag]:
    """The stored flags into these versions, as change_flags holds them."""
    rows = _dicts(con.execute(f"SELECT {', '.join(FLAG_COLUMNS)} FROM change_flags "
                              "WHERE to_version_id IN (SELECT unnest(?::BIGINT[])) ORDER BY change_id",
                              [list(version_ids)]))
    return [StoredFlag.from_row(row) for row in rows]


def record_alerts(con: duckdb.DuckDBPyConnection, version_ids: Sequence[int], now: datetime) -> list[dict]:
    """Evaluate every rule on the flags just stored into these versions; record and return the new matches.

    Call inside the transaction that wrote the flags. A match whose (rule,
    signature) is already recorded is not new and is not returned.
    """
    if not version_ids:
        return []
    rules = load_rules(con)
    if not rules:
        return []
    candidates: dict[tuple[str, str], dict] = {}
    for flag in flags_written(con, version_ids):
        for rule in rules:
            if rule_matches(rule, flag):
                candidates.setdefault((rule.name, signature(flag)), _match_row(rule, flag, now))
    if not candidates:
        return []
    known = set(con.execute("SELECT rule, signature FROM alert_matches WHERE rule IN (SELECT unnest(?::VARCHAR[])) "
                            "AND signature IN (SELECT unnest(?::VARCHAR[]))",
                            [sorted({r for r, _s in candidates}), sorted({s for _r, s in candidates})]).fetchall())
    new = [row for pair, row in candidates.items() if pair not in known]
    repo.append_rows(con, "alert_matches", {c: [row[c] for row in new] for c in MATCH_COLUMNS})
    notify = {rule.name: rule for rule in rules}
    return [{**row, "expression": notify[row["rule"]].expression, "digest": bool(notify[row["rule"]].digest_minutes)}
            for row in new]


def _match_row(rule: AlertRule, flag: StoredFlag, now: datetime) -> dict:
    row = {name: getattr(flag, name) for name in FLAG_COLUMNS if name in MATCH_COLUMNS}
    return {**row, "rule": rule.name, "signature": signature(flag), "matched_at": now, "summary": summary(flag)}


def due_digests(con: duckdb.DuckDBPyConnection, now: datetime) -> list[dict]:
    """Digests that are due: for each digest rule whose last digest is at least its period old, every
    match not yet sent. Marks them sent (one transaction); returns [{"rule", "minutes", "matches"}]."""
    digests = []
    rules = [r for r in load_rules(con) if r.digest_minutes]
    for rule in rules:
        last = con.execute("SELECT max(digested_at) FROM alert_matches WHERE rule = ?", [rule.name]).fetchall()[0][0]
        if last is not None and now - last < timedelta(minutes=rule.digest_minutes):
            continue
        pending = _dicts(con.execute(
            f"SELECT {', '.join(MATCH_COLUMNS)} FROM alert_matches WHERE rule = ? AND digested_at IS NULL "
            "ORDER BY matched_at, detected_at, signature", [rule.name]))
        if not pending:
            continue
        con.execute("UPDATE alert_matches SET digested_at = ? WHERE rule = ? AND digested_at IS NULL",
                    [now, rule.name])
        digests.append({"rule": rule.name, "minutes": rule.digest_minutes, "expression": rule.expression,
                        "matches": pending})
    return digests


def feed_rows(con: duckdb.DuckDBPyConnection, url_like: str | None = None, since: datetime | None = None,
              limit: int = 500) -> list[dict]:
    """The newest flags for the Atom feed, with what makes each entry's id stable."""
    return _dicts(con.execute(
        """SELECT f.url, f.title, f.detected_at, f.claim_type, f.change_kind, f.key, f.old_value, f.new_value,
                  f.old_sentence, f.new_sentence, f.reason, f.notice, f.confidence,
                  f.from_version_no, f.to_version_no, f.article_id, f.change_id
           FROM change_flags f
           WHERE (?::VARCHAR IS NULL OR f.url LIKE ?) AND (?::TIMESTAMPTZ IS NULL OR f.detected_at >= ?::TIMESTAMPTZ)
           ORDER BY f.detected_at DESC, f.change_id DESC
           LIMIT ?""", [url_like, url_like, since, since, limit]))
