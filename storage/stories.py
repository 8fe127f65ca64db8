"""Stories in DuckDB: place newly stored articles in story clusters, move them by hand, raise toll flags.

Runs inside the single writer's transaction (storage/writer.py), right after a
batch's versions and claims land, so a story never points at an article whose
version was rolled back. Clustering is incremental: only articles with no story
yet are placed, against the stories first seen within the window around them.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from datetime import datetime

import duckdb

from factwatch.stories.cluster import WINDOW, StoryIndex
from factwatch.stories.features import ArticleFeatures, article_features, outlet_of
from factwatch.storage import repo, transaction
from factwatch.storage.repo import claim_from_row

log = logging.getLogger(__name__)
FLAG_KINDS = ("disagreement", "lagging")


class StoryNotFound(Exception):
    """No story (or article) with that id or URL."""


def _features(con: duckdb.DuckDBPyConnection, article_ids: Sequence[int]) -> dict[int, ArticleFeatures]:
    """Clustering features of articles, from their newest version and its claims."""
    if not article_ids:
        return {}
    rows = con.execute(
        """SELECT a.article_id, a.url, least(a.first_seen_at, coalesce(lv.published_at::TIMESTAMPTZ, a.first_seen_at)),
                  lv.title, lv.text, lv.version_id
           FROM articles a JOIN latest_versions lv USING (article_id) WHERE list_contains(?, a.article_id)""",
        [list(article_ids)]).fetchall()
    claims = repo.version_claims(con, [r[5] for r in rows])
    return {aid: article_features(aid, url, seen, title, text, [claim_from_row(c) for c in claims.get(vid, [])])
            for aid, url, seen, title, text, vid in rows}


# The last batch's index, kept for the next batch in this process: rebuilding it from the stored features costs
# more than placing the articles. It is reused only when the file's story events (every placement, merge and
# move adds one; a rolled-back batch takes its events with it) are exactly as this process left them, and
# when it covers the new articles' window. db path -> (events fingerprint, covered from, covered to, index).
_INDEXES: dict[str, tuple[tuple, datetime, datetime, StoryIndex]] = {}


def _fingerprint(con: duckdb.DuckDBPyConnection) -> tuple:
    return tuple(con.execute("SELECT count(*), sum(hash(story_id, article_id, event, event_at)) FROM story_events")
                 .fetchall()[0])


def _db_key(con: duckdb.DuckDBPyConnection) -> str:
    return str(con.execute("SELECT coalesce(path, database_name) FROM duckdb_databases() "
                           "WHERE database_name = current_database()").fetchall()[0][0])


def _index(con: duckdb.DuckDBPyConnection, new: Sequence[ArticleFeatures],
           now: datetime) -> tuple[StoryIndex, datetime, datetime]:
    """The articles of standing stories seen within the window of any new article: (index, covered from, to)."""
    lo, hi = min(f.seen_at for f in new) - WINDOW, max(f.seen_at for f in new) + WINDOW
    cached = _INDEXES.pop(_db_key(con), None)  # taken, not shared: a batch that fails leaves nothing behind
    if cached and cached[0] == _fingerprint(con) and cached[1] <= lo and hi <= cached[2]:
        return cached[3], cached[1], cached[2]
    hi = max(hi, now + 2 * WINDOW)  # articles of the batches of the next days, seen about then, are covered too
    rows = con.execute(
        """SELECT sa.story_id, sa.article_id, sa.url, sa.seen_at, sa.terms, sa.sketch, sa.entities
           FROM story_articles sa JOIN stories s ON s.story_id = sa.story_id AND s.merged_into IS NULL
           WHERE sa.seen_at BETWEEN ? AND ? ORDER BY sa.seen_at, sa.article_id""", [lo, hi]).fetchall()
    index = StoryIndex()
    for story_id, article_id, url, seen_at, terms, sketch, entities in rows:
        pairs = tuple((str(t), int(n)) for t, n in json.loads(terms))
        index.add(ArticleFeatures(article_id, outlet_of(url), seen_at, pairs, tuple(sketch), frozenset(entities)),
                  story_id)
    return index, lo, hi


def _merge(con: duckdb.DuckDBPyConnection, other: int, into: int, article_id: int, now: datetime,
           pending: dict[int, dict], opened: list[dict], events: list[dict], index: StoryIndex) -> bool:
    """Merge story `other` into `into` unless a person pinned an article there (their decision stands)."""
    pinned = con.execute("SELECT count(*) FROM story_articles WHERE story_id = ? AND pinned", [other]).fetchall()[0][0]
    if pinned:
        return False
    con.execute("UPDATE story_articles SET story_id = ?, method = 'merged' WHERE story_id = ?", [into, other])
    con.execute("UPDATE stories SET merged_into = ? WHERE story_id = ?", [into, other])
    index.merge(other, into)
    for row in pending.values():
        if row["story_id"] == other:
            row["story_id"] = into
    for row in opened:  # a story opened earlier in this batch is not stored yet
        if row["story_id"] == other:
            row["merged_into"] = into
    events.append(dict(event_at=now, story_id=into, event="merged", article_id=article_id, from_story=other,
                       detail=f"story {other} merged: article {article_id} matched both"))
    return True


def place_new_articles(con: duckdb.DuckDBPyConnection, article_ids: Sequence[int], now: datetime) -> set[int]:
    """Put each article that has no story yet into one (oldest first); return the stories that changed."""
    placed = {r[0] for r in con.execute("SELECT article_id FROM story_articles WHERE list_contains(?, article_id)",
                                        [list(article_ids)]).fetchall()}
    # Recent articles a failed story step left unplaced (or stored before schema version 6) come along.
    missed = [r[0] for r in con.execute(
        "SELECT article_id FROM articles a WHERE a.first_seen_at >= ? AND NOT list_contains(?, a.article_id) "
        "AND a.article_id NOT IN (SELECT article_id FROM story_articles) "
        "AND a.article_id IN (SELECT article_id FROM versions)", [now - WINDOW, list(article_ids)]).fetchall()]
    new = sorted(_features(con, [a for a in article_ids if a not in placed] + missed).values(),
                 key=lambda f: (f.seen_at, f.article_id))
    if not new:
        return set()
    index, covered_from, covered_to = _index(con, new, now)
    urls = dict(con.execute("SELECT article_id, url FROM articles WHERE list_contains(?, article_id)",
                            [[f.article_id for f in new]]).fetchall())
    titles = dict(con.execute("SELECT article_id, title FROM latest_versions WHERE list_contains(?, article_id)",
                              [[f.article_id for f in new]]).fetchall())
    pending: dict[int, dict] = {}
    opened: list[dict] = []
    events: list[dict] = []
    touched: set[int] = set()
    for article in new:
        decision = index.place(article)
        story_id = decision.story_id
        if story_id is None:
            story_id = con.execute("SELECT nextval('story_ids')").fetchall()[0][0]
            opened.append(dict(story_id=story_id, created_at=now, title=titles.get(article.article_id),
                               merged_into=None))
            events.append(dict(event_at=now, story_id=story_id, event="opened", article_id=article.article_id,
                               from_story=None, detail="no story within the window matched"))
        else:
            events.append(dict(event_at=now, story_id=story_id, event="joined", article_id=article.article_id,
                               from_story=None, detail=f"{decision.method} (score {decision.score:.2f})"))
        for other in decision.merge:
            if _merge(con, other, story_id, article.article_id, now, pending, opened, events, index):
                touched.add(other)
        index.add(article, story_id)
        pending[article.article_id] = dict(
            article_id=article.article_id, story_id=story_id, url=urls[article.article_id], joined_at=now,
            method=decision.method, score=decision.score if decision.story_id is not None else None, pinned=False,
            seen_at=article.seen_at, terms=json.dumps(article.terms), sketch=list(article.sketch),
            entities=sorted(article.entities))
    _append(con, "stories", opened)
    _append(con, "story_articles", list(pending.values()))
    _append(con, "story_events", events)
    _INDEXES[_db_key(con)] = (_fingerprint(con), covered_from, covered_to, index)
    return touched | {row["story_id"] for row in pending.values()}


def _title(con: duckdb.DuckDBPyConnection, article_id: int) -> str | None:
    rows = con.execute("SELECT title FROM latest_versions WHERE article_id = ?", [article_id]).fetchall()
    return rows[0][0] if rows else None


def _append(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    if rows:
        repo.append_rows(con, table, {name: [r[name] for r in rows] for name in rows[0]})


def stories_of(con: duckdb.DuckDBPyConnection, article_ids: Sequence[int]) -> set[int]:
    """The standing stories these articles are in."""
    return {r[0] for r in con.execute(
        "SELECT sa.story_id FROM story_articles sa JOIN stories s ON s.story_id = sa.story_id "
        "AND s.merged_into IS NULL WHERE list_contains(?, sa.article_id)", [list(article_ids)]).fetchall()}


def _flag_detail(con: duckdb.DuckDBPyConnection, kind: str, row: tuple) -> str:
    story_id, outcome, group, low, high, _disagree, _lagging, sources = row
    if kind == "disagreement":
        return f"outlets disagree on the {outcome} ({group}): {sources}"
    late = con.execute("SELECT outlet, value FROM story_outlet_tolls WHERE story_id = ? AND outcome = ? "
                       "AND victim_group = ? AND lagging ORDER BY outlet", [story_id, outcome, group]).fetchall()
    behind = ", ".join(f"{outlet} still says {value}" for outlet, value in late)
    return f"{behind} while others say up to {high} ({outcome}, {group})"


def raise_story_flags(con: duckdb.DuckDBPyConnection, story_ids: Sequence[int], now: datetime) -> list[dict]:
    """Raise a flag when a story's outlets start to disagree or lag, once per divergence; close it when it ends."""
    if not story_ids:
        return []
    rows = con.execute(
        "SELECT story_id, outcome, victim_group, low, high, disagree, lagging_outlets > 0, sources "
        "FROM story_tolls WHERE list_contains(?, story_id)", [list(story_ids)]).fetchall()
    standing = {tuple(r) for r in con.execute(
        "SELECT story_id, outcome, victim_group, kind FROM story_flags "
        "WHERE resolved_at IS NULL AND list_contains(?, story_id)", [list(story_ids)]).fetchall()}
    raised, ended = [], []
    for row in rows:
        for kind, active in zip(FLAG_KINDS, (row[5], row[6])):
            key = (row[0], row[1], row[2], kind)
            if active and key not in standing:
                raised.append(dict(story_id=row[0], outcome=row[1], victim_group=row[2], kind=kind, raised_at=now,
                                   resolved_at=None, low=row[3], high=row[4], detail=_flag_detail(con, kind, row)))
            elif not active and key in standing:
                ended.append(key)
    for story_id, outcome, group, kind in ended:
        con.execute("UPDATE story_flags SET resolved_at = ? WHERE story_id = ? AND outcome = ? AND victim_group = ? "
                    "AND kind = ? AND resolved_at IS NULL", [now, story_id, outcome, group, kind])
    _append(con, "story_flags", raised)
    return raised


