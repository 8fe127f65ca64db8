"""Text folding and token-level similarity, so typography never looks like a change."""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from factwatch.claims.model import Claim
from factwatch.extract.textnorm import TYPOGRAPHY

_SPACE = re.compile(r"\s+")
_TOKEN = re.compile(r"\w+")


def fold(text: str) -> str:
    """Return `text` with typography, Unicode forms and whitespace normalised."""
    folded = unicodedata.normalize("NFKC", text.translate(TYPOGRAPHY)).translate(TYPOGRAPHY)
    return _SPACE.sub(" ", folded).strip()


def fold_key(text: str) -> str:
    """Return a case-insensitive folded form for comparing keys and values."""
    return fold(text).casefold()


def tokens(text: str) -> tuple[str, ...]:
    """Return the lower-cased word tokens of `text`, punctuation dropped."""
    return tuple(_TOKEN.findall(fold_key(text)))


def masked_sentence(claim: Claim) -> str:
    """Return the claim's sentence with the claim's own words blanked out."""
    sentence, text = claim.sentence, claim.text
    if 0 <= claim.start <= claim.end <= len(sentence) and sentence[claim.start:claim.end] == text:
        return sentence[: claim.start] + " " + sentence[claim.end :]
    return sentence.replace(text, " ", 1) if text else sentence


def token_similarity(left: str, right: str) -> float:
    """Return a 0..1 similarity of two sentences over word tokens, not characters."""
    a, b = tokens(left), tokens(right)
    if not a and not b:
        return 1.0
    if not a or not b:
        return 0.0
    order = Indel.normalized_similarity(a, b)
    overlap = len(set(a) & set(b)) / len(set(a) | set(b))
    # Rewording reorders words ("12 were killed in the attack" -> "the attack
    # killed 12"), which hurts sequence similarity but not the shared vocabulary.
    return max(order, overlap)


def claim_context_similarity(old: Claim, new: Claim) -> float:
    """Return how alike the two claims' sentences are once their own words are masked."""
    return token_similarity(masked_sentence(old), masked_sentence(new))


def name_similarity(left: str, right: str) -> float:
    """Return a 0..1 similarity of two personal names, tolerant of spelling and order."""
    a, b = fold_key(left), fold_key(right)
    if not a or not b:
        return 0.0
    return max(fuzz.ratio(a, b), fuzz.token_sort_ratio(a, b)) / 100.0


def words_contain(outer: str, inner: str) -> bool:
    """Return True when every word of `inner` also appears in `outer`."""
    inner_tokens = set(tokens(inner))
    return bool(inner_tokens) and inner_tokens <= set(tokens(outer))
