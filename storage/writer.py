"""The single writer: store a batch of page results with their versions, claims and changes.

A batch lands in one transaction, so a version, its claims and its changes
land together or not at all. Whether a fetched page is a new version, and what
changed, is decided here against what the database holds at write time, so
two runs that raced to fetch the same page cannot store it twice.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone

import duckdb

from factwatch.claims import Claim
from factwatch.changes.diff import Change, diff_claims
from factwatch.runtime.pipeline import Extracted, PageResult
from factwatch.storage import repo, transaction

log = logging.getLogger(__name__)
HISTORY_DEPTH = 6
# What a fetch attempt came to, as stored in fetch_log.outcome.
OUTCOMES = ("new_version", "unchanged", "not_modified", "error", "refused")


@dataclass(frozen=True, slots=True)
class Flag:
    """A change as stored, with the article it belongs to."""

    url: str
    title: str
    from_version_id: int
    to_version_id: int
    change: Change


@dataclass
class WriteReport:
    """What one batch write stored."""

    outcomes: dict[str, int] = field(default_factory=dict)
    flags: list[Flag] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    claim_rows: int = 0

    def merge(self, other: WriteReport) -> None:
        """Add another batch's report to this one."""
        for outcome, count in other.outcomes.items():
            self.outcomes[outcome] = self.outcomes.get(outcome, 0) + count
        self.flags.extend(other.flags)
        self.errors.extend(other.errors)
        self.claim_rows += other.claim_rows


def claim_from_row(row: dict) -> Claim:
    """Rebuild a Claim from a stored row."""
    attributes = row["attributes"]
    if isinstance(attributes, str):
        attributes = json.loads(attributes)
    return Claim(row["claim_type"], row["key"], row["value"], row["text"], row["sentence"],
                 row["start_offset"], row["end_offset"], row["sentence_index"], row["qualifier"],
                 tuple((str(k), str(v)) for k, v in (attributes or {}).items()))


