"""The claims engine: article text (+ publication date) -> claims, in reading order."""

from __future__ import annotations

import datetime

from flows.claims.casualty import casualty_claims
from flows.claims.model import Claim
from flows.claims.sentences import split_sentences


def extract_claims(text: str, published: datetime.date | None = None) -> tuple[Claim, ...]:
    """Extract casualty, person, date and correction-notice claims from article text."""
    sentences = split_sentences(text or "")
    claims: list[Claim] = []
    places: dict[str, str] = {}
    for sentence in sentences:
        claims.extend(casualty_claims(sentence.text, sentence.index, places))
    return tuple(sorted(claims, key=lambda c: (c.sentence_index, c.start, c.end, c.claim_type, c.key)))
