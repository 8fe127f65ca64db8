"""Split article text into sentences, dropping repeated chrome paragraphs.

Scraped article text carries page chrome that repeats: "Hide Ad" slots, a photo
caption printed twice (sometimes glued to itself). A paragraph that occurs more
than once, or is one string written twice, is treated as chrome and skipped, so
it never yields claims. Sentence indexes count only the sentences kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Tokens that end with a period without ending a sentence.
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr st jr sr prof gen col lt sgt capt cpl maj rep sen gov pres rev hon "
    "jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun "
    "no nos vs etc inc ltd co corp dept est approx fig al e.g i.e u.s u.k u.n a.m p.m".split()
)

# A candidate boundary: terminal punctuation, optional closing quote/bracket, then
# whitespace, or directly a capital letter after a lowercase word ("Baghdad.People").
_BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*(\s+|(?=[A-Z]))")
_WORD_BEFORE = re.compile(r"([\w.]+)[.!?]*[\"'”’)\]]*\s*$")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of article text with its position among kept sentences."""

    index: int
    text: str
    paragraph: int = 0


def _normalise(paragraph: str) -> str:
    return " ".join(paragraph.split()).lower()


def _is_doubled(paragraph: str) -> bool:
    half, rest = divmod(len(paragraph), 2)
    return rest == 0 and half > 20 and paragraph[:half] == paragraph[half:]


def _is_boundary(paragraph: str, match: re.Match) -> bool:
    end = match.end()
    if end >= len(paragraph):
        return False
    before = _WORD_BEFORE.search(paragraph, max(0, match.start() - 40), match.start() + 1)
    word = before.group(1).lower().rstrip(".") if before else ""
    if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
        return False
    if not match.group(1):
        # Glued boundary ("Baghdad.People"): only after a lowercase word of 3+ letters.
        return len(word) >= 3 and word[-1].islower() and "." not in word
    nxt = paragraph[end]
    return nxt.isupper() or nxt.isdigit() or nxt in "“\"‘'(["


def _split_paragraph(paragraph: str) -> list[str]:
    pieces: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(paragraph):
        if _is_boundary(paragraph, match):
            piece = paragraph[start:match.end()].strip()
            if piece:
                pieces.append(piece)
            start = match.end()
    tail = paragraph[start:].strip()
    if tail:
        pieces.append(tail)
    return pieces


def split_sentences(text: str) -> tuple[Sentence, ...]:
    """Split text into sentences, skipping paragraphs repeated as page chrome."""
    paragraphs = [p.strip() for p in text.splitlines()]
    counts: dict[str, int] = {}
    for paragraph in paragraphs:
        if paragraph:
            keys = [_normalise(paragraph)]
            if _is_doubled(paragraph):
                keys.append(_normalise(paragraph[: len(paragraph) // 2]))
            for key in keys:
                counts[key] = counts.get(key, 0) + 1
    sentences: list[Sentence] = []
    for number, paragraph in enumerate(paragraphs):
        if not paragraph or counts[_normalise(paragraph)] > 1 or _is_doubled(paragraph):
            continue
        for piece in _split_paragraph(paragraph):
            sentences.append(Sentence(len(sentences), piece, number))
    return tuple(sentences)
