"""`factwatch stories` (story clusters: list, show, move) and `factwatch report` (one story as an HTML page)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from factwatch.cli.support import open_read_only, resolve_db, run_settings, usage_error
from factwatch.storage import connect

stories_app = typer.Typer(help="Stories: articles from several outlets that report one event.", no_args_is_help=True)
console = Console()

DbOpt = Annotated[Optional[str], typer.Option("--db", help="DuckDB file (default: $FACTWATCH_DB or ./factwatch.duckdb)")]
StoryArg = Annotated[str, typer.Argument(help="A story id, or the URL of an article in it.")]


def _require_stories(con) -> None:
    from factwatch.storage.story_report import has_stories

    if not has_stories(con):
        usage_error("this database predates stories (schema version 6); any writing command, such as "
                    "`factwatch check`, upgrades it")


def _story_id(con, ref: str) -> int:
    from factwatch.storage.stories import StoryNotFound, resolve_story

    _require_stories(con)
    try:
        return resolve_story(con, ref)
    except StoryNotFound as exc:
        usage_error(str(exc))
        raise  # unreachable: usage_error exits


@stories_app.command("list")
def stories_list(db: DbOpt = None) -> None:
    """List stories, newest first, with their outlets and killed toll range."""
    from factwatch.storage.story_report import story_rows

    with open_read_only(db) as con:
        _require_stories(con)
        rows = story_rows(con)
    table = Table("story", "title", "articles", "outlets", "killed", "outlets disagree")
    for r in rows:
        killed = "" if r["killed_low"] is None else (
            str(r["killed_low"]) if r["killed_low"] == r["killed_high"] else f"{r['killed_low']}–{r['killed_high']}")
        table.add_row(str(r["story_id"]), r["title"] or "", str(r["articles"]), str(r["outlets"]), killed,
                      "yes" if r["disagree"] else "")
    console.print(table)


@stories_app.command("show")
def stories_show(story: StoryArg, db: DbOpt = None) -> None:
    """Show a story's articles and its reconciled tolls."""
    from factwatch.storage.stories import story_toll_rows
    from factwatch.storage.story_report import story_members

    with open_read_only(db) as con:
        story_id = _story_id(con, story)
        members, tolls = story_members(con, story_id), story_toll_rows(con, [story_id])
    console.print(f"story {story_id}", highlight=False)
    articles = Table("outlet", "url", "how", "score")
    for m in members:
        articles.add_row(m["outlet"], m["url"], m["method"] + (" (pinned)" if m["pinned"] else ""),
                         "" if m["score"] is None else f"{m['score']:.2f}")
    console.print(articles)
    reconciled = Table("toll", "outlets", "low", "best", "high", "latest", "disagree", "who says what")
    for t in tolls:
        reconciled.add_row(f"{t['outcome']} ({t['victim_group']})", str(t["outlets"]), str(t["low"]), str(t["best"]),
                           str(t["high"]), t["latest"], "yes" if t["disagree"] else "", t["sources"])
    console.print(reconciled)


@stories_app.command("move")
def stories_move(
    url: Annotated[str, typer.Argument(help="The article to move.")],
    story: Annotated[str, typer.Argument(help="The story id to put it in, or 'new' for a story of its own.")],
    db: DbOpt = None,
) -> None:
    """Pin an article to a story; clustering never moves it again."""
    from factwatch.storage.stories import StoryNotFound, move_article

    if not Path(resolve_db(db)).exists():
        usage_error(f"no factwatch database at {resolve_db(db)}")
    with connect(resolve_db(db), wait=run_settings().lock_wait) as con:
        try:
            story_id = move_article(con, url, story, datetime.now(timezone.utc))
        except StoryNotFound as exc:
            usage_error(str(exc))
    console.print(f"moved {url} to story {story_id} (pinned)", highlight=False)


def report(
    story: StoryArg,
    out: Annotated[Path, typer.Option("--out", help="The HTML file to write.")] = Path("report.html"),
    db: DbOpt = None,
) -> None:
    """Write one story as a self-contained HTML page: toll timeline, reconciled figures, version history."""
    from factwatch.stories.report import render_report
    from factwatch.storage.story_report import report_data

    with open_read_only(db) as con:
        data = report_data(con, _story_id(con, story))
    try:
        out.write_text(render_report(data), encoding="utf-8")
    except OSError as exc:
        usage_error(f"cannot write {out}: {exc.strerror or exc}")
    console.print(f"wrote {out} (story {data['story_id']}, {len(data['articles'])} articles)", highlight=False)
