"""Pure: alert rules and their evaluation against a stored flag, with the one-line summary an alert shows."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from factwatch.alerts.grammar import (
    All,
    AnyChange,
    AnyOf,
    BadRule,
    ChangeOf,
    Movement,
    Not,
    SilentCorrection,
    UrlLike,
    parse_expression,
)

_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,62}")
_COUNT = re.compile(r"(\d+)(?:-(\d+))?")
# What a toll is called in a summary, by the outcome in its key (casualty:<outcome>:<group>...).
_TOLL_NAMES = {"killed": "death toll", "injured": "number injured", "missing": "number missing",
               "hostage": "number of hostages"}


@dataclass(frozen=True, slots=True)
class StoredFlag:
    """A flag as the database holds it (a row of change_flags): what rules are evaluated on."""

    url: str
    claim_type: str
    change_kind: str
    key: str
    old_value: str | None
    new_value: str | None
    old_sentence: str | None = None
    new_sentence: str | None = None
    reason: str = ""
    notice: str | None = None
    title: str | None = None
    change_id: int | None = None
    article_id: int | None = None
    detected_at: datetime | None = None
    from_version_no: int | None = None
    to_version_no: int | None = None

    @classmethod
    def from_row(cls, row: dict) -> StoredFlag:
        """A flag from a change_flags row (extra columns are ignored)."""
        return cls(**{name: row.get(name) for name in cls.__slots__ if name in row})


@dataclass(frozen=True, slots=True)
class AlertRule:
    """A named rule: an expression, optional URL pattern and source, where to notify, and a digest period."""

    name: str
    expression: str
    url_like: str | None = None
    source: str | None = None
    notify: str | None = None
    digest_minutes: int | None = None


def check_name(name: str) -> str:
    """A rule name as events and Automations use it (lowercase letters, digits, - and _)."""
    if not _NAME.fullmatch(name or ""):
        raise BadRule(f"rule name {name!r} must be 1 to 63 lowercase letters, digits, '-' or '_', "
                      "starting with a letter or digit")
    return name


def parse_rule(name: str, expression: str, url_like: str | None = None, source: str | None = None,
               notify: str | None = None, digest_minutes: int | None = None) -> AlertRule:
    """A validated rule; BadRule says what is wrong (with the column, for the expression)."""
    parse_expression(expression)
    if digest_minutes is not None and digest_minutes < 1:
        raise BadRule("a digest period must be at least 1 minute")
    if source is not None and not source.strip():
        raise BadRule("--source must name a site, such as example.org")
    return AlertRule(check_name(name), expression.strip(), url_like or None, (source or "").strip().lower() or None,
                     notify or None, digest_minutes)


def count_of(value: str | None) -> float | None:
    """A stored casualty value as one number: the count, or the middle of a range ("2-6" is 4)."""
    match = _COUNT.fullmatch((value or "").strip())
    if not match:
        return None
    low = float(match.group(1))
    return (low + float(match.group(2))) / 2 if match.group(2) else low


def movement(flag: StoredFlag) -> tuple[float, float] | None:
    """(change, percent change) of a casualty figure from its old to its new value; None if either is missing."""
    if flag.claim_type != "casualty":
        return None
    old, new = count_of(flag.old_value), count_of(flag.new_value)
    if old is None or new is None:
        return None
    delta = new - old
    percent = (delta / old * 100) if old else (float("inf") if delta else 0.0)
    return delta, percent


def like(pattern: str, text: str) -> bool:
    """SQL LIKE, case-sensitive: % is any run of characters, _ is one character."""
    regex = "".join(".*" if ch == "%" else "." if ch == "_" else re.escape(ch) for ch in pattern)
    return re.fullmatch(regex, text, flags=re.S) is not None


def from_source(source: str, url: str) -> bool:
    """Whether the article is on the site: its host or a subdomain of it."""
    host = (urlsplit(url).hostname or "").lower()
    return host == source or host.endswith("." + source)


def _holds(test, flag: StoredFlag) -> bool:
    if isinstance(test, AnyChange):
        return True
    if isinstance(test, SilentCorrection):
        return flag.change_kind == "correction" and not flag.notice
    if isinstance(test, UrlLike):
        return like(test.pattern, flag.url)
    if isinstance(test, ChangeOf):
        return ((test.claim_type is None or flag.claim_type == test.claim_type)
                and (test.change_kind is None or flag.change_kind == test.change_kind))
    if isinstance(test, Movement):
        return _moved(test, flag)
    if isinstance(test, Not):
        return not _holds(test.test, flag)
    if isinstance(test, All):
        return all(_holds(t, flag) for t in test.tests)
    if isinstance(test, AnyOf):
        return any(_holds(t, flag) for t in test.tests)
    raise TypeError(f"not a rule test: {test!r}")


def _moved(test: Movement, flag: StoredFlag) -> bool:
    moved = movement(flag)
    if moved is None:
        return False
    delta, percent = moved
    if test.direction == "rises" and delta <= 0 or test.direction == "falls" and delta >= 0 or not delta:
        return False
    if test.amount is None:
        return True
    return abs(percent if test.percent else delta) >= test.amount


def rule_matches(rule: AlertRule, flag: StoredFlag) -> bool:
    """Whether a stored flag matches the rule: its expression, URL pattern and source."""
    if rule.url_like and not like(rule.url_like, flag.url):
        return False
    if rule.source and not from_source(rule.source, flag.url):
        return False
    return _holds(parse_expression(rule.expression), flag)


def _toll_name(key: str) -> str:
    parts = key.split(":")
    outcome = parts[1] if len(parts) > 1 else ""
    name = _TOLL_NAMES.get(outcome, f"{outcome} count" if outcome else "casualty count")
    group = parts[2] if len(parts) > 2 else ""
    return name if group in ("", "people", "person") else f"{name} among {group}"


def summary(flag: StoredFlag) -> str:
    """What changed, in one line: "death toll at example.org rose from 13 to 17 (+31%)"."""
    host = urlsplit(flag.url).hostname or flag.url
    moved = movement(flag)
    if moved and moved[0]:
        delta, percent = moved
        verb = "rose" if delta > 0 else "fell"
        share = "new" if percent == float("inf") else f"{percent:+.0f}%"
        return f"{_toll_name(flag.key)} at {host} {verb} from {flag.old_value} to {flag.new_value} ({share})"
    what = {"correction_notice": "correction notice"}.get(flag.claim_type, flag.claim_type)
    if flag.claim_type == "correction_notice" and flag.change_kind == "added":
        return f"correction notice added at {host}: {flag.new_value}"
    silent = " (no correction notice)" if flag.change_kind == "correction" and not flag.notice else ""
    return f"{what} {flag.change_kind} at {host}: {flag.reason or f'{flag.old_value} → {flag.new_value}'}{silent}"


def signature(flag: StoredFlag) -> str:
    """What one alert is about: the article, the claim and the value it arrived at.

    A flip-flop (13 → 17 → 13 → 17) reaches a value already alerted on, so it has
    the same signature and never alerts twice; a re-run of the same data stores no
    new flag at all.
    """
    return f"{flag.article_id if flag.article_id is not None else flag.url}|{flag.key}|{flag.new_value or ''}"