def record_stories(con: duckdb.DuckDBPyConnection, article_ids: Sequence[int], now: datetime) -> list[dict]:
    """The writer's story step: place new articles, raise toll flags; per changed story its tolls and new flags."""
    if not article_ids:
        return []
    touched = sorted((place_new_articles(con, article_ids, now) | stories_of(con, article_ids))
                     - {r[0] for r in con.execute("SELECT story_id FROM stories WHERE merged_into IS NOT NULL")
                        .fetchall()})
    flags = raise_story_flags(con, touched, now)
    tolls = story_toll_rows(con, touched)
    titles = dict(con.execute("SELECT story_id, title FROM stories WHERE list_contains(?, story_id)",
                              [touched]).fetchall())
    urls: dict[int, list[str]] = {}
    for story_id, url in con.execute("SELECT story_id, url FROM story_articles WHERE list_contains(?, story_id) "
                                     "ORDER BY url", [touched]).fetchall():
        urls.setdefault(story_id, []).append(url)
    return [dict(story_id=sid, title=titles.get(sid), tolls=[t for t in tolls if t["story_id"] == sid],
                 flags=[f for f in flags if f["story_id"] == sid], urls=urls.get(sid, [])) for sid in touched]


def story_toll_rows(con: duckdb.DuckDBPyConnection, story_ids: Sequence[int]) -> list[dict]:
    """Stories' reconciled tolls (story_tolls), per story the killed first."""
    cursor = con.execute("SELECT story_id, outcome, victim_group, outlets, low, best, high, latest, disagree, "
                         "lagging_outlets, sources FROM story_tolls WHERE list_contains(?, story_id) "
                         "ORDER BY story_id, outcome <> 'killed', outcome, victim_group", [list(story_ids)])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r)) for r in cursor.fetchall()]


