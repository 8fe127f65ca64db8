"""Classify one aligned pair of claims as an update, a correction, or no change."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from factwatch.changes.text import claim_context_similarity, fold, fold_key, name_similarity, tokens, words_contain
from factwatch.changes.values import parse_count, parse_span
from factwatch.claims.model import Claim

_OUTCOME_LABELS = {
    "killed": "death toll", "dead": "death toll", "died": "death toll", "deaths": "death toll",
    "death toll": "death toll", "fatalities": "death toll",
    "injured": "number injured", "wounded": "number wounded", "hurt": "number hurt",
    "missing": "number missing", "hostage": "number taken hostage", "taken hostage": "number taken hostage",
    "kidnapped": "number kidnapped", "abducted": "number abducted",
}
_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)
# A spelling fix keeps most letters; two different people rarely share this much.
NAME_CORRECTION_SIMILARITY = 0.82


@dataclass(frozen=True, slots=True)
class Verdict:
    """How one aligned pair changed: kind, confidence in [0, 1], reason in plain words."""

    kind: str
    confidence: float
    reason: str
    old_value: str
    new_value: str


def fact_of(claim: Claim) -> tuple[str, ...]:
    """Return what a claim asserts, ignoring wording: equal facts never raise a flag."""
    if claim.claim_type == "casualty":
        return (fold_key(claim.value).replace(" ", ""), fold_key(claim.qualifier))
    if claim.claim_type == "person":
        return (fold_key(claim.value), fold_key(claim.attr("role")))
    if claim.claim_type == "correction_notice":
        return (" ".join(tokens(claim.value)),)
    return (fold_key(claim.value),)


def describe_count(claim: Claim) -> str:
    """Return a casualty figure as a reader would say it ("at least 13")."""
    return fold(f"{claim.qualifier} {claim.value}")


def casualty_label(claim: Claim) -> str:
    """Return the plain name of a toll ("death toll", "number injured among soldiers")."""
    outcome = fold_key(claim.attr("outcome"))
    label = _OUTCOME_LABELS.get(outcome, f"{outcome} count" if outcome else "casualty count")
    group = fold(claim.attr("group"))
    if group and fold_key(group) not in ("people", "person"):
        label = f"{label} among {group}"
    return label


def classify_casualty(old: Claim, new: Claim) -> Verdict | None:
    """Classify a change of a casualty figure: rise or precision = update, fall = correction."""
    if fact_of(old) == fact_of(new):
        return None
    label, before, after = casualty_label(new), describe_count(old), describe_count(new)
    was, now = parse_count(old.value, old.qualifier), parse_count(new.value, new.qualifier)
    if was is None or now is None:
        return Verdict("update", 0.5, f"{label} changed from {before} to {after}", old.value, new.value)
    # Inside a bounded range ("between two and six" -> 5) is precision; above a floor is a rise.
    if was.contains(now) and (was.high != math.inf or now.point <= was.point):
        reason = f"{label} given more precisely: {before} became {after}"
        return Verdict("update", 0.8, reason, old.value, new.value)
    if now.point > was.point:
        return Verdict("update", 0.9, f"{label} rose from {before} to {after}", old.value, new.value)
    if now.point == was.point:
        reason = f"{label} qualifier changed: {before} became {after}"
        return Verdict("update", 0.6, reason, old.value, new.value)
    reason = f"{label} revised down from {before} to {after}"
    return Verdict("correction", 0.85, reason, old.value, new.value)


def classify_date(old: Claim, new: Claim) -> Verdict | None:
    """Classify a change of date: narrowed inside the old period = update, moved = correction."""
    if fact_of(old) == fact_of(new):
        return None
    if fold_key(old.text) == fold_key(new.text) and fold_key(old.sentence) == fold_key(new.sentence):
        return None  # same words resolved against another dateline: the article did not change
    before, after = f"{fold(old.text)} ({old.value})", f"{fold(new.text)} ({new.value})"
    was, now = parse_span(old.value), parse_span(new.value)
    if was is not None and now is not None:
        if was.contains(now):
            return Verdict("update", 0.85, f"date made precise: {before} became {after}", old.value, new.value)
        if now.contains(was):
            reason = f"date loosened: {before} became {after}, withdrawing the exact date"
            return Verdict("correction", 0.6, reason, old.value, new.value)
    return Verdict("correction", 0.8, f"date changed from {before} to {after}", old.value, new.value)


def plain_role(claim: Claim) -> str:
    """Return a person's role without a leading article ("the provincial prosecutor" -> "provincial prosecutor")."""
    return _ARTICLE.sub("", fold(claim.attr("role")))


def _roles_differ(old_role: str, new_role: str) -> bool:
    if not old_role or not new_role:
        return False  # a role merely stated or dropped is wording, not a changed fact
    if words_contain(old_role, new_role) or words_contain(new_role, old_role):
        return False  # "secretary of state" vs "US secretary of state"
    return name_similarity(old_role, new_role) < 0.85


def classify_person(old: Claim, new: Claim) -> Verdict | None:
    """Classify a change to a person: respelled name or changed role = correction."""
    old_name, new_name = fold(old.value), fold(new.value)
    old_role, new_role = plain_role(old), plain_role(new)
    if fold_key(old_name) != fold_key(new_name):
        if words_contain(old_name, new_name):
            return None  # the fuller name was simply not repeated
        if words_contain(new_name, old_name):
            reason = f"name given in full: {old_name} is now {new_name}"
            return Verdict("update", 0.7, reason, old.value, new.value)
        reason = f"name corrected from {old_name} to {new_name}"
        if _roles_differ(old_role, new_role):
            reason += f" (role changed from {old_role} to {new_role})"
        confidence = 0.9 if name_similarity(old_name, new_name) >= NAME_CORRECTION_SIMILARITY else 0.7
        return Verdict("correction", confidence, reason, old.value, new.value)
    # A role is only compared where the person is mentioned in the same setting.
    if _roles_differ(old_role, new_role) and claim_context_similarity(old, new) >= 0.5:
        reason = f"role of {new_name} changed from {old_role} to {new_role}"
        return Verdict("correction", 0.75, reason, old_role, new_role)
    return None


def classify_change(old: Claim, new: Claim) -> Verdict | None:
    """Return how `old` became `new` (same fact, two versions), or None when the fact held."""
    if new.claim_type == "casualty":
        return classify_casualty(old, new)
    if new.claim_type == "person":
        return classify_person(old, new)
    if new.claim_type == "date":
        return classify_date(old, new)
    return None  # a reworded correction notice is the same notice
