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
from factwatch.runtime.pipeline import (PIPELINE_VERSION, Extracted, PageResult, PageUnreadable, compress_page,
                                        page_html)
from factwatch.storage import repo, transaction
from factwatch.storage.alerts import record_alerts
from factwatch.storage.repo import claim_from_row
from factwatch.storage.stories import record_stories

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
    alerts: list[dict] = field(default_factory=list)  # new alert matches (storage.alerts.record_alerts)
    stories: list[dict] = field(default_factory=list)  # stories whose articles changed (storage.stories.record_stories)

    def merge(self, other: WriteReport) -> None:
        """Add another batch's report to this one."""
        for outcome, count in other.outcomes.items():
            self.outcomes[outcome] = self.outcomes.get(outcome, 0) + count
        self.flags.extend(other.flags)
        self.errors.extend(other.errors)
        self.claim_rows += other.claim_rows
        self.alerts.extend(other.alerts)
        later = {story["story_id"] for story in other.stories}  # a later batch's view of a story supersedes
        self.stories = [story for story in self.stories if story["story_id"] not in later] + other.stories


class _Rows:
    """Column buffers for one batch, appended to tables in one go; ids come from the sequences."""

    def __init__(self, con: duckdb.DuckDBPyConnection, versions: int = 0) -> None:
        self.tables: dict[str, dict[str, list]] = {}
        self.version_ids = repo.reserve_ids(con, "versions", versions)

    def new_version_id(self) -> int:
        return self.version_ids.pop(0)

    def add(self, table: str, **row) -> None:
        columns = self.tables.setdefault(table, {name: [] for name in row})
        for name, value in row.items():
            columns[name].append(value)

    def flush(self, con: duckdb.DuckDBPyConnection) -> int:
        for table in ("versions", "claims", "changes", "fetches", "shrunken_versions"):
            columns = self.tables.get(table)
            if not columns:
                continue
            id_column = repo.ID_COLUMNS.get(table)
            if id_column and id_column not in columns:
                count = len(next(iter(columns.values())))
                columns = {id_column: repo.reserve_ids(con, table, count), **columns}
            repo.append_rows(con, table, columns)
        return len(next(iter(self.tables.get("claims", {"": []}).values())))


def _add_claims(rows: _Rows, version_id: int, claims: Sequence[Claim]) -> None:
    for claim in claims:
        rows.add("claims", version_id=version_id,
                 claim_type=claim.claim_type, key=claim.key, value=claim.value, text=claim.text,
                 sentence=claim.sentence, sentence_index=claim.sentence_index,
                 start_offset=claim.start, end_offset=claim.end, qualifier=claim.qualifier,
                 attributes=json.dumps(dict(claim.attributes), ensure_ascii=False))


def _add_changes(rows: _Rows, article_id: int, from_id: int, to_id: int, now: datetime,
                 changes: Sequence[Change]) -> None:
    for ch in changes:
        rows.add("changes", article_id=article_id,
                 from_version_id=from_id, to_version_id=to_id, detected_at=now,
                 claim_type=ch.claim_type, change_kind=ch.change_kind, key=ch.key,
                 old_value=ch.old_value, new_value=ch.new_value, old_text=ch.old_text,
                 new_text=ch.new_text, old_sentence=ch.old_sentence, new_sentence=ch.new_sentence,
                 confidence=float(ch.confidence), reason=ch.reason, notice=ch.notice)


# A new text shorter than this share of the last healthy one (of at least SHRINK_MIN_CHARS) is taken for
# a broken extraction (a redesigned template, a consent wall), not an edit: stored, but flagging nothing.
SHRINK_RATIO = 0.4
SHRINK_MIN_CHARS = 400


def shrank(healthy_chars: int | None, new_chars: int) -> bool:
    """Whether a new text is so much shorter than the last healthy one that extraction, not the story, changed."""
    return bool(healthy_chars) and healthy_chars >= SHRINK_MIN_CHARS and new_chars < SHRINK_RATIO * healthy_chars


def _page_to_store(ex: Extracted, first: tuple[int, bytes | None] | None) -> tuple[bytes, int | None]:
    """The page as stored, and the version it was made against: the article's first page when readable."""
    if first is None or not first[1]:
        return ex.raw_html_zlib, None
    try:
        return compress_page(page_html(ex.raw_html_zlib), page_html(first[1])), first[0]
    except PageUnreadable:  # a damaged first page must not cost this one: store it whole
        return ex.raw_html_zlib, None


