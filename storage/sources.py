"""Sources and discoveries in DuckDB: the source list, validators for conditional GETs, and the discovery writer.

`record_readings` stores one batch of source readings in one transaction:
the document checks, a decision per new URL, and the new watches. What is
new is decided inside that transaction against what the file holds, so two
runs that read the same feed cannot watch an article twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone

import duckdb
import pyarrow as pa

from factwatch.discover.model import DocumentCheck, Selection, SourcePolicy, SourceReading
from factwatch.discover.select import select_links, source_is_due
from factwatch.storage import repo, transaction

# A document kind as read -> the source kind it settles an `auto` source to.
_SOURCE_KIND = {"rss": "feed", "atom": "feed", "json_feed": "feed", "sitemap": "sitemap",
                "news_sitemap": "sitemap", "sitemap_index": "sitemap", "section": "section"}


def add_source(con: duckdb.DuckDBPyConnection, url: str, kind: str, allow_hosts: Sequence[str],
               name: str | None = None, max_new: int | None = None, max_age_seconds: int | None = None,
               now: datetime | None = None, include: str | None = None, exclude: str | None = None,
               every_seconds: int | None = None) -> bool:
    """Add a source (or update its settings); True when it was new."""
    settings = [kind, name, list(allow_hosts), max_new, max_age_seconds, include, exclude, every_seconds]
    with transaction(con):
        exists = con.execute("SELECT count(*) FROM sources WHERE url = ?", [url]).fetchall()[0][0]
        if exists:
            con.execute("UPDATE sources SET kind = ?, name = coalesce(?, name), allow_hosts = ?, max_new = ?, "
                        "max_age_seconds = ?, include_pattern = ?, exclude_pattern = ?, every_seconds = ? WHERE url = ?",
                        [*settings, url])
            return False
        con.execute("INSERT INTO sources (source_id, url, kind, name, allow_hosts, max_new, max_age_seconds, "
                    "include_pattern, exclude_pattern, every_seconds, added_at) "
                    "VALUES (nextval('source_ids'), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [url, *settings, now or datetime.now(timezone.utc)])
        return True


def remove_source(con: duckdb.DuckDBPyConnection, url: str) -> bool:
    """Stop reading a source; its checks, discoveries and the watches it added stay. True when it was there."""
    return bool(con.execute("DELETE FROM sources WHERE url = ? RETURNING url", [url]).fetchall())


def source_rows(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Every source with its activity (the source_activity view)."""
    cursor = con.execute("SELECT * FROM source_activity ORDER BY added_at, url")
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def source_policies(con: duckdb.DuckDBPyConnection, max_new: int, max_age_seconds: float,
                    allow_private: bool, only: str | None = None, *, due_at: datetime | None = None,
                    every_seconds: float = 600.0) -> list[SourcePolicy]:
    """What each source may add this run; a source's own limits win over the run's defaults.

    With `due_at`, only the sources due then: those whose own document was last
    fetched (whatever the outcome) at least their cadence ago, else `every_seconds`.
    """
    rows = con.execute(
        """SELECT s.source_id, s.url, s.kind, s.allow_hosts, s.max_new, s.max_age_seconds, s.include_pattern,
                  s.exclude_pattern, s.every_seconds,
                  (SELECT max(c.checked_at) FROM source_checks c WHERE c.source_id = s.source_id AND c.url = s.url)
           FROM sources s WHERE ?::VARCHAR IS NULL OR s.url = ? ORDER BY s.source_id""", [only, only]).fetchall()
    return [SourcePolicy(sid, url, kind, tuple(hosts), max_new if own_new is None else own_new,
                         max_age_seconds if own_age is None else own_age, allow_private, include, exclude)
            for sid, url, kind, hosts, own_new, own_age, include, exclude, every, last_read in rows
            if due_at is None or source_is_due(last_read, every or every_seconds, due_at)]


def source_count(con: duckdb.DuckDBPyConnection) -> int:
    """How many sources there are."""
    return con.execute("SELECT count(*) FROM sources").fetchall()[0][0]


