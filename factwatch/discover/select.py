"""Pure: from the links one source offered to decisions (watch, known, too old, undated, rejected).

Each URL is decided once per source; `decided` holds what earlier runs
decided, so a second run over an unchanged feed adds and records nothing.
New articles are taken newest first, up to the source's cap; the rest are
left undecided and come up again on the next run.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from factwatch.discover.model import Decision, Found, Link, Selection, SourcePolicy
from factwatch.discover.urls import judge_link, looks_like_article


class BadPattern(ValueError):
    """An --include or --exclude pattern is not a regular expression Python can compile."""


def check_pattern(option: str, pattern: str | None) -> str | None:
    """The pattern unchanged when it compiles (None stays None); BadPattern in plain words otherwise."""
    if pattern is None:
        return None
    try:
        re.compile(pattern)
    except re.error as exc:
        raise BadPattern(f"{option} {pattern!r} is not a valid regular expression ({exc})") from None
    return pattern


def filter_problem(url: str, include: str | None, exclude: str | None) -> str | None:
    """Why the source's own URL filters refuse `url` (None when they let it through)."""
    if include and not re.search(include, url):
        return f"does not match --include {include!r}"
    if exclude and re.search(exclude, url):
        return f"matches --exclude {exclude!r}"
    return None


def source_is_due(last_read_at: datetime | None, every_seconds: float, now: datetime) -> bool:
    """Whether a source read at `last_read_at` is due again at `now` (never read: due).

    A little slack (a tenth of the cadence, at most a minute) keeps a 10-minute
    source due on every tick of a 10-minute schedule, though each read lands a
    few seconds after its tick.
    """
    if last_read_at is None:
        return True
    slack = min(60.0, every_seconds / 10)
    return (now - last_read_at).total_seconds() + slack >= every_seconds


def judge_found(policy: SourcePolicy, links: Sequence[Link], found_in: str) -> list[Found]:
    """Each link of one document with its normalised URL, or the reason it may not be watched."""
    judged = []
    for link in links:
        url, problem = judge_link(link.url, policy.allow_hosts, policy.allow_private)
        judged.append(Found(link, found_in, url, problem))
    return judged

_SITEMAP_KINDS = ("sitemap", "news_sitemap")


def _age_words(seconds: float) -> str:
    hours = seconds / 3600
    return f"{hours / 24:g} days" if hours >= 48 and hours % 24 == 0 else f"{hours:g} h"


def select_links(policy: SourcePolicy, found: Sequence[Found], kinds: dict[str, str], now: datetime,
                 decided: Collection[str], known: Collection[str]) -> Selection:
    """Decide about each link of one source's reading.

    `kinds` maps each document URL to its kind (links from section pages must
    look like articles; sitemap entries must carry a date), `decided` are the
    URLs this source decided before, `known` the URLs already watched or checked.
    """
    oldest = now - timedelta(seconds=policy.max_age_seconds)
    decisions: list[Decision] = []
    fresh: dict[str, Decision] = {}
    seen: set[str] = set()
    skipped = 0
    for item in found:
        link, url, problem = item.link, item.url, item.problem
        if url in fresh and fresh[url].published is None and link.published is not None:
            fresh[url] = replace(fresh[url], published=link.published)  # the same article, listed with a date
        if url in seen or url in decided:
            continue
        seen.add(url)
        base = dict(published=link.published, title=link.title, found_in=item.found_in)
        kind = kinds.get(item.found_in, "")
        if problem:
            decisions.append(Decision(url, "rejected", problem, **base))
        elif kind == "section" and not looks_like_article(url, item.found_in):
            skipped += 1
            seen.discard(url)  # another document of this source may list it as an article
        elif rule := filter_problem(url, policy.include, policy.exclude):
            decisions.append(Decision(url, "rejected", rule, **base))
        elif url in known:
            decisions.append(Decision(url, "known", "already watched or checked", **base))
        elif link.published is not None and link.published < oldest:
            decisions.append(Decision(url, "too_old", f"published {link.published:%Y-%m-%d %H:%M} UTC, "
                                                      f"more than {_age_words(policy.max_age_seconds)} ago", **base))
        elif link.published is None and kind in _SITEMAP_KINDS:
            decisions.append(Decision(url, "undated", "the sitemap gives no date, so its age is unknown", **base))
        else:
            fresh[url] = Decision(url, "watched", None, **base)
    # Newest first; undated links (section pages) keep their order on the page, after dated ones.
    order = sorted(enumerate(fresh.values()),
                   key=lambda pair: (pair[1].published is None, -(pair[1].published.timestamp()
                                                                   if pair[1].published else 0), pair[0]))
    chosen = [decision for _i, decision in order[:max(policy.max_new, 0)]]
    decisions += chosen
    return Selection(tuple(decisions), over_cap=len(fresh) - len(chosen), skipped=skipped,
                     watched=tuple(d.url for d in chosen))