def resolve_story(con: duckdb.DuckDBPyConnection, ref: str) -> int:
    """A story id from an id or an article URL (following merges)."""
    if ref.isdigit():
        rows = con.execute("SELECT story_id, merged_into FROM stories WHERE story_id = ?", [int(ref)]).fetchall()
    else:
        rows = con.execute("SELECT s.story_id, s.merged_into FROM story_articles sa JOIN stories s USING (story_id) "
                           "WHERE sa.url = ?", [ref]).fetchall()
    if not rows:
        raise StoryNotFound(f"no story {ref}" if ref.isdigit() else f"{ref} is in no story")
    story_id, merged = rows[0]
    while merged is not None:
        story_id, merged = con.execute("SELECT story_id, merged_into FROM stories WHERE story_id = ?",
                                       [merged]).fetchall()[0]
    return story_id


def move_article(con: duckdb.DuckDBPyConnection, url: str, target: str, now: datetime) -> int:
    """Pin an article to a story (an id, or 'new' for a story of its own); clustering never moves it again."""
    with transaction(con):
        rows = con.execute("SELECT article_id, story_id FROM story_articles WHERE url = ?", [url]).fetchall()
        if not rows:
            raise StoryNotFound(f"{url} is in no story (check it first)")
        article_id, was = rows[0]
        if target == "new":
            story_id = con.execute("SELECT nextval('story_ids')").fetchall()[0][0]
            _append(con, "stories", [dict(story_id=story_id, created_at=now, title=_title(con, article_id))])
        else:
            story_id = resolve_story(con, target)
        con.execute("UPDATE story_articles SET story_id = ?, method = 'pinned', score = NULL, pinned = true, "
                    "joined_at = ? WHERE article_id = ?", [story_id, now, article_id])
        _append(con, "story_events", [dict(event_at=now, story_id=story_id, event="moved", article_id=article_id,
                                           from_story=was, detail=f"moved by hand from story {was}")])
        raise_story_flags(con, sorted({story_id, was}), now)
    log.info("moved %s from story %s to story %s", url, was, story_id)
    return story_id
