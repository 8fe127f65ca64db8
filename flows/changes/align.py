"""Align one version's claims with the previous version's: by key, then by sentence."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flows.changes.classify import NAME_CORRECTION_SIMILARITY, fact_of
from flows.changes.text import claim_context_similarity, fold_key, name_similarity, words_contain
from flows.changes.values import parse_count, parse_span
from flows.claims.model import Claim

# Below these, two claims whose keys differ are treated as different facts.
MOVED_CASUALTY_CONTEXT = 0.5
MOVED_DATE_CONTEXT = 0.55
SAME_NOTICE_SIMILARITY = 0.75


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


def _align_same_key(olds: list[Claim], news: list[Claim]) -> list[Pair]:
    """Pair the facts of one key; restatements of an unchanged fact pair with themselves."""
    old_facts = {fact_of(c) for c in olds}
    new_facts = {fact_of(c) for c in news}
    superseded = [c for c in olds if fact_of(c) not in new_facts] or olds
    pairs, seen = [], set()
    for claim in sorted(news, key=lambda c: c.sentence_index):
        fact = fact_of(claim)
        if fact in seen:
            continue
        seen.add(fact)
        if fact in old_facts:
            pairs.append(Pair(_closest(claim, [c for c in olds if fact_of(c) == fact]), claim))
        else:
            pairs.append(Pair(_closest(claim, superseded), claim))
    return pairs


def _roles_compatible(old: Claim, new: Claim) -> bool:
    a, b = old.attr("role"), new.attr("role")
    return not a or not b or words_contain(a, b) or words_contain(b, a) or name_similarity(a, b) >= 0.85


def _values_overlap(old: Claim, new: Claim) -> bool:
    if old.claim_type == "date":
        a, b = parse_span(old.value), parse_span(new.value)
        return a is not None and b is not None and (a.contains(b) or b.contains(a))
    a, b = parse_count(old.value, old.qualifier), parse_count(new.value, new.qualifier)
    return a is not None and b is not None and a.low <= b.high and b.low <= a.high


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


def _first_of_each_key(groups: dict[tuple[str, str], list[Claim]], keys: Sequence) -> list[Claim]:
    return [min(groups[k], key=lambda c: c.sentence_index) for k in keys]


def align_claims(old: Sequence[Claim], new: Sequence[Claim]) -> tuple[Pair, ...]:
    """Align two versions' claims; unpaired claims come back with None on the other side."""
    old_groups, new_groups = _group(old), _group(new)
    pairs: list[Pair] = []
    for identity, news in new_groups.items():
        if identity in old_groups:
            pairs += _align_same_key(old_groups[identity], news)
    old_left = [k for k in old_groups if k not in new_groups]
    new_left = [k for k in new_groups if k not in old_groups]
    pairs += _align_moved(_first_of_each_key(old_groups, old_left), _first_of_each_key(new_groups, new_left))
    return tuple(pairs)
