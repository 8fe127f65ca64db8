"""`factwatch alerts` (rules on claim changes, delivered through Prefect Automations) and `factwatch feed`."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from factwatch.alerts.rules import AlertRule, BadRule, parse_rule
from factwatch.cli.support import open_read_only, resolve_db, run_settings, usage_error
from factwatch.storage import connect

alerts_app = typer.Typer(help="Rules that say which fact changes matter, and where to send them.",
                         no_args_is_help=True)
console = Console()
err = Console(stderr=True, soft_wrap=True)  # messages are never cut into lines: paths stay whole

DbOpt = Annotated[Optional[str], typer.Option("--db", help="DuckDB file (default: $FACTWATCH_DB or ./factwatch.duckdb)")]
WHEN_HELP = ("The rule, e.g. 'casualty rises by >= 20%', 'casualty falls', 'person correction', "
             "'silent correction', 'notice added', 'any' (combine with and, or, not, parentheses).")


def _say(message: str) -> None:
    err.print(message, highlight=False, soft_wrap=True)


@alerts_app.command("add")
def alerts_add(
    name: Annotated[str, typer.Argument(help="Rule name (lowercase letters, digits, - and _); events are factwatch.alert.NAME.")],
    when: Annotated[str, typer.Option("--when", help=WHEN_HELP)],
    url_like: Annotated[Optional[str], typer.Option("--url-like", help="Only articles whose URL is LIKE this (% any text, _ one character).")] = None,
    source: Annotated[Optional[str], typer.Option("--source", help="Only articles on this site (example.org and its subdomains).")] = None,
    notify: Annotated[Optional[str], typer.Option("--notify", help="A Prefect notification block as type/name, e.g. custom-webhook/newsdesk or slack-webhook/desk.")] = None,
    digest: Annotated[Optional[int], typer.Option("--digest", help="At most one notification per this many minutes, listing every match.", min=1)] = None,
    db: DbOpt = None,
) -> None:
    """Add (or replace) a rule; with --notify, create or update its Prefect Automation."""
    from factwatch.flows.alerts import AlertsUnavailable, automation_name, configured_server, delete_automation, \
        ensure_automation

    try:
        rule = parse_rule(name, when, url_like, source, notify, digest)
    except BadRule as exc:
        usage_error(f"--when {when!r}: {exc}" if "column" in str(exc) or "empty" in str(exc) else str(exc))
    server = _server_or_none(configured_server, AlertsUnavailable)
    if notify and server:
        try:  # the block must exist before the rule is saved: a typo is a usage error, nothing changes
            from factwatch.flows.alerts import notification_block_id

            notification_block_id(notify)
        except AlertsUnavailable as exc:
            usage_error(str(exc))
    with connect(resolve_db(db), wait=run_settings().lock_wait) as con:
        from factwatch.storage.alerts import save_rule

        new = save_rule(con, rule, datetime.now(timezone.utc))
    console.print(f"{'added' if new else 'updated'} rule {rule.name}: {rule.expression}", highlight=False)
    if notify and server:
        automation_id = ensure_automation(rule)
        console.print(f"Automation {automation_name(rule.name)!r} ({automation_id}) on {server} notifies {notify}"
                      + (f" at most every {digest} min" if digest else ""), highlight=False)
    elif notify:
        _say(f"[yellow]not delivered yet:[/yellow] {_no_server_reason(configured_server, AlertsUnavailable)}")
    else:
        if server and delete_automation(rule.name):
            console.print(f"removed the Automation {automation_name(rule.name)!r} (no --notify now)")
        console.print("matches are recorded in the alerts_fired view and emitted as "
                      f"factwatch.alert.{rule.name} events (add --notify BLOCK to be told)", highlight=False)


def _server_or_none(configured_server, unavailable) -> str | None:
    try:
        return configured_server()
    except unavailable:
        return None


def _no_server_reason(configured_server, unavailable) -> str:
    try:
        configured_server()
    except unavailable as exc:
        return str(exc)
    return ""


@alerts_app.command("list")
def alerts_list(db: DbOpt = None) -> None:
    """List the rules with how often each matched."""
    from factwatch.storage.alerts import rule_rows

    if not Path(resolve_db(db)).exists():
        rows = []
    else:
        with open_read_only(db) as con:
            rows = rule_rows(con)
    if not rows:
        console.print("no alert rules (add one with `factwatch alerts add NAME --when 'casualty rises by >= 20%'`)")
        return
    for r in rows:  # one line a rule: expressions stay whole and greppable
        parts = [f"{r['name']}: {r['expression']}"]
        parts += [f"url like {r['url_like']}"] if r["url_like"] else []
        parts += [f"source {r['source']}"] if r["source"] else []
        parts += [f"notify {r['notify']}" if r["notify"] else "events only"]
        parts += [f"digest every {r['digest_minutes']} min"] if r["digest_minutes"] else []
        last = f", last {r['last_match']:%Y-%m-%d %H:%M}" if r["last_match"] else ""
        console.print(" | ".join(parts) + f" | {r['matches']} match{'es' if r['matches'] != 1 else ''}{last}",
                      highlight=False, soft_wrap=True)


@alerts_app.command("remove")
def alerts_remove(name: Annotated[str, typer.Argument(help="The rule to remove.")], db: DbOpt = None) -> None:
    """Remove a rule and its Automation; its past matches stay in alerts_fired."""
    from factwatch.flows.alerts import AlertsUnavailable, automation_name, configured_server, delete_automation
    from factwatch.storage.alerts import remove_rule

    with connect(resolve_db(db), wait=run_settings().lock_wait) as con:
        removed = remove_rule(con, name)
    server = _server_or_none(configured_server, AlertsUnavailable)
    dropped = bool(server) and delete_automation(name)
    if not removed and not dropped:
        usage_error(f"there is no alert rule {name!r} (see `factwatch alerts list`)")
    console.print(f"removed rule {name}" + (f" and the Automation {automation_name(name)!r}" if dropped else ""))


@alerts_app.command("test")
def alerts_test(name: Annotated[str, typer.Argument(help="The rule to test.")], db: DbOpt = None) -> None:
    """Send a sample alert for the rule through the real path: event → Automation → notification block."""
    from factwatch.flows.alerts import AlertsUnavailable, automation_name, configured_server, send_test_alert

    rule = _stored_rule(db, name)
    try:
        server = configured_server()
    except AlertsUnavailable as exc:
        _say(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc
    event = send_test_alert(rule)
    where = f"the Automation {automation_name(name)!r} notifies {rule.notify}" if rule.notify else \
        "the rule has no --notify block, so no Automation delivers it"
    console.print(f"sent a sample {event} event to {server}; {where}", highlight=False)


def _stored_rule(db: str | None, name: str) -> AlertRule:
    from factwatch.storage.alerts import load_rules

    path = resolve_db(db)
    rules = []
    if Path(path).exists():
        with open_read_only(db) as con:
            rules = load_rules(con, name)
    if not rules:
        usage_error(f"there is no alert rule {name!r} (see `factwatch alerts list`)")
    return rules[0]


def feed(
    out: Annotated[Path, typer.Option("--out", help="Where to write the Atom feed (e.g. flags.atom); - for stdout.")],
    url_like: Annotated[Optional[str], typer.Option("--url-like", help="Only articles whose URL is LIKE this.")] = None,
    since: Annotated[Optional[str], typer.Option("--since", help="Only flags detected on or after DATE (YYYY-MM-DD) or within an age (12h, 1d, 2w).")] = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many entries, newest first.", min=1)] = 500,
    db: DbOpt = None,
) -> None:
    """Write an Atom feed of flags: one entry per flag, with an id that stays the same on every run."""
    from factwatch.alerts.feed import atom_feed
    from factwatch.cli.support import parse_since
    from factwatch.storage.alerts import feed_rows

    since_at = parse_since(since)
    with open_read_only(db) as con:
        rows = feed_rows(con, url_like, since_at, limit)
    document = atom_feed(rows)
    if str(out) == "-":
        typer.echo(document, nl=False)
        return
    try:
        out.write_text(document, encoding="utf-8")
    except OSError as exc:
        usage_error(f"cannot write {out}: {exc.strerror or exc}")
    err.print(f"wrote {len(rows)} flag{'s' if len(rows) != 1 else ''} to {out}", highlight=False)