def _store_version(rows: _Rows, result: PageResult, article_id: int, latest: tuple | None,
                   history: list, report: WriteReport, first: tuple | None = None) -> tuple[int, bool]:
    """Add a version and its claims; diff it against the last healthy version unless it shrank. (id, shrank)"""
    ex = result.extracted
    version_id = rows.new_version_id()
    page, base_id = _page_to_store(ex, first)
    rows.add("versions", version_id=version_id, article_id=article_id,
             version_no=(latest[1] + 1) if latest else 1, fetched_at=result.fetched_at,
             content_hash=ex.content_hash, title=ex.title, published_at=ex.published,
             modified_at=ex.modified, canonical_url=ex.canonical_url, author=ex.author, text=ex.text,
             raw_html_zlib=page, html_encoding=ex.encoding, extractor=ex.extractor, page_base_version_id=base_id)
    _add_claims(rows, version_id, ex.claims)
    if latest and shrank(latest[3], len(ex.text)):
        rows.add("shrunken_versions", version_id=version_id, article_id=article_id, detected_at=result.fetched_at,
                 healthy_chars=latest[3], chars=len(ex.text))
        log.warning("%s: the article text shrank from %s to %s characters; stored, no flags raised",
                    result.url, latest[3], len(ex.text))
        return version_id, True
    if latest:  # the first version is the baseline and raises no flags
        older = [list(claims) for _vid, claims in history]
        previous = older.pop() if older else []
        from_id = history[-1][0] if history else latest[0]  # the last healthy version
        changes = diff_claims(previous, ex.claims, older)
        _add_changes(rows, article_id, from_id, version_id, result.fetched_at, changes)
        report.flags.extend(Flag(result.url, ex.title, from_id, version_id, c) for c in changes)
    return version_id, False


def _record_one(rows: _Rows, result: PageResult, article_id: int, latest: dict, history: dict,
                report: WriteReport, run_id: str | None, firsts: dict) -> None:
    outcome, version_id = result.outcome, None
    if outcome == "fetched":
        current = latest.get(article_id)
        if current and current[2] == result.extracted.content_hash:
            outcome = "unchanged"
        else:
            version_id, shrunk = _store_version(rows, result, article_id, current, history.get(article_id, []),
                                                report, firsts.get(article_id))
            healthy = current[3] if shrunk else len(result.extracted.text)
            latest[article_id] = (version_id, (current[1] + 1) if current else 1, result.extracted.content_hash,
                                  healthy)
            if not shrunk:
                history.setdefault(article_id, []).append((version_id, result.extracted.claims))
            outcome = "new_version"
    rows.add("fetches", url=result.url, article_id=article_id,
             fetched_at=result.fetched_at, http_status=result.http_status, outcome=outcome,
             error=result.error, version_id=version_id, final_url=result.final_url,
             elapsed_ms=result.elapsed_ms, etag=result.etag, last_modified=result.last_modified,
             html_hash=result.html_hash, run_id=run_id)
    report.outcomes[outcome] = report.outcomes.get(outcome, 0) + 1
    if outcome in ("error", "refused"):
        report.errors.append((result.url, result.error or outcome))


def _record_batch(con: duckdb.DuckDBPyConnection, results: Sequence[PageResult],
                  run_id: str | None) -> WriteReport:
    """Store results in one transaction: all of them land, or none does."""
    report = WriteReport()
    now = datetime.now(timezone.utc)
    with transaction(con):
        ids = repo.ensure_articles(con, (r.url for r in results), now)
        changed = sorted({ids[r.url] for r in results if r.outcome == "fetched"})
        latest = repo.latest_versions(con, changed) if changed else {}
        stored = repo.recent_claims(con, changed, HISTORY_DEPTH) if changed else {}
        history = {aid: [(vid, [claim_from_row(r) for r in rows_]) for vid, rows_ in versions]
                   for aid, versions in stored.items()}
        # later versions are stored against their article's first page (read only for pages whose text changed)
        edited = [ids[r.url] for r in results if r.outcome == "fetched" and ids[r.url] in latest
                  and latest[ids[r.url]][2] != r.extracted.content_hash]
        firsts = repo.first_pages(con, edited) if edited else {}
        rows = _Rows(con, versions=sum(r.outcome == "fetched" for r in results))
        for result in results:
            _record_one(rows, result, ids[result.url], latest, history, report, run_id, firsts)
        report.claim_rows = rows.flush(con)
        # Rules are evaluated on the flags as stored, in the transaction that stores them.
        new_versions = rows.tables.get("versions", {}).get("version_id", [])
        report.alerts = record_alerts(con, new_versions, datetime.now(timezone.utc))
    report.stories = _record_stories(con, sorted(set(rows.tables.get("versions", {}).get("article_id", []))), now)
    return report


