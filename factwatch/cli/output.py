"""How the CLI shows things: rich tables on a terminal, plain lines otherwise."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text



@contextmanager
def progress_hook(console: Console, total: int) -> Iterator:
    """A callback advancing a progress bar on a terminal; a no-op when piped."""
    if not console.is_terminal or total < 2:
        yield lambda n: None
        return
    columns = (TextColumn("checking"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task_id = progress.add_task("check", total=total)
        yield lambda n: progress.advance(task_id, n)


def print_summary(console: Console, summary) -> None:
    """Print a run's outcome counts, its flags and its failures."""
    from factwatch.storage.writer import OUTCOMES

    flags = summary.flags
    counts = ", ".join(f"{o} {summary.outcomes.get(o, 0)}" for o in OUTCOMES if summary.outcomes.get(o))
    console.print(f"checked {summary.checked} URL{'s' if summary.checked != 1 else ''}: {counts or 'nothing'}")
    if flags:
        console.print(f"{len(flags)} new flag{'s' if len(flags) != 1 else ''}:")
        for row in flags:
            console.print(f"  [{row['kind']}] {row['claim']}: {row['change']} — {row['reason']}", highlight=False)
            console.print(f"      {row['url']}", highlight=False, style="dim")
            console.print(f"      evidence: {row['evidence']}", highlight=False, style="dim")
    else:
        console.print("no new flags")
    for url, reason in summary.errors:
        console.print(f"  failed: {url}: {reason}", highlight=False, style="red")


def print_claims(console: Console, record: dict) -> None:
    """Print one source's claims as a table."""
    table = Table(title=f"{record['source']} — {record['title']} ({record['published'] or 'no date'})")
    for name in ("type", "value", "qualifier", "text", "key"):
        table.add_column(name, overflow="fold")
    for claim in record["claims"]:
        table.add_row(claim["claim_type"], claim["value"], claim["qualifier"], claim["text"], claim["key"])
    console.print(table)


def _flags_text(rows: list[dict]) -> Text:
    """All flags as one styled text: old -> new, where and when, and the sentences as evidence."""
    out = Text()
    for row in rows:
        out.append(row["change_kind"], style="bold")
        out.append(f" {row['claim_type']}: {row['old_value'] or '—'} → {row['new_value'] or '—'}  ({row['reason']})\n")
        out.append(f"  {row['url']}  version {row['from_version_no']}→{row['to_version_no']}  "
                   f"{row['detected_at']:%Y-%m-%d %H:%M}\n", style="dim")
        if row["old_sentence"]:
            out.append(f"  before: {row['old_sentence']}\n")
        if row["new_sentence"]:
            out.append(f"  after:  {row['new_sentence']}\n")
        if row.get("notice") and row["claim_type"] != "correction_notice":
            out.append(f"  notice: {row['notice']}\n", style="italic")
    return out


def print_flags(console: Console, rows: list[dict]) -> None:
    """Print flags with old -> new and the sentences as evidence.

    Rendered as one text, not a print per line: a day of a large watchlist is thousands of
    flags, and rich took seconds over them. Piped, the lines go out plain (no styles, no wrapping).
    """
    if not rows:
        console.print("no flags")
        return
    text = _flags_text(rows)
    if console.is_terminal:
        console.print(text, soft_wrap=True, end="")
    else:
        console.file.write(text.plain)


def print_history(console: Console, url: str, versions: list[dict], timeline: list[dict]) -> None:
    """Print an article's versions and each claim's values across them."""
    table = Table(title=f"Versions of {url}")
    for name in ("v", "fetched_at", "title", "claims", "flags", "hash"):
        table.add_column(name, overflow="fold")
    for v in versions:
        table.add_row(str(v["version_no"]), f"{v['fetched_at']:%Y-%m-%d %H:%M:%S}", v["title"] or "",
                      str(v["claims"]), str(v["flags"]), v["hash"])
    console.print(table)
    by_key: dict[tuple, dict[int, str]] = {}
    for row in timeline:
        shown = f"{row['qualifier']} {row['value']}".strip()
        by_key.setdefault((row["claim_type"], row["key"]), {})[row["version_no"]] = shown
    claims = Table(title="Claims across versions")
    claims.add_column("claim", overflow="fold")
    for v in versions:
        claims.add_column(f"v{v['version_no']}", overflow="fold")
    for (claim_type, key), values in by_key.items():
        claims.add_row(key, *(values.get(v["version_no"], "—") for v in versions))
    console.print(claims)


def print_watches(console: Console, rows: list[dict]) -> None:
    """Print the watchlist."""
    if not rows:
        console.print("the watchlist is empty (add one with `factwatch watch add URL`)")
        return
    table = Table(title="Watchlist")
    for name in ("url", "cadence", "interval", "last checked", "due"):
        table.add_column(name, overflow="fold")
    for row in rows:
        table.add_row(row["url"], row["cadence"], row["interval"], str(row["last_checked"] or "never"),
                      "yes" if row["due"] else "no")
    console.print(table)