def document_validators(con: duckdb.DuckDBPyConnection, source_ids: Sequence[int]) -> dict[tuple[int, str], tuple]:
    """(source_id, document URL) -> (etag, last_modified, body_hash) of its last good read."""
    rows = con.execute("SELECT source_id, url, etag, last_modified, body_hash FROM source_document_state "
                       "WHERE list_contains(?, source_id)", [list(source_ids)]).fetchall()
    return {(sid, url): (etag, lm, bh) for sid, url, etag, lm, bh in rows}


@dataclass
class DiscoverReport:
    """What one discover run stored, per source and in all."""

    sources: list[dict] = field(default_factory=list)
    watched: list[str] = field(default_factory=list)

    def merge(self, other: DiscoverReport) -> None:
        """Add another batch's report to this one."""
        self.sources.extend(other.sources)
        self.watched.extend(other.watched)

    @property
    def failed(self) -> list[dict]:
        """Sources whose own document could not be read."""
        return [s for s in self.sources if s["failed"]]


def _already(con: duckdb.DuckDBPyConnection, readings: Sequence[SourceReading]) -> tuple[set[tuple[int, str]], set[str]]:
    """((source_id, URL) pairs decided before, URLs already watched or checked) among the readings' links.

    Two queries for the whole batch, whatever its number of sources.
    """
    pairs = sorted({(r.policy.source_id, f.url) for r in readings for f in r.found})
    if not pairs:
        return set(), set()
    con.register("_discover_candidates", pa.table({"source_id": pa.array([p[0] for p in pairs], pa.int64()),
                                                   "url": pa.array([p[1] for p in pairs], pa.string())}))
    try:
        decided = set(con.execute(
            "SELECT d.source_id, d.url FROM discoveries d "
            "SEMI JOIN _discover_candidates c ON c.source_id = d.source_id AND c.url = d.url").fetchall())
        known = {r[0] for r in con.execute(
            "SELECT DISTINCT c.url FROM _discover_candidates c WHERE c.url IN (SELECT url FROM watches) "
            "OR c.url IN (SELECT url FROM articles)").fetchall()}
    finally:
        con.unregister("_discover_candidates")
    return decided, known


def _select(reading: SourceReading, now: datetime, decided: set[tuple[int, str]], known: set[str]) -> Selection:
    source_id = reading.policy.source_id
    kinds = {c.url: c.doc_kind or "" for c in reading.checks}
    mine = {url for sid, url in decided if sid == source_id}
    return select_links(reading.policy, reading.found, kinds, now, mine, known)


def _checks_to_store(reading: SourceReading, selection: Selection) -> list[DocumentCheck]:
    """The checks as stored: validators are dropped when the cap left links waiting, so the next run
    reads the documents in full and finds them again instead of getting a 304."""
    if not selection.over_cap:
        return list(reading.checks)
    return [replace(c, etag=None, last_modified=None, body_hash=None) for c in reading.checks]


def _rows(columns: dict[str, list], **row) -> None:
    for name, value in row.items():
        columns.setdefault(name, []).append(value)