def _record_stories(con: duckdb.DuckDBPyConnection, article_ids: list[int], now: datetime) -> list[dict]:
    """Place the batch's new articles in stories and raise story flags, in a transaction of its own.

    It runs after the versions are committed, so a story never points at a version that was rolled back,
    and a failure here never costs a stored version: it is logged, and the articles it left unplaced are
    placed with the next batch (storage.stories.place_new_articles takes every recent unplaced article).
    """
    if not article_ids:
        return []
    try:
        with transaction(con):
            return record_stories(con, article_ids, now)
    except Exception as exc:  # noqa: BLE001 - stories are derived data: the versions are already stored
        log.error("stories were not updated for %s articles (%s: %s); the next batch places them",
                  len(article_ids), type(exc).__name__, (str(exc).splitlines() or [""])[0][:300])
        return []


def _store_failure_reason(exc: Exception) -> str:
    first_line = (str(exc).splitlines() or [""])[0][:300]
    return f"the page could not be stored ({type(exc).__name__}: {first_line})"


def _record_unstorable(con: duckdb.DuckDBPyConnection, result: PageResult, exc: Exception,
                       run_id: str | None) -> WriteReport:
    """Record, in its own transaction, that a page could not be stored (only what is sure to fit).

    If even that fails (the disk is full, the file is damaged), the original error is raised.
    """
    reason = _store_failure_reason(exc)
    log.error("%s: %s", result.url, reason)
    fetched_at = result.fetched_at if isinstance(result.fetched_at, datetime) else datetime.now(timezone.utc)
    try:
        with transaction(con):
            article_id = repo.ensure_articles(con, [result.url], fetched_at)[result.url]
            repo.append_rows(con, "fetches", {
                "fetch_id": repo.reserve_ids(con, "fetches", 1), "url": [result.url],
                "article_id": [article_id], "fetched_at": [fetched_at], "outcome": ["error"],
                "error": [reason], "run_id": [run_id]})
    except Exception:
        raise exc from None
    return WriteReport(outcomes={"error": 1}, errors=[(result.url, reason)])


def record_results(con: duckdb.DuckDBPyConnection, results: Sequence[PageResult],
                   run_id: str | None = None) -> WriteReport:
    """Store a batch of results in one transaction and return what it flagged.

    If the batch cannot be stored, its pages are stored one transaction each, and
    a page that still fails is recorded as an error in fetch_log, so one bad page
    never costs the rest of its batch.
    """
    if not results:
        return WriteReport()
    try:
        return _record_batch(con, results, run_id)
    except Exception as exc:
        if len(results) == 1:
            return _record_unstorable(con, results[0], exc, run_id)
        log.warning("a batch of %s pages could not be stored (%s); storing them one by one",
                    len(results), _store_failure_reason(exc))
    report = WriteReport()
    for result in results:
        try:
            report.merge(_record_batch(con, [result], run_id))
        except Exception as exc:
            report.merge(_record_unstorable(con, result, exc, run_id))
    return report


@dataclass(frozen=True, slots=True)
class Reextracted:
    """A stored version re-extracted with the current extractor and claims engine."""

    article_id: int
    version_id: int
    fetched_at: datetime
    extracted: Extracted | None  # None when re-extraction failed: the version keeps what it has
    error: str | None = None     # why it failed, in plain words


@dataclass(frozen=True, slots=True)
class Rewritten:
    """What rewriting one article's claims did."""

    flags: int                          # flags the article holds afterwards
    failed: tuple[tuple[int, str], ...]  # (version_id, reason) of versions kept as they were
    late_versions: int                  # versions stored by a check while this article was re-extracted


