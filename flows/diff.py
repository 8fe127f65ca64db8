"""Pure change detection: (old claims, new claims) -> changes.

Imports no prefect, requests, duckdb or trafilatura.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flows.claims.model import Claim

CHANGE_KINDS = ("update", "correction", "added", "removed")


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


def diff_claims(
    old: Sequence[Claim],
    new: Sequence[Claim],
    history: Sequence[Sequence[Claim]] = (),
) -> tuple[Change, ...]:
    """Compare two versions' claims; `history` holds older versions, oldest first."""
    # First cut: align by key only. The change-classification work replaces this.
    old_by_key = {c.key: c for c in old}
    new_by_key = {c.key: c for c in new}
    changes: list[Change] = []
    for key, claim in new_by_key.items():
        before = old_by_key.get(key)
        if before is None:
            changes.append(Change(claim.claim_type, "added", key, None, claim.value, None, claim.text,
                                  None, claim.sentence, 0.5, "new claim"))
        elif before.value != claim.value:
            changes.append(Change(claim.claim_type, "update", key, before.value, claim.value, before.text,
                                  claim.text, before.sentence, claim.sentence, 0.5, "value changed"))
    for key, claim in old_by_key.items():
        if key not in new_by_key:
            changes.append(Change(claim.claim_type, "removed", key, claim.value, None, claim.text, None,
                                  claim.sentence, None, 0.5, "claim disappeared"))
    return tuple(changes)
