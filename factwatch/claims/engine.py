"""The claims engine: article text (+ publication date) -> claims, in reading order.

Correction notices are found first; their sentences, and the sentences after them in
the same paragraph, yield no other claims, because "An earlier version said 15 were
killed. It was 13." reports a superseded figure, not a toll.
Output order is (sentence_index, start, end, claim_type, key), so it is deterministic.
"""

from __future__ import annotations

import datetime

from factwatch.claims.casualty import casualty_claims
from factwatch.claims.dates import date_claims
from factwatch.claims.model import Claim
from factwatch.claims.notices import notice_claim
from factwatch.claims.outcomes import mentions_outcome
from factwatch.claims.people import person_claims
from factwatch.claims.sentences import split_sentences


def extract_claims(text: str, published: datetime.date | None = None) -> tuple[Claim, ...]:
    """Extract casualty, person, date and correction-notice claims from article text."""
    if isinstance(published, datetime.datetime):
        published = published.date()
    sentences = split_sentences(text or "")
    claims: list[Claim] = []
    notices: set[int] = set()
    notice_paragraphs: set[int] = set()
    places: dict[str, str] = {}
    for sentence in sentences:
        lowered = sentence.text.lower()
        notice = notice_claim(sentence.text, sentence.index, lowered)
        if notice is not None:
            claims.append(notice)
            notice_paragraphs.add(sentence.paragraph)
        if notice is not None or sentence.paragraph in notice_paragraphs:
            notices.add(sentence.index)
            continue
        # casualty_claims' own first test (without it, no claim and no memory), or a part of the count
        # just told ("Fourteen of them are children")
        if mentions_outcome(lowered) or (places and (" of them " in lowered or " of those " in lowered)):
            claims.extend(casualty_claims(sentence.text, sentence.index, places))
        claims.extend(date_claims(sentence.text, sentence.index, published))
    claims.extend(person_claims(sentences, frozenset(notices)))
    return tuple(sorted(claims, key=lambda c: (c.sentence_index, c.start, c.end, c.claim_type, c.key)))