def _claims_to_use(con: duckdb.DuckDBPyConnection, stored_ids: list[int],
                   redone: dict[int, Reextracted]) -> dict[int, Sequence[Claim]]:
    """Fresh claims where re-extraction worked; stored claims for failed and newly stored versions."""
    kept = [vid for vid in stored_ids if vid not in redone or redone[vid].extracted is None]
    stored = repo.version_claims(con, kept) if kept else {}
    return {vid: (redone[vid].extracted.claims if vid not in kept else
                  [claim_from_row(r) for r in stored.get(vid, [])]) for vid in stored_ids}


def rewrite_claims(con: duckdb.DuckDBPyConnection, article_id: int, url: str,
                   versions: Sequence[Reextracted]) -> Rewritten:
    """Replace an article's claims and changes with freshly derived ones (one transaction).

    What is stored is re-read inside the transaction, so a version a check stored
    after the pages were read keeps its claims and gets its flags recomputed. A
    version whose re-extraction failed keeps its claims, the flags into it and the
    flags out of it (there is nothing sound to diff against); the failure is
    recorded in reprocess_failures.
    """
    redone = {v.version_id: v for v in versions}
    failed = tuple((v.version_id, v.error or "no article") for v in versions if v.extracted is None)
    broken = {vid for vid, _reason in failed}
    with transaction(con):
        stored = con.execute("SELECT version_id, fetched_at FROM versions WHERE article_id = ? ORDER BY version_no",
                             [article_id]).fetchall()
        stored_ids = [vid for vid, _at in stored]
        claims = _claims_to_use(con, stored_ids, redone)
        keep_flags = {vid for i, vid in enumerate(stored_ids)
                      if vid in broken or (i and stored_ids[i - 1] in broken)}
        fresh = [vid for vid in stored_ids if vid in redone and vid not in broken]
        con.execute("DELETE FROM claims WHERE list_contains(?, version_id)", [fresh])
        con.execute("DELETE FROM changes WHERE article_id = ? AND NOT list_contains(?, to_version_id)",
                    [article_id, sorted(keep_flags)])
        rows = _Rows(con)
        for vid in fresh:
            ex = redone[vid].extracted
            con.execute("UPDATE versions SET text = ?, title = ?, content_hash = ?, extractor = ? "
                        "WHERE version_id = ?", [ex.text, ex.title, ex.content_hash, ex.extractor, vid])
            _add_claims(rows, vid, ex.claims)
        # Shrunken versions (a broken extraction) flag nothing; each healthy one is compared with the one before.
        shrunk = {r[0] for r in con.execute("SELECT version_id FROM shrunken_versions WHERE article_id = ?",
                                            [article_id]).fetchall()}
        healthy = [(vid, at) for vid, at in stored if vid not in shrunk]
        healthy_ids = [vid for vid, _at in healthy]
        for i, (vid, fetched_at) in enumerate(healthy):
            if i and vid not in keep_flags:
                older = [list(claims[v]) for v in healthy_ids[max(0, i - HISTORY_DEPTH):i - 1]]
                changes = diff_claims(list(claims[healthy_ids[i - 1]]), claims[vid], older)
                _add_changes(rows, article_id, healthy_ids[i - 1], vid, fetched_at, changes)
        rows.flush(con)
        _record_failures(con, article_id, url, failed)
        flags = con.execute("SELECT count(*) FROM changes WHERE article_id = ?", [article_id]).fetchall()[0][0]
    late = sum(vid not in redone for vid in stored_ids)
    log.info("reprocessed %s versions of %s: %s flags, %s kept as stored", len(fresh), url, flags,
             len(stored_ids) - len(fresh))
    for vid, reason in failed:
        log.warning("%s: version %s could not be re-extracted and keeps its claims: %s", url, vid, reason)
    return Rewritten(flags, failed, late)


def _record_failures(con: duckdb.DuckDBPyConnection, article_id: int, url: str,
                     failed: Sequence[tuple[int, str]]) -> None:
    if not failed:
        return
    now = datetime.now(timezone.utc)
    repo.append_rows(con, "reprocess_failures", {
        "failed_at": [now] * len(failed), "article_id": [article_id] * len(failed),
        "version_id": [vid for vid, _r in failed], "url": [url] * len(failed),
        "extractor": [PIPELINE_VERSION] * len(failed), "reason": [r for _vid, r in failed]})
