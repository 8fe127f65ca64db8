"""The factwatch command line. It calls the same functions and flows as the deployments.

Exit codes: 0 every URL was checked, 1 some URLs failed (and were recorded),
2 usage errors (bad arguments, unreadable files, refused URLs).
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from factwatch.errors import TaskRunnerUnavailable
from factwatch.storage import DatabaseBusy, DatabaseCorrupt, connect

from factwatch.cli.alerts import alerts_app, feed
from factwatch.cli.stories import report, stories_app
from factwatch.cli.support import (
    configure_prefect_defaults,
    load_urls,
    open_read_only,
    resolve_db,
    run_settings,
    usage_error,
    validate_urls,
)

app = typer.Typer(help="factwatch: watch news articles and get told when the facts in them change.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
watch_app = typer.Typer(help="Manage the watchlist the scheduled flow re-checks.", no_args_is_help=True)
app.add_typer(watch_app, name="watch")
app.add_typer(alerts_app, name="alerts")
app.command("feed")(feed)
app.add_typer(stories_app, name="stories")
app.command("report")(report)
console = Console()
err = Console(stderr=True, soft_wrap=True)  # messages are never cut into lines: paths stay whole

DbOpt = Annotated[Optional[str], typer.Option("--db", help="DuckDB file (default: $FACTWATCH_DB or ./factwatch.duckdb)")]
PrivateOpt = Annotated[bool, typer.Option("--allow-private-networks",
                                          help="Allow loopback and private-network URLs (never link-local).")]


@app.command()
def check(
    urls: Annotated[Optional[list[str]], typer.Argument(help="Article URLs to check.")] = None,
    from_file: Annotated[Optional[Path], typer.Option("--from", help="File with one URL per line.")] = None,
    db: DbOpt = None,
    timeout: Annotated[Optional[float], typer.Option(help="Seconds to wait for each server (default: $FACTWATCH_TIMEOUT or 20).", min=0.1)] = None,
    allow_private_networks: PrivateOpt = False,
) -> None:
    """Fetch the URLs once through the Prefect flow and print outcomes and new flags."""
    from factwatch.cli.output import print_summary, progress_hook

    settings = run_settings(db=db, timeout=timeout)  # a bad FACTWATCH_* value is a usage error, before any work
    # A refused URL (bad scheme, forbidden address) is recorded in fetch_log by the run, not a usage error:
    # one bad line in a long --from file must not stop the others.
    targets = load_urls(urls, from_file)
    configure_prefect_defaults()
    from factwatch.flows.prefect_api import temporary_api

    try:
        with connect(settings.db, wait=settings.lock_wait):  # fail fast, in plain words, if another run holds the file
            pass
        with temporary_api(warm_up=_warm_up_check):
            from factwatch.flows import check as check_module

            with progress_hook(console, len(targets)) as hook:
                check_module.PROGRESS_HOOK = hook
                summary = check_module.check_articles(targets, resolve_db(db), timeout, allow_private_networks or None)
    except (DatabaseBusy, DatabaseCorrupt) as exc:  # expected failures of the file: one line, no traceback
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc
    except TaskRunnerUnavailable as exc:
        usage_error(str(exc))
    except KeyboardInterrupt:
        err.print("stopped: pages already written stay stored; the next run checks the rest")
        raise typer.Exit(130) from None
    print_summary(console, summary)
    raise typer.Exit(1 if summary.failed else 0)


def _warm_up_check() -> None:
    """What a check needs before its first batch: the flow modules and the extraction workers."""
    from factwatch.flows import check  # noqa: F401  (imports prefect, trafilatura and duckdb)
    from factwatch.runtime import workers

    settings = run_settings()
    workers.configure(settings.extraction_workers, settings.fetch_threads)
    workers.warm_up_pool()


@app.command()
def claims(
    sources: Annotated[list[str], typer.Argument(help="URLs or local HTML files.")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for each server.", min=0.1)] = 20.0,
    allow_private_networks: PrivateOpt = False,
) -> None:
    """Extract claims from URLs or HTML files without touching any database."""
    from factwatch.cli.output import print_claims
    from factwatch.cli.support import claims_for_source

    failed = 0
    for source in sources:
        try:
            record = claims_for_source(source, timeout, allow_private_networks)
        except (OSError, ValueError) as exc:
            err.print(f"[red]{source}: {exc}[/red]")
            failed += 1
            continue
        if as_json:
            sys.stdout.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
        else:
            print_claims(console, record)
    raise typer.Exit(1 if failed else 0)


@app.command()
def changes(
    url: Annotated[Optional[str], typer.Option("--url", help="Only this article.")] = None,
    since: Annotated[Optional[str], typer.Option("--since", help="Only flags detected on or after DATE (YYYY-MM-DD) or within an age (12h, 1d, 2w).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="CSV with a header row.")] = False,
    db: DbOpt = None,
) -> None:
    """List flagged fact changes, newest first, with old -> new and the evidence."""
    from factwatch.cli.output import print_flags
    from factwatch.cli.support import parse_since
    from factwatch.storage.queries import change_rows

    with open_read_only(db) as con:
        rows = change_rows(con, url, parse_since(since))
    if as_json:
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
    elif as_csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else ["url"])
        writer.writeheader()
        writer.writerows(rows)
    else:
        print_flags(console, rows)


@app.command()
def history(url: Annotated[str, typer.Argument(help="The article URL.")], db: DbOpt = None) -> None:
    """Show an article's versions and how each claim's value moved across them."""
    from factwatch.cli.output import print_history
    from factwatch.storage.queries import claim_timeline, version_rows

    with open_read_only(db) as con:
        versions, timeline = version_rows(con, url), claim_timeline(con, url)
    if not versions:
        usage_error(f"no versions stored for {url}")
    print_history(console, url, versions, timeline)


@watch_app.command("add")
def watch_add(
    url: Annotated[str, typer.Argument(help="Article URL to watch.")],
    every: Annotated[Optional[str], typer.Option("--every", help="Fixed cadence like 15m, 2h, 1d (default: adaptive).")] = None,
    db: DbOpt = None,
    allow_private_networks: PrivateOpt = False,
) -> None:
    """Add a URL to the watchlist (or change its cadence)."""
    from factwatch.cli.support import watch_add_url

    new = watch_add_url(resolve_db(db), validate_urls([url], allow_private_networks)[0], every)
    console.print(f"{'watching' if new else 'updated'} {url}" + (f" every {every}" if every else " (adaptive cadence)"))


@watch_app.command("list")
def watch_list(db: DbOpt = None) -> None:
    """List watched URLs with their cadence and when they are next due."""
    from factwatch.cli.output import print_watches
    from factwatch.cli.support import watch_rows

    print_watches(console, watch_rows(resolve_db(db)))


@watch_app.command("remove")
def watch_remove(url: Annotated[str, typer.Argument(help="Watched URL to stop checking.")], db: DbOpt = None) -> None:
    """Stop watching a URL; its stored history stays."""
    from factwatch.cli.support import watch_remove_url

    if not watch_remove_url(resolve_db(db), url):
        usage_error(f"{url} is not on the watchlist")
    console.print(f"stopped watching {url}")


@app.command()
def demo(db: Annotated[str, typer.Option("--db", help="Demo database (recreated).")] = "factwatch-demo.duckdb") -> None:
    """Replay the bundled four-version story through the real flow and show the flags."""
    configure_prefect_defaults()
    from factwatch.flows.prefect_api import temporary_api

    with temporary_api():
        from factwatch.cli.demo import run_demo

        run_demo(console, db)


@app.command()
def reprocess(
    url: Annotated[Optional[str], typer.Option("--url", help="Only this article.")] = None,
    everything: Annotated[bool, typer.Option("--all", help="Also versions made by the current extractor.")] = False,
    db: DbOpt = None,
) -> None:
    """Re-derive claims and changes from stored pages with the current extractor (no refetching)."""
    configure_prefect_defaults()
    from factwatch.flows.prefect_api import temporary_api

    with temporary_api():
        from factwatch.flows.reprocess import reprocess_articles

        result = reprocess_articles(resolve_db(db), url, everything)
    console.print(f"reprocessed {result['articles']} articles with {result['extractor']}: {result['flags']} flags")
    failed = result.get("failed") or []
    if failed:
        err.print(f"{len(failed)} stored version{'s' if len(failed) != 1 else ''} could not be re-extracted; "
                  "they kept their claims and flags (see the reprocess_failures table):", highlight=False)
        for failure in failed:
            err.print(f"  {failure['url']} (version {failure['version_id']}): {failure['reason']}", highlight=False)
        raise typer.Exit(1)


@app.command()
def export(
    parquet: Annotated[Path, typer.Option("--parquet", help="Folder to write one Parquet file per table and view.")],
    db: DbOpt = None,
) -> None:
    """Write every table and view as Parquet, for notebooks and other tools."""
    from factwatch.storage.export import export_parquet

    with open_read_only(db) as con:
        written = export_parquet(con, parquet)
    for name, rows in written:
        console.print(f"{name}.parquet: {rows} rows")


@app.command()
def serve(
    every: Annotated[str, typer.Option("--every", help="How often the watch flow runs (each run checks only due watches).")] = "5m",
    db: DbOpt = None,
    port: Annotated[Optional[int], typer.Option("--port", help="Port of the local Prefect server (default 4200, else a free one).")] = None,
    feed_port: Annotated[Optional[int], typer.Option("--feed-port", help="Port of the Atom feed of flags (default 4280, else a free one).")] = None,
) -> None:
    """Run the watch flow on a schedule: on $PREFECT_API_URL's server, else on a local server it starts and stops."""
    import signal

    from factwatch.runtime.processes import stop_descendants
    from factwatch.schedule import BadDuration, parse_every

    try:
        seconds = parse_every(every)
    except BadDuration as exc:
        usage_error(str(exc))
    database = str(Path(run_settings(db=db).db).resolve())
    configure_prefect_defaults()
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started with SIGINT ignored (`cmd &`)
    from factwatch.cli.feedserver import FeedServer
    from factwatch.flows.serve import ServeFailed, serve_flows

    announce = lambda line: err.print(line, highlight=False, soft_wrap=True)  # noqa: E731
    try:
        with FeedServer(database, feed_port, run_settings().lock_wait) as feed_server:
            announce(f"Atom feed of flags: {feed_server.url}")
            serve_flows(database, seconds, port, announce)
    except ServeFailed as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc
    except KeyboardInterrupt:
        pass
    finally:
        stop_descendants()
    err.print("stopped")


def _interrupt(signum, frame) -> None:
    """SIGTERM stops `serve` the way Ctrl-C does."""
    raise KeyboardInterrupt


# Sources and discovery (issue 13) live in their own module.
from factwatch.cli.sources import register as _register_sources  # noqa: E402

_register_sources(app)


def main() -> None:
    """Entry point of the `factwatch` console script (see factwatch.cli.launcher)."""
    from factwatch.cli.launcher import main as launch

    launch()


if __name__ == "__main__":
    main()