def record_readings(con: duckdb.DuckDBPyConnection, readings: Sequence[SourceReading],
                    run_id: str | None = None) -> DiscoverReport:
    """Store a batch of source readings, their decisions and new watches in one transaction."""
    report = DiscoverReport()
    now = datetime.now(timezone.utc)
    checks: dict[str, list] = {}
    found: dict[str, list] = {}
    watches: dict[str, list] = {}
    with transaction(con):
        decided, known = _already(con, readings)
        for reading in readings:
            selection = _select(reading, now, decided, known)
            known.update(selection.watched)  # two sources in one batch offering the same article watch it once
            added = {}
            for d in selection.decisions:
                _rows(found, source_id=reading.policy.source_id, url=d.url, discovered_at=now, outcome=d.outcome,
                      reason=d.reason, published_at=d.published, title=(d.title or None) and d.title[:500],
                      found_in=d.found_in, run_id=run_id)
                if d.outcome == "watched":
                    _rows(watches, url=d.url, added_at=now, every_seconds=None)
                    added[d.found_in] = added.get(d.found_in, 0) + 1
            for c in _checks_to_store(reading, selection):
                _rows(checks, source_id=c.source_id, url=c.url, checked_at=c.checked_at, http_status=c.http_status,
                      outcome=c.outcome, error=c.error, doc_kind=c.doc_kind, links=c.links,
                      added=added.get(c.url, 0), etag=c.etag, last_modified=c.last_modified,
                      body_hash=c.body_hash, elapsed_ms=c.elapsed_ms, run_id=run_id)
            report.sources.append(_source_summary(reading, selection))
            report.watched.extend(selection.watched)
        if checks:
            checks = {"check_id": _ids(con, "source_check_ids", len(checks["url"])), **checks}
        for table, columns in (("source_checks", checks), ("discoveries", found), ("watches", watches)):
            if columns:
                repo.append_rows(con, table, columns)
        _settle_kinds(con, readings)
    return report


def _ids(con: duckdb.DuckDBPyConnection, sequence: str, count: int) -> list[int]:
    return sorted(r[0] for r in con.execute(f"SELECT nextval('{sequence}') FROM range(?)", [count]).fetchall())


def _settle_kinds(con: duckdb.DuckDBPyConnection, readings: Sequence[SourceReading]) -> None:
    """An `auto` source becomes what its first good read showed, so a feed that later serves HTML is an error."""
    settled = {r.policy.source_id: _SOURCE_KIND[r.checks[0].doc_kind] for r in readings
               if r.policy.kind == "auto" and r.checks and r.checks[0].doc_kind in _SOURCE_KIND}
    if settled:
        con.execute("UPDATE sources SET kind = m.kind FROM (SELECT unnest(?) AS source_id, unnest(?) AS kind) m "
                    "WHERE sources.source_id = m.source_id AND sources.kind = 'auto'",
                    [list(settled), list(settled.values())])


def _source_summary(reading: SourceReading, selection: Selection) -> dict:
    first = reading.checks[0] if reading.checks else None
    counts: dict[str, int] = {}
    for d in selection.decisions:
        counts[d.outcome] = counts.get(d.outcome, 0) + 1
    problems = [f"{c.url}: {c.error}" for c in reading.checks[1:] if c.outcome in ("error", "refused")]
    return {"source": reading.policy.url, "outcome": first.outcome if first else "error",
            "failed": reading.failed, "error": first.error if first and reading.failed else None,
            "problems": problems, "links": len(reading.found), "added": counts.get("watched", 0),
            "over_cap": selection.over_cap, "decisions": counts}


def announce_degraded(con: duckdb.DuckDBPyConnection, now: datetime | None = None) -> list[dict]:
    """Degraded sources not announced in the last day, recorded as announced now (one transaction)."""
    now = now or datetime.now(timezone.utc)
    with transaction(con):
        rows = con.execute(
            """SELECT s.source_id, s.url, s.name, h.articles_checked, h.shrunken, h.without_text
               FROM source_health h JOIN sources s USING (source_id)
               WHERE h.degraded AND NOT EXISTS (
                   SELECT 1 FROM source_events e WHERE e.source_id = s.source_id AND e.event = 'degraded'
                     AND e.emitted_at > ?::TIMESTAMPTZ - INTERVAL 1 DAY)
               ORDER BY s.source_id""", [now]).fetchall()
        found = [{"source_id": sid, "url": url, "name": name,
                  "detail": f"{shrunk + no_text} of {checked} articles checked in the last day came out broken "
                            f"({shrunk} shrank, {no_text} had no article text): the outlet's pages may have changed"}
                 for sid, url, name, checked, shrunk, no_text in rows]
        if found:
            con.execute("INSERT INTO source_events SELECT unnest(?), ?, 'degraded', unnest(?)",
                        [[f["source_id"] for f in found], now, [f["detail"] for f in found]])
    return found
