"""factwatch's settings: one typed object, built from the environment and CLI options when a run starts.

Nothing reads FACTWATCH_* variables at import time. A flow, the CLI or a
benchmark calls `load_settings()` once and passes the result down, so a
long-lived worker sees today's values and a bad value is one clear error.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from typing import Any


class SettingsError(ValueError):
    """A FACTWATCH_* variable (or option) has a value factwatch cannot use."""


def _bool(text: str) -> bool:
    value = text.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("", "0", "false", "no", "off"):
        return False
    raise ValueError("use 1 or 0")


def _positive_float(text: str) -> float:
    value = float(text)
    if value < 0 or value != value:
        raise ValueError("must be a number >= 0")
    return value


def _count(text: str) -> int:
    value = int(text.strip() or "0")
    if value < 0:
        raise ValueError("must be a whole number >= 0")
    return value


def _delays(text: str) -> tuple[float, ...]:
    values = tuple(_positive_float(part) for part in text.split(",") if part.strip())
    if not values:
        raise ValueError("give one or more seconds, comma-separated")
    return values


def _api_kind(text: str) -> str:
    value = text.strip().lower()
    if value not in ("factwatch", "prefect"):
        raise ValueError("must be factwatch or prefect")
    return value


def _runner(text: str) -> str:
    value = text.strip().lower()
    if value not in ("local", "dask"):
        raise ValueError("must be local or dask")
    return value


_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def _duration(text: str) -> float:
    value = text.strip().lower()
    unit = _UNIT_SECONDS.get(value[-1:]) if value else None
    seconds = _positive_float(value[:-1] if unit else value) * (unit or 1)
    if not seconds:
        raise ValueError("give a duration like 90s, 30m, 12h or 2d")
    return seconds


@dataclass(frozen=True, slots=True)
class Setting:
    """One documented setting: its field, environment variable, default and meaning."""

    field: str
    variable: str
    default: str
    parse: Callable[[str], Any]
    meaning: str


# The README's settings table is generated from (and tested against) this list.
SETTINGS: tuple[Setting, ...] = (
    Setting("db", "FACTWATCH_DB", "factwatch.duckdb", str, "the database file"),
    Setting("allow_private_networks", "FACTWATCH_ALLOW_PRIVATE_NETWORKS", "0", _bool,
            "allow loopback and private addresses (`1` to allow)"),
    Setting("timeout", "FACTWATCH_TIMEOUT", "20", _positive_float, "seconds to wait for a server's answer"),
    Setting("host_delay", "FACTWATCH_HOST_DELAY", "1", _positive_float,
            "seconds between requests to one host (robots.txt `Crawl-delay` raises it)"),
    Setting("workers", "FACTWATCH_WORKERS", "0", _count, "extraction processes (`0`: one per core)"),
    Setting("fetch_threads", "FACTWATCH_FETCH_THREADS", "8", _count, "concurrent HTTP requests"),
    Setting("batch_size", "FACTWATCH_BATCH_SIZE", "0", _count,
            "pages per task (`0`: sized to the run, about eight batches of 32 to 256 pages)"),
    Setting("retries", "FACTWATCH_RETRIES", "2", _count, "retries of transient failures"),
    Setting("retry_delays", "FACTWATCH_RETRY_DELAYS", "5,30", _delays, "seconds between those retries"),
    Setting("max_retry_after", "FACTWATCH_MAX_RETRY_AFTER", "120", _positive_float,
            "longest `Retry-After` honoured, in seconds"),
    Setting("lock_wait", "FACTWATCH_LOCK_WAIT", "120", _positive_float,
            "seconds to wait while another run holds the database"),
    Setting("task_runner", "FACTWATCH_TASK_RUNNER", "local", _runner,
            "`dask` runs batches on a Dask cluster (see Scaling out)"),
    Setting("dask_address", "FACTWATCH_DASK_ADDRESS", "", str, "the Dask scheduler, e.g. `tcp://scheduler:8786`"),
    Setting("api_startup_timeout", "FACTWATCH_API_STARTUP_TIMEOUT", "60", _positive_float,
            "seconds to wait for Prefect's temporary API to start"),
    Setting("prefect_ephemeral", "FACTWATCH_PREFECT_EPHEMERAL", "factwatch", _api_kind,
            "with no `PREFECT_API_URL`: `factwatch` starts its own temporary API early, `prefect` leaves it to Prefect"),
    Setting("discover_max_new", "FACTWATCH_DISCOVER_MAX_NEW", "20", _count,
            "new watches one source may add per `discover` run (the rest wait for the next run)"),
    Setting("discover_max_age", "FACTWATCH_DISCOVER_MAX_AGE", "2d", _duration,
            "`discover` skips items published longer ago than this (`90m`, `12h`, `2d`)"),
    Setting("discover_every", "FACTWATCH_DISCOVER_EVERY", "10m", _duration,
            "how often `discover` reads a source with no `--every` of its own (a run skips sources not yet due)"),
)


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a run needs to know, fixed when it starts."""

    db: str = "factwatch.duckdb"
    allow_private_networks: bool = False
    timeout: float = 20.0
    host_delay: float = 1.0
    workers: int = 0
    fetch_threads: int = 8
    batch_size: int = 0
    retries: int = 2
    retry_delays: tuple[float, ...] = (5.0, 30.0)
    max_retry_after: float = 120.0
    lock_wait: float = 120.0
    task_runner: str = "local"
    dask_address: str = ""
    api_startup_timeout: float = 60.0
    prefect_ephemeral: str = "factwatch"
    discover_max_new: int = 20
    discover_max_age: float = 172800.0
    discover_every: float = 600.0

    @property
    def extraction_workers(self) -> int:
        """How many extraction processes: the setting, else one per core."""
        return self.workers or os.cpu_count() or 1

    def with_options(self, **options: Any) -> Settings:
        """These settings with CLI or flow options applied; None means 'not given'."""
        return replace(self, **{k: v for k, v in options.items() if v is not None})


def load_settings(env: Mapping[str, str] | None = None, **options: Any) -> Settings:
    """Settings from FACTWATCH_* variables, then explicit options (None = not given)."""
    env = os.environ if env is None else env
    values = {}
    for setting in SETTINGS:
        raw = env.get(setting.variable)
        if raw is None or not raw.strip():
            raw = setting.default
        try:
            values[setting.field] = setting.parse(raw)
        except ValueError as exc:
            raise SettingsError(f"{setting.variable}={raw!r} is not valid: {exc}") from None
    known = {f.name for f in fields(Settings)}
    unknown = set(options) - known
    if unknown:
        raise TypeError(f"unknown settings: {sorted(unknown)}")
    return Settings(**values).with_options(**options)


def settings_table() -> str:
    """The README's settings table, in Markdown."""
    lines = ["| variable | default | meaning |", "|---|---|---|"]
    lines += [f"| `{s.variable}` | `{s.default}` | {s.meaning} |" for s in SETTINGS]
    return "\n".join(lines)
