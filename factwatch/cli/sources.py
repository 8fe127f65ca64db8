"""`factwatch sources add/list/remove` and `factwatch discover`: outlets whose new articles get watched."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from factwatch.cli.support import (
    configure_prefect_defaults,
    open_read_only,
    resolve_db,
    run_settings,
    usage_error,
    validate_urls,
)
from factwatch.discover.model import SOURCE_KINDS
from factwatch.storage import DatabaseBusy, DatabaseCorrupt, connect

sources_app = typer.Typer(help="Manage the feeds, sitemaps and section pages `discover` reads.", no_args_is_help=True)
console = Console()
err = Console(stderr=True, soft_wrap=True)  # messages are never cut into lines: paths stay whole

DbOpt = Annotated[Optional[str], typer.Option("--db", help="DuckDB file (default: $FACTWATCH_DB or ./factwatch.duckdb)")]
PrivateOpt = Annotated[bool, typer.Option("--allow-private-networks",
                                          help="Allow loopback and private-network URLs (never link-local).")]


@sources_app.command("add")
def sources_add(
    url: Annotated[str, typer.Argument(help="A feed (RSS, Atom, JSON Feed), a sitemap or a section page.")],
    kind: Annotated[str, typer.Option("--kind", help="auto, feed, sitemap or section (auto: from what the server sends).")] = "auto",
    name: Annotated[Optional[str], typer.Option("--name", help="A name to show for it.")] = None,
    allow_host: Annotated[Optional[list[str]], typer.Option("--allow-host", help="Another site whose articles it may add (repeatable); its own site always may.")] = None,
    max_new: Annotated[Optional[int], typer.Option("--max-new", min=0, help="New watches per run (default: $FACTWATCH_DISCOVER_MAX_NEW).")] = None,
    max_age: Annotated[Optional[str], typer.Option("--max-age", help="Skip items older than this, like 12h or 3d (default: $FACTWATCH_DISCOVER_MAX_AGE).")] = None,
    include: Annotated[Optional[str], typer.Option("--include", help="Only article URLs this regular expression matches (anywhere in the URL).")] = None,
    exclude: Annotated[Optional[str], typer.Option("--exclude", help="No article URL this regular expression matches.")] = None,
    every: Annotated[Optional[str], typer.Option("--every", help="Read it this often, like 10m or 1h (default: $FACTWATCH_DISCOVER_EVERY).")] = None,
    db: DbOpt = None,
    allow_private_networks: PrivateOpt = False,
) -> None:
    """Add a source (or change its settings); `discover` reads it from then on."""
    from factwatch.discover.select import BadPattern, check_pattern
    from factwatch.discover.urls import normalise_url, site_of
    from factwatch.schedule import BadDuration, parse_every
    from factwatch.storage.sources import add_source

    if kind not in SOURCE_KINDS:
        usage_error(f"--kind must be one of {', '.join(SOURCE_KINDS)}, not {kind!r}")
    try:
        age = parse_every(max_age) if max_age else None
    except BadDuration as exc:
        usage_error(str(exc).replace("a cadence", "an age"))
    try:
        every_seconds = parse_every(every) if every else None
    except BadDuration as exc:
        usage_error(str(exc))
    try:
        include, exclude = check_pattern("--include", include), check_pattern("--exclude", exclude)
    except BadPattern as exc:
        usage_error(str(exc))
    checked = normalise_url(validate_urls([url], allow_private_networks)[0])
    hosts = [site_of(checked)] + [h.strip().lower() for h in allow_host or () if h.strip()]
    settings = run_settings(db=db)
    try:
        with connect(settings.db, wait=settings.lock_wait) as con:
            new = add_source(con, checked, kind, list(dict.fromkeys(hosts)), name, max_new, age,
                             datetime.now(timezone.utc), include, exclude, every_seconds)
    except (DatabaseBusy, DatabaseCorrupt) as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc
    filters = f"; every {every}" if every else ""
    filters += "".join(f"; {option} {pattern!r}" for option, pattern in (("--include", include), ("--exclude", exclude))
                      if pattern)
    console.print(f"{'added' if new else 'updated'} source {checked} ({kind}; articles on "
                  f"{', '.join(dict.fromkeys(hosts))}{filters})", highlight=False)


@sources_app.command("list")
def sources_list(db: DbOpt = None) -> None:
    """List sources with their last read and what their articles came to."""
    from pathlib import Path

    from factwatch.storage.sources import source_rows

    if not Path(resolve_db(db)).exists():
        console.print("no sources")
        return
    with open_read_only(db) as con:
        rows = source_rows(con)
    if not rows:
        console.print("no sources")
        return
    if not console.is_terminal:
        for r in rows:
            console.print(f"{r['url']}\t{r['kind']}\t{r['last_outcome'] or 'never read'}\twatched {r['watched']}"
                          f"\trejected {r['rejected']}\tchanged {r['changed']}\tcorrected {r['corrected']}\tflags {r['flags']}" + (f"\t{r['last_error']}" if r['last_error'] else ""),
                          highlight=False, soft_wrap=True)
        return
    table = Table("source", "kind", "last read", "outcome", "watched", "rejected", "too old", "changed", "corrected",
                  "flags", "problem")
    for r in rows:
        when = f"{r['last_checked_at']:%Y-%m-%d %H:%M}" if r["last_checked_at"] else "never"
        table.add_row(r["name"] or r["url"], r["kind"], when, r["last_outcome"] or "", str(r["watched"]),
                      str(r["rejected"]), str(r["too_old"]), str(r["changed"]), str(r["corrected"]), str(r["flags"]),
                      r["last_error"] or "")
    console.print(table)


@sources_app.command("remove")
def sources_remove(url: Annotated[str, typer.Argument(help="The source's URL.")], db: DbOpt = None) -> None:
    """Stop reading a source; its history and the watches it added stay."""
    from factwatch.discover.urls import normalise_url
    from factwatch.storage.sources import remove_source

    settings = run_settings(db=db)
    with connect(settings.db, wait=settings.lock_wait) as con:
        removed = remove_source(con, url) or remove_source(con, normalise_url(url))
    if not removed:
        usage_error(f"{url} is not a source")
    console.print(f"removed source {url}")


def discover(
    source: Annotated[Optional[str], typer.Option("--source", help="Only this source, due or not.")] = None,
    everything: Annotated[bool, typer.Option("--all", help="Every source now, due or not.")] = False,
    db: DbOpt = None,
    timeout: Annotated[Optional[float], typer.Option(help="Seconds to wait for each server.", min=0.1)] = None,
    allow_private_networks: PrivateOpt = False,
) -> None:
    """Read every due source once through the Prefect flow and watch the new articles it finds."""
    settings = run_settings(db=db, timeout=timeout)
    configure_prefect_defaults()
    from factwatch.flows.prefect_api import temporary_api

    try:
        with connect(settings.db, wait=settings.lock_wait):
            pass
        with temporary_api():
            from factwatch.flows.discover import discover_articles

            summary = discover_articles(settings.db, source, timeout, allow_private_networks or None,
                                        everything=everything)
    except (DatabaseBusy, DatabaseCorrupt) as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc
    except KeyboardInterrupt:
        err.print("stopped: sources already written stay stored")
        raise typer.Exit(130) from None
    if source and not summary.sources:
        usage_error(f"{source} is not a source (see `factwatch sources list`)")
    for s in summary.sources:
        line = f"{s['source']}: {s['outcome']}, {s['links']} links, {s['added']} new watches"
        line += f" ({s['over_cap']} wait for the next run)" if s["over_cap"] else ""
        console.print(line + (f" — {s['error']}" if s["error"] else ""), highlight=False, soft_wrap=True)
        for problem in s["problems"][:5]:
            console.print(f"    {problem}", highlight=False, soft_wrap=True, style="dim")
    if summary.waiting:
        console.print(f"{summary.waiting} source{'s' if summary.waiting != 1 else ''} not due yet "
                      "(`--all` reads every source now)")
    console.print(f"watching {len(summary.watched)} new article{'s' if len(summary.watched) != 1 else ''}"
                  + ("" if summary.sources or summary.waiting
                     else " (no sources: add one with `factwatch sources add URL`)"))
    raise typer.Exit(1 if summary.failed else 0)


def register(app: typer.Typer) -> None:
    """Add `sources` and `discover` to the main app."""
    app.add_typer(sources_app, name="sources")
    app.command("discover")(discover)
