"""Pure change detection: (old claims, new claims) -> changes.

Claims are aligned by key, then by sentence for keys that moved (see
`factwatch.changes.align`); each aligned pair is classified as an update, a
correction or no change (`factwatch.changes.classify`). Unpaired claims are
`added` or `removed`. A value that returns to one seen in `history` (A -> B -> A)
is flagged once, as a `correction` whose reason says it reverted, with lower
confidence; a claim that comes back after vanishing is `added` with a
"restored" reason. Imports no prefect, requests, duckdb or trafilatura.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from factwatch.changes.align import Pair, align_claims, claim_identity
from factwatch.changes.classify import Verdict, casualty_label, classify_change, describe_count, fact_of
from factwatch.changes.text import fold, tokens
from factwatch.claims.model import Claim

CHANGE_KINDS = ("update", "correction", "added", "removed")
# A revert or a restoration repeats news the reader has already had.
REVERT_CONFIDENCE = 0.6
# A key that moved is a guess, even a good one.
MOVED_KEY_DISCOUNT = 0.9


@dataclass(frozen=True, slots=True)
class Change:
    """One flagged change to a claim between two versions of an article."""

    claim_type: str
    change_kind: str
    key: str
    old_value: str | None
    new_value: str | None
    old_text: str | None
    new_text: str | None
    old_sentence: str | None
    new_sentence: str | None
    confidence: float
    reason: str
    notice: str | None = None


def _describe(claim: Claim) -> str:
    if claim.claim_type == "casualty":
        return f"{casualty_label(claim)}: {describe_count(claim)}"
    if claim.claim_type == "date":
        return f"date {fold(claim.text)} ({claim.value})"
    if claim.claim_type == "person":
        role = fold(claim.attr("role"))
        return f"{fold(claim.value)}, {role}" if role else fold(claim.value)
    return f"correction notice: {fold(claim.value)}"


def _seen_in_history(claim: Claim, identities: set, history: Sequence[Sequence[Claim]]) -> bool:
    fact = fact_of(claim)
    return any(
        claim_identity(c) in identities and fact_of(c) == fact for version in history for c in version
    )


def _changed(pair: Pair, verdict: Verdict, history: Sequence[Sequence[Claim]]) -> Change:
    old, new = pair.old, pair.new
    kind, confidence, reason = verdict.kind, verdict.confidence, verdict.reason
    if pair.method != "key":
        confidence *= MOVED_KEY_DISCOUNT
    if _seen_in_history(new, {claim_identity(old), claim_identity(new)}, history):
        kind, confidence = "correction", min(confidence, REVERT_CONFIDENCE)
        reason = f"{reason}; reverted to the earlier value {verdict.new_value} (seen in an earlier version)"
    return Change(new.claim_type, kind, new.key, verdict.old_value, verdict.new_value, old.text, new.text,
                  old.sentence, new.sentence, round(confidence, 3), reason)


def _added(claim: Claim, history: Sequence[Sequence[Claim]]) -> Change:
    reason, confidence = f"new {_describe(claim)}", 0.9
    if claim.claim_type != "correction_notice" and _seen_in_history(claim, {claim_identity(claim)}, history):
        reason = f"restored {_describe(claim)} (seen in an earlier version, absent from the previous one)"
        confidence = REVERT_CONFIDENCE
    notice = claim.value if claim.claim_type == "correction_notice" else None
    return Change(claim.claim_type, "added", claim.key, None, claim.value, None, claim.text, None,
                  claim.sentence, confidence, reason, notice)


def _removed(claim: Claim) -> Change:
    # People drop out of rewrites far more often than facts are withdrawn.
    confidence = 0.6 if claim.claim_type == "person" else 0.75
    return Change(claim.claim_type, "removed", claim.key, claim.value, None, claim.text, None,
                  claim.sentence, None, confidence, f"no longer in the article: {_describe(claim)}")


def _link_notice(change: Change, notices: Sequence[Claim], fresh: Sequence[Claim]) -> Change:
    """Attach the notice that mentions the corrected fact, else the version's new notice."""
    if change.change_kind != "correction" or not notices:
        return change
    mentioned = set(tokens(f"{change.old_value or ''} {change.new_value or ''}"))
    for notice in notices:
        if mentioned & set(tokens(notice.value)):
            return replace(change, notice=notice.value)
    return replace(change, notice=fresh[0].value) if fresh else change


def facts_outside_notices(claims: Sequence[Claim]) -> tuple[Claim, ...]:
    """Drop figures, names and dates quoted inside a correction notice: they describe the fix, not the story."""
    notice_sentences = {c.sentence_index for c in claims if c.claim_type == "correction_notice"}
    return tuple(c for c in claims if c.claim_type == "correction_notice" or c.sentence_index not in notice_sentences)


def diff_claims(
    old: Sequence[Claim],
    new: Sequence[Claim],
    history: Sequence[Sequence[Claim]] = (),
) -> tuple[Change, ...]:
    """Compare two versions' claims; `history` holds older versions, oldest first."""
    old, new = facts_outside_notices(old), facts_outside_notices(new)
    history = [facts_outside_notices(version) for version in history]
    changes: list[Change] = []
    fresh_notices: list[Claim] = []
    for pair in align_claims(old, new):
        if pair.old is None and pair.new is not None:
            changes.append(_added(pair.new, history))
            if pair.new.claim_type == "correction_notice":
                fresh_notices.append(pair.new)
        elif pair.new is None and pair.old is not None:
            changes.append(_removed(pair.old))
        elif pair.old is not None and pair.new is not None:
            verdict = classify_change(pair.old, pair.new)
            if verdict is not None:
                changes.append(_changed(pair, verdict, history))
    notices = [c for c in new if c.claim_type == "correction_notice"]
    unique: dict[tuple, Change] = {}
    for change in changes:
        marker = (change.claim_type, change.change_kind, change.key, change.old_value, change.new_value)
        unique.setdefault(marker, _link_notice(change, notices, fresh_notices))
    return tuple(unique.values())
