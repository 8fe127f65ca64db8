"""`factwatch demo`: replay the bundled story through the real flow on a loopback server."""

from __future__ import annotations

from rich.console import Console

from factwatch.cli.output import print_flags
from factwatch.cli.storyserver import StoryServer, demo_story_versions
from factwatch.cli.support import usage_error
from factwatch.storage import connect
from factwatch.storage.demo import NotADemoDatabase, mark_demo_database, remove_demo_database
from factwatch.storage.queries import change_rows

DEMO_QUERY = """SELECT DISTINCT version_no, qualifier, value
FROM casualty_timeline WHERE outcome = 'killed'
ORDER BY version_no"""


def run_demo(console: Console, db: str) -> None:
    """Serve four versions of a developing story and check it after each one (in a fresh demo database)."""
    from factwatch.flows.check import check_articles

    try:
        remove_demo_database(db)
    except NotADemoDatabase as exc:
        usage_error(str(exc))
    with connect(db) as con:
        mark_demo_database(con)
    with StoryServer({"/world/ferry-capsizes": demo_story_versions()}) as server:
        url = server.url("/world/ferry-capsizes")
        for step in range(4):
            server.set_version("/world/ferry-capsizes", step)
            summary = check_articles([url], db, timeout=10, allow_private_networks=True, host_delay=0)  # loopback
            outcome = ", ".join(f"{k} {v}" for k, v in summary.outcomes.items())
            console.print(f"[bold]version {step + 1}[/bold] served → {outcome}; {len(summary.flags)} flags")
    with connect(db, read_only=True) as con:
        rows = change_rows(con)
        timeline = con.execute(DEMO_QUERY).fetchall()
    console.rule("factwatch changes")
    print_flags(console, list(reversed(rows)))
    console.rule("DuckDB: casualty_timeline for the lead toll")
    console.print(DEMO_QUERY, style="dim", highlight=False)
    for version_no, qualifier, value in timeline:
        console.print(f"  version {version_no}: {qualifier} {value}", highlight=False)
    console.print(f"\nThe demo database is {db}; try: factwatch changes --db {db}")