class _Rows:
    """Column buffers for one batch, appended to tables in one go."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.tables: dict[str, dict[str, list]] = {}
        self.ids = {t: repo.next_id(con, t) for t in ("versions", "claims", "changes", "fetches")}

    def new_id(self, table: str) -> int:
        value = self.ids[table]
        self.ids[table] += 1
        return value

    def add(self, table: str, **row) -> None:
        columns = self.tables.setdefault(table, {name: [] for name in row})
        for name, value in row.items():
            columns[name].append(value)

    def flush(self, con: duckdb.DuckDBPyConnection) -> int:
        for table in ("versions", "claims", "changes", "fetches"):
            if table in self.tables:
                repo.append_rows(con, table, self.tables[table])
        return len(self.tables.get("claims", {}).get("claim_id", []))


def _add_claims(rows: _Rows, version_id: int, claims: Sequence[Claim]) -> None:
    for claim in claims:
        rows.add("claims", claim_id=rows.new_id("claims"), version_id=version_id,
                 claim_type=claim.claim_type, key=claim.key, value=claim.value, text=claim.text,
                 sentence=claim.sentence, sentence_index=claim.sentence_index,
                 start_offset=claim.start, end_offset=claim.end, qualifier=claim.qualifier,
                 attributes=json.dumps(dict(claim.attributes), ensure_ascii=False))


def _add_changes(rows: _Rows, article_id: int, from_id: int, to_id: int, now: datetime,
                 changes: Sequence[Change]) -> None:
    for ch in changes:
        rows.add("changes", change_id=rows.new_id("changes"), article_id=article_id,
                 from_version_id=from_id, to_version_id=to_id, detected_at=now,
                 claim_type=ch.claim_type, change_kind=ch.change_kind, key=ch.key,
                 old_value=ch.old_value, new_value=ch.new_value, old_text=ch.old_text,
                 new_text=ch.new_text, old_sentence=ch.old_sentence, new_sentence=ch.new_sentence,
                 confidence=float(ch.confidence), reason=ch.reason, notice=ch.notice)


def _store_version(rows: _Rows, result: PageResult, article_id: int, latest: tuple | None,
                   history: list, report: WriteReport) -> int:
    ex = result.extracted
    version_id = rows.new_id("versions")
    rows.add("versions", version_id=version_id, article_id=article_id,
             version_no=(latest[1] + 1) if latest else 1, fetched_at=result.fetched_at,
             content_hash=ex.content_hash, title=ex.title, published_at=ex.published,
             modified_at=ex.modified, canonical_url=ex.canonical_url, author=ex.author, text=ex.text,
             raw_html_zlib=ex.raw_html_zlib, html_encoding=ex.encoding, extractor=ex.extractor)
    _add_claims(rows, version_id, ex.claims)
    if latest:  # the first version is the baseline and raises no flags
        older = [list(claims) for _vid, claims in history]
        previous = older.pop() if older else []
        changes = diff_claims(previous, ex.claims, older)
        _add_changes(rows, article_id, latest[0], version_id, result.fetched_at, changes)
        report.flags.extend(Flag(result.url, ex.title, latest[0], version_id, c) for c in changes)
    return version_id


def _record_one(rows: _Rows, result: PageResult, article_id: int, latest: dict, history: dict,
                report: WriteReport, run_id: str | None) -> None:
    outcome, version_id = result.outcome, None
    if outcome == "fetched":
        current = latest.get(article_id)
        if current and current[2] == result.extracted.content_hash:
            outcome = "unchanged"
        else:
            version_id = _store_version(rows, result, article_id, current, history.get(article_id, []), report)
            latest[article_id] = (version_id, (current[1] + 1) if current else 1, result.extracted.content_hash)
            history.setdefault(article_id, []).append((version_id, result.extracted.claims))
            outcome = "new_version"
    rows.add("fetches", fetch_id=rows.new_id("fetches"), url=result.url, article_id=article_id,
             fetched_at=result.fetched_at, http_status=result.http_status, outcome=outcome,
             error=result.error, version_id=version_id, final_url=result.final_url,
             elapsed_ms=result.elapsed_ms, etag=result.etag, last_modified=result.last_modified,
             html_hash=result.html_hash, run_id=run_id)
    report.outcomes[outcome] = report.outcomes.get(outcome, 0) + 1
    if outcome in ("error", "refused"):
        report.errors.append((result.url, result.error or outcome))


def record_results(con: duckdb.DuckDBPyConnection, results: Sequence[PageResult],
                   run_id: str | None = None) -> WriteReport:
    """Store a batch of results in one transaction and return what it flagged."""
    report = WriteReport()
    if not results:
        return report
    now = datetime.now(timezone.utc)
    with transaction(con):
        ids = repo.ensure_articles(con, (r.url for r in results), now)
        changed = sorted({ids[r.url] for r in results if r.outcome == "fetched"})
        latest = repo.latest_versions(con, changed) if changed else {}
        stored = repo.recent_claims(con, changed, HISTORY_DEPTH) if changed else {}
        history = {aid: [(vid, [claim_from_row(r) for r in rows_]) for vid, rows_ in versions]
                   for aid, versions in stored.items()}
        rows = _Rows(con)
        for result in results:
            _record_one(rows, result, ids[result.url], latest, history, report, run_id)
        report.claim_rows = rows.flush(con)
    return report


@dataclass(frozen=True, slots=True)
class Reextracted:
    """A stored version re-extracted with the current extractor and claims engine."""

    article_id: int
    version_id: int
    fetched_at: datetime
    extracted: Extracted | None  # None when the stored page now yields no article


def rewrite_claims(con: duckdb.DuckDBPyConnection, article_id: int, url: str,
                   versions: Sequence[Reextracted]) -> int:
    """Replace an article's claims and changes with freshly derived ones (one transaction)."""
    ordered = sorted(versions, key=lambda v: v.fetched_at)
    flags = 0
    with transaction(con):
        ids = [v.version_id for v in ordered]
        con.execute("DELETE FROM claims WHERE list_contains(?, version_id)", [ids])
        con.execute("DELETE FROM changes WHERE article_id = ?", [article_id])
        rows = _Rows(con)
        previous: list[tuple[int, Sequence[Claim]]] = []
        for item in ordered:
            ex = item.extracted
            claims = ex.claims if ex is not None else ()
            if ex is not None:
                con.execute("UPDATE versions SET text = ?, title = ?, content_hash = ?, extractor = ? "
                            "WHERE version_id = ?", [ex.text, ex.title, ex.content_hash, ex.extractor, item.version_id])
            _add_claims(rows, item.version_id, claims)
            if previous:
                older = [list(c) for _vid, c in previous[-HISTORY_DEPTH:-1]]
                changes = diff_claims(previous[-1][1], claims, older)
                _add_changes(rows, article_id, previous[-1][0], item.version_id, item.fetched_at, changes)
                flags += len(changes)
            previous.append((item.version_id, claims))
        rows.flush(con)
    log.info("reprocessed %s versions of %s: %s flags", len(ordered), url, flags)
    return flags
