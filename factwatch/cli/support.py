"""Helpers for the CLI: input validation, database opening, and the database-free claims path.

Only the CLI turns errors into user messages; these helpers raise or exit
with code 2 for usage errors.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import typer
from rich.console import Console

from factwatch.schedule import BadDuration, parse_every
from factwatch.settings import Settings, SettingsError, load_settings
from factwatch.storage import DatabaseBusy, DatabaseCorrupt, connect

_err = Console(stderr=True, soft_wrap=True)  # messages are never cut into lines: paths stay whole


def usage_error(message: str) -> None:
    """Print a usage error and exit with code 2."""
    _err.print(f"[red]error:[/red] {message}")
    raise typer.Exit(2)


def configure_prefect_defaults() -> None:
    """Quiet, local-first Prefect defaults for CLI runs (a set PREFECT_API_URL still wins)."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


def run_settings(**options) -> Settings:
    """This command's settings: FACTWATCH_* variables, then its options; a bad value exits with 2."""
    try:
        return load_settings(**options)
    except SettingsError as exc:
        usage_error(str(exc))
    raise AssertionError("unreachable")


def resolve_db(db: str | None) -> str:
    """--db, else FACTWATCH_DB, else ./factwatch.duckdb."""
    return run_settings(db=db).db


def load_urls(urls: list[str] | None, from_file: Path | None) -> list[str]:
    """URLs from arguments and from a file with one URL per line (# starts a comment)."""
    found = list(urls or [])
    if from_file is not None:
        try:
            lines = from_file.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            usage_error(f"cannot read {from_file}: {exc.strerror or exc}")
        found += [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]
    if not found:
        usage_error("give at least one URL, or --from FILE")
    return list(dict.fromkeys(found))


def validate_urls(urls: list[str], allow_private: bool) -> list[str]:
    """Refuse bad schemes and forbidden addresses before any I/O (exit 2)."""
    from factwatch.net.fetch import FetchRefused, validate_url

    allow = allow_private or run_settings().allow_private_networks
    checked = []
    for url in urls:
        try:
            checked.append(validate_url(url, allow))
        except FetchRefused as exc:
            usage_error(f"{url}: {exc}")
    return checked


def parse_since(since: str | None) -> datetime | None:
    """Read --since as a day (YYYY-MM-DD, from its midnight UTC) or an age (90m, 12h, 1d, 2w: that long ago)."""
    if since is None:
        return None
    try:
        day = date.fromisoformat(since)
    except ValueError:
        pass
    else:
        return datetime.combine(day, time.min, tzinfo=timezone.utc)
    try:
        return datetime.now(timezone.utc) - timedelta(seconds=parse_every(since))
    except BadDuration:
        usage_error(f"--since wants a date like 2024-01-28 or an age like 1d or 12h, not {since!r}")
    return None


@contextmanager
def open_read_only(db: str | None) -> Iterator:
    """Open the database read-only for a query, with clear messages when it cannot be."""
    path = resolve_db(db)
    if not Path(path).exists():
        usage_error(f"no factwatch database at {path} (run `factwatch check` first, or pass --db)")
    try:
        with connect(path, read_only=True, wait=run_settings().lock_wait) as con:
            yield con
    except (DatabaseBusy, DatabaseCorrupt) as exc:
        _err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc


def claims_for_source(source: str, timeout: float, allow_private: bool) -> dict:
    """Claims of one URL or local HTML file, as the JSON record `factwatch claims` prints."""
    from factwatch.extract.article import NoArticle
    from factwatch.net.fetch import Fetcher, FetchError, FetchSettings, decode_body
    from factwatch.runtime.pipeline import extract_page

    fetched_at = datetime.now(timezone.utc)
    if source.startswith(("http://", "https://")):
        allow = allow_private or run_settings().allow_private_networks
        try:
            result = Fetcher(FetchSettings(timeout=timeout, allow_private_networks=allow, host_delay=0)).fetch(source)
        except FetchError as exc:
            raise ValueError(str(exc)) from exc
        html, url = result.html or "", result.final_url
    else:
        path = Path(source)
        if not path.is_file():
            raise ValueError("no such file (give an http(s) URL or a local HTML file)")
        html, _encoding = decode_body(path.read_bytes(), None)
        url = None
    try:
        page = extract_page(html, url or "", fetched_at)
    except NoArticle as exc:
        raise ValueError(str(exc)) from exc
    return {"source": source, "title": page.title, "published": page.published,
            "claims": [claim.to_dict() for claim in page.claims]}


def watch_add_url(db: str, url: str, every: str | None) -> bool:
    """Add or update a watch; exit 2 on an unreadable cadence."""
    from factwatch.schedule import BadDuration, parse_every
    from factwatch.storage import repo

    try:
        seconds = parse_every(every) if every else None
    except BadDuration as exc:
        usage_error(str(exc))
    with connect(db, wait=run_settings().lock_wait) as con:
        return repo.add_watch(con, url, seconds, datetime.now(timezone.utc))


def watch_remove_url(db: str, url: str) -> bool:
    """Remove a watch; True when it existed."""
    from factwatch.storage import repo

    with connect(db, wait=run_settings().lock_wait) as con:
        return repo.remove_watch(con, url)


def watch_rows(db: str) -> list[dict]:
    """Watches with their cadence, last check and whether they are due now."""
    from factwatch.schedule import check_interval, is_due
    from factwatch.storage.watchlist import watch_timings

    now = datetime.now(timezone.utc)
    if not Path(db).exists():
        return []
    with connect(db, read_only=True, wait=run_settings().lock_wait) as con:
        timings = watch_timings(con)
    rows = []
    for t in timings:
        interval = check_interval(t, now)
        rows.append({"url": t.url, "cadence": "fixed" if t.every_seconds else "adaptive",
                     "interval": str(interval) if interval else "stopped (older than 30 days)",
                     "last_checked": t.last_checked_at, "due": is_due(t, now)})
    return rows
