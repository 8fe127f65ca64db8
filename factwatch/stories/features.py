"""What an article is about, in the terms clustering compares: words, wire-copy shingles and entities."""

from __future__ import annotations

import re
import zlib
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
SKETCH_SIZE = 64   # bottom-k sketch of the shingles: the Jaccard estimate's standard error is at most 0.5/sqrt(64) = 0.06
TOP_TERMS = 60     # an article's most frequent content words carry its cosine; the tail adds cost, not signal


@dataclass(frozen=True, slots=True)
class ArticleFeatures:
    """One article as clustering sees it."""

    article_id: int
    outlet: str                                  # the URL's host with its port (netloc)
    seen_at: datetime                            # when it was published, else first seen
    terms: tuple[tuple[str, int], ...]           # counts of the most frequent content words of title and text
    sketch: tuple[int, ...]                      # the smallest hashes of its five-word runs (bottom-k MinHash)
    entities: frozenset[str]                     # people, places and toll kinds the claims name


def outlet_of(url: str) -> str:
    """An article's outlet: its URL's host with its port, without any user:password."""
    return urlsplit(url).netloc.rsplit("@", 1)[-1].lower()


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def shingle_sketch(words: list[str]) -> tuple[int, ...]:
    """The SKETCH_SIZE smallest CRC-32 hashes of the text's five-word runs, sorted (all of them for a short text)."""
    runs = {zlib.crc32(" ".join(words[i:i + SHINGLE_WORDS]).encode())
            for i in range(max(len(words) - SHINGLE_WORDS + 1, 0))}
    return tuple(sorted(runs)[:SKETCH_SIZE])


def sketch_jaccard(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """Estimated share of five-word runs two texts have in common (bottom-k estimator; exact for short texts)."""
    sa, sb = set(a), set(b)
    both = sa & sb
    if not both:
        return 0.0
    union = sorted(sa | sb)[:SKETCH_SIZE]
    return len(both.intersection(union)) / len(union)


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
    words = _words(text)
    counts = Counter(w for w in _words(title or "") + words if w not in STOP_WORDS and not w.isdigit() and len(w) > 2)
    terms = sorted(counts.items(), key=lambda tc: (-tc[1], tc[0]))[:TOP_TERMS]
    return ArticleFeatures(article_id, outlet_of(url), seen_at, tuple(sorted(terms)),
                           shingle_sketch(words), claim_entities(claims))
