"""Align one version's claims with the previous version's: by key, then by sentence."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from factwatch.changes.classify import NAME_CORRECTION_SIMILARITY, fact_of
from factwatch.changes.text import claim_context_similarity, fold_key, name_similarity, words_contain
from factwatch.changes.values import parse_count, parse_span
from factwatch.claims.model import Claim

# Below these, two claims whose keys differ are treated as different facts.
MOVED_CASUALTY_CONTEXT = 0.5
MOVED_DATE_CONTEXT = 0.55
SAME_NOTICE_SIMILARITY = 0.75
SAME_KEY_CONTEXT = 0.5


@dataclass(frozen=True, slots=True)
class Pair:
    """Two claims taken to be the same fact in consecutive versions; one side may be None."""

    old: Claim | None
    new: Claim | None
    method: str = "key"
    score: float = 1.0


def claim_identity(claim: Claim) -> tuple[str, str]:
    """Return the (type, folded key) a claim is aligned by first."""
    return claim.claim_type, fold_key(claim.key)


def _group(claims: Sequence[Claim]) -> dict[tuple[str, str], list[Claim]]:
    groups: dict[tuple[str, str], list[Claim]] = {}
    for claim in claims:
        groups.setdefault(claim_identity(claim), []).append(claim)
    return groups


def _closest(target: Claim, candidates: Sequence[Claim]) -> Claim:
    return max(candidates, key=lambda c: (claim_context_similarity(c, target), -c.sentence_index))


def _first_per_fact(claims: Sequence[Claim]) -> list[Claim]:
    firsts: dict[tuple[str, ...], Claim] = {}
    for claim in sorted(claims, key=lambda c: c.sentence_index):
        firsts.setdefault(fact_of(claim), claim)
    return list(firsts.values())


def _replaced(olds: list[Claim], news: list[Claim]) -> list[Claim]:
    """Return the old mentions whose fact is not restated in the same setting in the new version."""
    return [
        o for o in olds
        if not any(fact_of(n) == fact_of(o) and claim_context_similarity(o, n) >= SAME_KEY_CONTEXT for n in news)
    ]


def _align_same_key(olds: list[Claim], news: list[Claim]) -> tuple[list[Pair], list[Claim], list[Claim]]:
    """Pair the facts of one key; return the pairs and the claims left for sentence alignment."""
    old_facts, new_facts = {fact_of(c) for c in olds}, {fact_of(c) for c in news}
    pairs = [Pair(_closest(n, [o for o in olds if fact_of(o) == fact_of(n)]), n)
             for n in _first_per_fact(news) if fact_of(n) in old_facts]
    changed = [n for n in _first_per_fact(news) if fact_of(n) not in old_facts]
    candidates = _replaced(olds, news)
    # One fact on each side under a casualty or person key is the same toll or person restated.
    # Dates, and keys that carry several facts, must also share their setting to pair.
    if len(old_facts) == 1 and len(new_facts) == 1 and news[0].claim_type != "date":
        pairs += [Pair(_closest(n, olds), n) for n in changed]
        return pairs, [], []
    scored = sorted(
        ((claim_context_similarity(o, n) + _proximity(o, n), i, j) for i, o in enumerate(candidates)
         for j, n in enumerate(changed) if claim_context_similarity(o, n) >= SAME_KEY_CONTEXT),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    used_old, used_new = set(), set()
    for _, i, j in scored:
        if i not in used_old and j not in used_new:
            used_old.add(i)
            used_new.add(j)
            pairs.append(Pair(candidates[i], changed[j]))
    consumed = {fact_of(candidates[i]) for i in used_old}
    old_left = [c for c in _first_per_fact(olds) if fact_of(c) not in new_facts | consumed]
    return pairs, old_left, [n for j, n in enumerate(changed) if j not in used_new]


def _roles_compatible(old: Claim, new: Claim) -> bool:
    a, b = old.attr("role"), new.attr("role")
    return not a or not b or words_contain(a, b) or words_contain(b, a) or name_similarity(a, b) >= 0.85


def _values_overlap(old: Claim, new: Claim) -> bool:
    if old.claim_type == "date":
        a, b = parse_span(old.value), parse_span(new.value)
        return a is not None and b is not None and (a.contains(b) or b.contains(a))
    a, b = parse_count(old.value, old.qualifier), parse_count(new.value, new.qualifier)
    return a is not None and b is not None and a.low <= b.high and b.low <= a.high


def _proximity(old: Claim, new: Claim) -> float:
    """Return a small bonus for values close enough to be one fact restated."""
    if old.claim_type == "date":
        a, b = parse_span(old.value), parse_span(new.value)
        if a is None or b is None:
            return 0.0
        gap = max((b.first - a.last).days, (a.first - b.last).days, 0)
        return 0.2 if gap == 0 else 0.1 if gap <= 31 else 0.0
    return 0.1 if _values_overlap(old, new) else 0.0


def moved_key_score(old: Claim, new: Claim) -> float:
    """Return how likely two claims with different keys are one fact (0 = not at all)."""
    if old.claim_type != new.claim_type:
        return 0.0
    context = claim_context_similarity(old, new)
    if old.claim_type == "person":
        if not _roles_compatible(old, new):
            return 0.0
        names = name_similarity(old.value, new.value)
        # A respelled name keeps most letters; a weaker likeness needs the same sentence around it.
        if names >= NAME_CORRECTION_SIMILARITY or (names >= 0.7 and context >= 0.6):
            return names
        return 0.0
    if old.claim_type == "correction_notice":
        return context if context >= SAME_NOTICE_SIMILARITY else 0.0
    if old.claim_type == "casualty":
        if fold_key(old.attr("outcome")) != fold_key(new.attr("outcome")):
            return 0.0
        bonus = 0.15 if fact_of(old) == fact_of(new) else 0.0
        score = context + bonus
        return score if score >= MOVED_CASUALTY_CONTEXT else 0.0
    bonus = 0.1 if _values_overlap(old, new) else 0.0
    score = context + bonus
    return score if score >= MOVED_DATE_CONTEXT else 0.0


def _align_moved(olds: list[Claim], news: list[Claim]) -> list[Pair]:
    """Greedily pair claims whose key moved, best-scoring first, each claim at most once."""
    scored = [
        (moved_key_score(o, n), i, j) for i, o in enumerate(olds) for j, n in enumerate(news)
    ]
    pairs, used_old, used_new = [], set(), set()
    for score, i, j in sorted((s for s in scored if s[0] > 0), key=lambda s: (-s[0], s[1], s[2])):
        if i in used_old or j in used_new:
            continue
        used_old.add(i)
        used_new.add(j)
        pairs.append(Pair(olds[i], news[j], "sentence", min(score, 1.0)))
    pairs += [Pair(o, None, "", 0.0) for i, o in enumerate(olds) if i not in used_old]
    pairs += [Pair(None, n, "", 0.0) for j, n in enumerate(news) if j not in used_new]
    return pairs


def align_claims(old: Sequence[Claim], new: Sequence[Claim]) -> tuple[Pair, ...]:
    """Align two versions' claims; unpaired claims come back with None on the other side."""
    old_groups, new_groups = _group(old), _group(new)
    pairs: list[Pair] = []
    old_left: list[Claim] = []
    new_left: list[Claim] = []
    for identity, news in new_groups.items():
        if identity in old_groups:
            found, olds_unpaired, news_unpaired = _align_same_key(old_groups[identity], news)
            pairs += found
            old_left += olds_unpaired
            new_left += news_unpaired
        else:
            new_left += _first_per_fact(news)
    old_left += [c for k, olds in old_groups.items() if k not in new_groups for c in _first_per_fact(olds)]
    return tuple(pairs + _align_moved(old_left, new_left))
