"""What an article is about, in the terms clustering compares: words, wire-copy shingles and entities."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from factwatch.claims import Claim

_WORD = re.compile(r"[a-z][a-z'\-]+|\d+")
# Function words carry no topic. A short general list (the most frequent English words, as in every
# stop-word list since Luhn's), never words taken from an evaluation text.
STOP_WORDS = frozenset("""
a about after again against all also an and any are as at be because been before being between both but by
can could did do does doing down during each few for from further had has have having he her here hers him
his how i if in into is it its itself just me more most my no nor not now of off on once only or other our
out over own same she should so some such than that the their them then there these they this those through
to too under until up very was we were what when where which while who whom why will with would you your
said says say told according new one two three four five six seven eight nine ten people
""".split())
SHINGLE_WORDS = 5  # wire copy shares long runs of words; five-word shingles rarely repeat by chance


@dataclass(frozen=True, slots=True)
class ArticleFeatures:
    """One article as clustering sees it."""

    article_id: int
    outlet: str                                  # the URL's host with its port (netloc)
    seen_at: datetime                            # when it was published, else first seen
    terms: tuple[tuple[str, int], ...]           # content-word counts of title and text
    shingles: frozenset[int]                     # hashed five-word runs, for near-duplicate wire copy
    entities: frozenset[str]                     # people, places and toll kinds the claims name


def outlet_of(url: str) -> str:
    """An article's outlet: its URL's host with its port, without any user:password."""
    return urlsplit(url).netloc.rsplit("@", 1)[-1].lower()


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _shingles(words: list[str]) -> frozenset[int]:
    runs = (" ".join(words[i:i + SHINGLE_WORDS]) for i in range(max(len(words) - SHINGLE_WORDS + 1, 0)))
    return frozenset(int.from_bytes(hashlib.blake2b(r.encode(), digest_size=8).digest(), "big") for r in runs)


def claim_entities(claims: Iterable[Claim]) -> frozenset[str]:
    """People (by surname key), places and the kinds of toll an article's claims name."""
    found = set()
    for claim in claims:
        if claim.claim_type == "person":
            found.add(claim.key)
        elif claim.claim_type == "casualty":
            found.add(f"toll:{claim.attr('outcome')}")
            for name in ("place", "event"):
                if claim.attr(name):
                    found.add(f"{name}:{claim.attr(name).lower()}")
    return frozenset(found)


def article_features(article_id: int, url: str, seen_at: datetime, title: str | None, text: str,
                     claims: Iterable[Claim]) -> ArticleFeatures:
    """Describe an article for clustering from its title, main text and claims."""
    words = _words(f"{title or ''}\n{text}")
    terms = Counter(w for w in words if w not in STOP_WORDS and not w.isdigit() and len(w) > 2)
    return ArticleFeatures(article_id, outlet_of(url), seen_at, tuple(sorted(terms.items())),
                           _shingles(_words(text)), claim_entities(claims))
