"""CoNLL-2003 reading for the person tagger: documents as plain text with person spans.

Used by the training script (`python -m factwatch.claims.people_train`) and by
`tests/eval_people.py`; never by `extract_claims`. CoNLL text is tokenised
("U.S." "'s" and punctuation apart), so each document is detokenised into the
kind of text a news page gives, one sentence a line, and every gold PER entity
is kept as a character span of that text.

- Split: documents of `eng.train` and `eng.testa` are numbered in file order;
  a seeded shuffle (SPLIT_SEED) puts 80% of `eng.train` in the *tune* part
  (the tagger is trained and the rules are tuned on it) and the other 20% plus
  all of `eng.testa` in the *measure* part, which is only ever scored.
- Prose: a sentence is prose when it has at least PROSE_MIN_WORDS words and at
  least PROSE_MIN_LOWER of its words start with a lowercase letter; headlines,
  datelines, result lists and tables fail that test.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from factwatch.claims.lexicon import HONORIFICS, TITLES
from factwatch.claims.people import fold

SPLIT_SEED = 20030
TUNE_SHARE = 0.8
PROSE_MIN_WORDS = 8  # people.py's _is_prose uses the same rule
PROSE_MIN_LOWER = 0.4

_NO_SPACE_BEFORE = frozenset(",.;:?!)]}%") | {"'s", "'S", "n't", "'", "'re", "'ve", "'ll", "'d", "'m"}
_NO_SPACE_AFTER = frozenset("([{$")


@dataclass(frozen=True, slots=True)
class Document:
    """One CoNLL document: its sentences as text lines, and gold person spans per line."""

    name: str
    lines: tuple[str, ...]
    entities: tuple[tuple[tuple[int, int, str], ...], ...]  # per line: (start, end, type) of each entity
    prose: tuple[bool, ...]

    @property
    def people(self) -> tuple[tuple[tuple[int, int], ...], ...]:
        """Per line: (start, end) of each PER entity."""
        return tuple(tuple((a, b) for a, b, kind in line if kind == "PER") for line in self.entities)

    def text(self, which: str = "all") -> str:
        """The document text: every line, only prose lines ("prose"), or only the others ("lists")."""
        return "\n".join(line for line, ok in zip(self.lines, self._keep(which)) if ok)

    def gold(self, which: str = "all") -> list[str]:
        """Surface forms of the PER entities in the chosen lines."""
        return [line[a:b] for line, spans, ok in zip(self.lines, self.people, self._keep(which)) if ok
                for a, b in spans]

    def _keep(self, which: str) -> tuple[bool, ...]:
        if which == "prose":
            return self.prose
        if which == "lists":
            return tuple(not p for p in self.prose)
        return tuple(True for _ in self.lines)


def is_prose(words: list[str]) -> bool:
    """The mechanical prose rule: enough words, and enough of them lowercase."""
    alpha = [w for w in words if w[:1].isalpha()]
    if len(alpha) < PROSE_MIN_WORDS:
        return False
    return sum(w[0].islower() for w in alpha) / len(alpha) >= PROSE_MIN_LOWER


def detokenise(words: list[str], tags: list[str]) -> tuple[str, tuple[tuple[int, int, str], ...]]:
    """Join CoNLL tokens into plain text; return it with the character spans and types of its entities."""
    text = ""
    spans: list[list] = []
    quote_open = False
    prev_tag, prev_word = "O", ""
    for word, tag in zip(words, tags):
        glue = not text or word in _NO_SPACE_BEFORE or prev_word in _NO_SPACE_AFTER
        if word == '"':
            glue = glue or quote_open
            quote_open = not quote_open
        elif prev_word == '"' and quote_open:
            glue = True
        if not glue:
            text += " "
        start = len(text)
        text += word
        if tag != "O":
            if prev_tag[2:] == tag[2:] and not tag.startswith("B-"):
                spans[-1][1] = len(text)
            else:
                spans.append([start, len(text), tag[2:]])
        prev_tag, prev_word = tag, word
    return text, tuple((a, b, kind) for a, b, kind in spans)


def read_conll(path: Path) -> list[Document]:
    """Read one CoNLL-2003 file into documents."""
    documents: list[Document] = []
    lines: list[tuple[str, tuple, bool]] = []
    words: list[str] = []
    tags: list[str] = []

    def end_sentence() -> None:
        if words:
            text, spans = detokenise(words, tags)
            lines.append((text, spans, is_prose(words)))
            words.clear()
            tags.clear()

    def end_document() -> None:
        end_sentence()
        if lines:
            name = f"{path.name}:{len(documents)}"
            documents.append(Document(name, *(tuple(col) for col in zip(*lines))))
            lines.clear()

    for raw in path.read_text(encoding="utf-8").splitlines():
        parts = raw.strip().split(" ")
        if parts[0] == "-DOCSTART-":
            end_document()
        elif len(parts) < 4:
            end_sentence()
        else:
            words.append(parts[0])
            tags.append(parts[-1])
    end_document()
    return documents


def split_documents(folder: Path) -> dict[str, list[Document]]:
    """The seeded tune/measure split of eng.train + eng.testa (see the module docstring)."""
    train = read_conll(folder / "eng.train")
    testa = read_conll(folder / "eng.testa")
    order = list(range(len(train)))
    random.Random(SPLIT_SEED).shuffle(order)
    cut = int(len(order) * TUNE_SHARE)
    tune = [train[i] for i in sorted(order[:cut])]
    measure = [train[i] for i in sorted(order[cut:])] + testa
    return {"tune": tune, "measure": measure}


def normal(name: str) -> str:
    """Folded name without leading titles: CoNLL sometimes counts "Prince" in "Prince Charles",
    while factwatch keeps titles as the role, so both sides drop them."""
    words = fold(name).split()
    while len(words) > 1 and (words[0].rstrip(".") in TITLES or words[0].rstrip(".") in HONORIFICS):
        words.pop(0)
    return " ".join(words)


def gold_people(names: list[str]) -> set[str]:
    """Distinct people: normalised names, shorter forms merged into a longer name they are part of."""
    folded = {normal(n) for n in names}
    people = set()
    for name in folded:
        words = set(name.split())
        if not any(other != name and words < set(other.split()) for other in folded):
            people.add(name)
    return people
