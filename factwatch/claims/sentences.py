"""Split article text into sentences, dropping repeated chrome paragraphs.

Scraped article text carries page chrome that repeats: "Hide Ad" slots, a photo
caption printed twice (sometimes glued to itself). A paragraph that occurs more
than once on its own, or is one string written twice, is treated as chrome and
skipped, so it never yields claims. When the extractor returns the article body
twice (runs of paragraphs repeated together), the first copy is kept. Sentence
indexes count only the sentences kept.
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
# ("[.!?][.!?]*", not "[.!?]+": a pattern that starts with a character class lets the regex
# engine jump between those characters instead of trying a match at every position.)
_BOUNDARY = re.compile(r"[.!?][.!?]*[\"'”’)\]]*(\s+|(?=[A-Z]))")
# The word before a boundary's first mark: found by reading the text before it backwards
# (see _word_before), which is several times cheaper than a search anchored at the end.
_TAIL_REVERSED = re.compile(r"[.!?]*[\w.]*")
_WORD = re.compile(r"[\w.]+")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of article text with its position among kept sentences."""

    index: int
    text: str
    paragraph: int = 0


def _normalise(paragraph: str) -> str:
    # A printable paragraph has no whitespace but " " (str.isprintable), so without doubled,
    # leading or trailing spaces it already is " ".join(paragraph.split()): skip the split.
    if paragraph.isprintable() and "  " not in paragraph and paragraph[:1] != " " and paragraph[-1:] != " ":
        return paragraph.lower()
    return " ".join(paragraph.split()).lower()


def _is_doubled(paragraph: str) -> bool:
    half, rest = divmod(len(paragraph), 2)
    return rest == 0 and half > 20 and paragraph[:half] == paragraph[half:]


def _word_before(paragraph: str, mark: int) -> str:
    r"""The word before the terminal mark paragraph[mark], its dots included; at most 40 characters back.

    The same word as group 1 of a search for r"([\w.]+)[.!?]*[\"'”’)\]]*\s*$" in
    paragraph[mark - 40:mark + 1]: that text ends with the mark, so the leftmost match is
    the longest tail of [.!?] marks after [\w.] characters, its word the first run of [\w.] in it.
    """
    window = paragraph[max(0, mark - 40):mark + 1]
    tail = _TAIL_REVERSED.match(window[::-1]).group()[::-1]
    word = _WORD.search(tail)
    return word.group() if word else ""


def _is_boundary(paragraph: str, match: re.Match) -> bool:
    end = match.end()
    if end >= len(paragraph):
        return False
    word = _word_before(paragraph, match.start()).lower().rstrip(".")
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


def _skipped_paragraphs(paragraphs: list[str]) -> set[int]:
    """Indexes of paragraphs to skip: chrome repeated on its own, and second copies of a repeated body.

    A paragraph repeated alone ("Hide Ad", a caption printed twice) is chrome: every copy
    goes. A paragraph repeated together with its neighbour is part of an article body
    that the extractor returned twice: the first copy stays, later copies go.
    """
    lines = [(number, _normalise(p[: len(p) // 2] if _is_doubled(p) else p))
             for number, p in enumerate(paragraphs) if p]
    keys = [key for _, key in lines]
    half = len(keys) // 2
    if half and len(keys) % 2 == 0 and keys[:half] == keys[half:]:
        return {number for number, _ in lines[half:]}  # the whole text, twice
    first: dict[str, int] = {}
    kept: set[int] = set()
    later: set[int] = set()
    for i, key in enumerate(keys):
        j = first.setdefault(key, i)
        if j == i:
            continue
        after = i + 1 < len(keys) and j + 1 < i and keys[j + 1] == keys[i + 1]
        before = j > 0 and keys[j - 1] == keys[i - 1] and j - 1 != i - 1
        if after or before:
            kept.add(j)
            later.add(i)
    counts: dict[str, int] = {}
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    return {lines[i][0] for i, key in enumerate(keys) if i in later or (counts[key] > 1 and i not in kept)}


def split_sentences(text: str) -> tuple[Sentence, ...]:
    """Split text into sentences, skipping paragraphs repeated as page chrome (keeping one copy of a doubled body)."""
    paragraphs = [p.strip() for p in text.splitlines()]
    skipped = _skipped_paragraphs(paragraphs)
    sentences: list[Sentence] = []
    for number, paragraph in enumerate(paragraphs):
        if not paragraph or number in skipped or _is_doubled(paragraph):
            continue
        for piece in _split_paragraph(paragraph):
            sentences.append(Sentence(len(sentences), piece, number))
    return tuple(sentences)
