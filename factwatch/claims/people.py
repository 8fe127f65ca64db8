"""Person claims: one claim per person per article, keyed by a stable identity.

- value: the fullest form of the name in the article, nickname included
  ("Wissam Mohammed “Abu Bakr” al-Saadi"); sentence/text point at that mention.
- key: "person:" + the surname with its particles ("person:al-saadi",
  "person:netanyahu", "person:von weizsacker"), casefolded and without accents,
  so "Mr Netanyahu", "Netanyahu" and "Benjamin Netanyahu" share it and a role
  change never moves it. When two different people in one article share a
  surname, both get "person:" + their full normalised name instead.
- attributes: role (first stated: "US secretary of state", "a neighbour"),
  aliases (other surface forms, "; "-joined), mentions (count).
Which words are names is decided by the tagger (tagger.py), trained on news text,
and which candidates become people by the gate (people_gate.py), trained on the tagger's
out-of-fold output; titles before a name ("First Deputy Foreign Minister") become its role, and lone
capitalised words that equal a known person's name count as mentions of that person.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field

from factwatch.claims.lexicon import HONORIFICS, PARTICLES, TITLES
from factwatch.claims.model import Claim
from factwatch.claims.people_gate import FEATURES, GATE_THRESHOLD, gate_score, person_features
from factwatch.claims.sentences import Sentence
from factwatch.claims.tagger import (
    is_common, is_given_name, is_known, is_name_like, is_name_word, lowercase_words, name_spans, name_weight, tag_words,
    shipped_scorer, token_starts, token_words,
)

_OPEN_QUOTES = "“\"‘"
_CLOSE_QUOTES = "”\"’"
# A role before a name: up to three lowercase words (and one capitalised or acronym word
# before them) ending in a title noun, maybe "of state"/"of the X": "US secretary of state".
_ROLE_HEAD = re.compile(r"\b[a-z]{3,}\b")
_ROLE_TAIL = re.compile(r"((?:\s+of\s+(?:state|defence|defense|the\s+\w+|[A-Z]\w+))?)\s*,?\s+$")
_ROLE_PREFIX = re.compile(r"(?:\b(?:[A-Z]{2,}|[A-Z][a-z]+)\s+)?(?:[a-z][\w’'-]*\s+){0,3}$")
_APPOSITION = re.compile(
    r"^,\s+((?:the|a|an|his|her|its|their)\s+[^,.;“”\"()]{1,100}?)(?=\s*(?:,|\.|;|$)|\s+(?:who|which|whose)\b)"
)
_LOWER_WORDS = re.compile(r"[a-z]+")
# Tagger margins (score of the name tag minus score of "O") a person needs, chosen by 4-fold
# cross-validation inside the tune part of CoNLL-2003 (see PEOPLE_MODEL.md).
MIN_MARGIN_NAME = 5.0
MIN_MARGIN_SURNAME = 10.0
REQUIRE_EVIDENCE = True  # a name needs a cue or a known name word (see _evident)
MIN_MARGIN_UNKNOWN = 8.0  # a first word this sure of is evidence enough
WEAK_NAME_WEIGHT = 2.0  # a first word weighted less than this as a name is dropped before a name word
# Both chosen by 4-fold CV inside the tune part (tests/cv_people.py): each gained a few names, lost none.
WEAK_LEAD_NEGATIVE = True  # a first word the model weighs against a name is a role ("Trainer Berti Vogts")
GROW_GIVEN = True  # a census given name before a one-word name joins it ("Colin Montgomerie")
MAX_GROWTH = 2  # words an unknown neighbour growth may add on each side (never the sentence's first)
_INITIALS = re.compile(r"^(?:[A-Z]\.)+$")
_NEXT_WORD = re.compile(r"\s+([a-z]+)\b")
_PERSON_AFTER = re.compile(r",\s+(?:who|whose|\d{1,3},)\s")
_INITIAL_NO_NAME = FEATURES.index("initial_no_name")
_PERSON_BEFORE = re.compile(r"\b(?:said|says|told|according\s+to)\s+$")


@dataclass(slots=True)
class _Mention:
    tokens: tuple[str, ...]
    surface: str
    sentence: Sentence
    start: int
    end: int
    honorific: str
    role: str
    confidence: float  # the tagger's margin for a tagged name; 0 for a lone word linked to a known name
    cued: bool = False  # an honorific, a title or role, ", who", or "said" right before it
    lead: float = 0.0  # the margin of the name's first tagged word
    initial: bool = False  # starts a prose sentence, where its capital letter says nothing


@dataclass(slots=True)
class _Person:
    first: _Mention
    best: _Mention
    surfaces: list[str] = field(default_factory=list)
    mentions: int = 0
    role: str = ""
    confidence: float = 0.0
    honorific: bool = False
    cued: bool = False
    lead: float = 0.0
    initial: bool = True  # every mention starts a prose sentence


@functools.lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Casefold and strip accents and curly apostrophes, for identity keys."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _is_nick(token: str) -> bool:
    return token[:1] in _OPEN_QUOTES


@functools.lru_cache(maxsize=8192)
def _name_tokens(tokens: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(t for t in tokens if not _is_nick(t))


@functools.lru_cache(maxsize=8192)
def _folded_names(tokens: tuple[str, ...]) -> frozenset[str]:
    return frozenset(fold(t) for t in _name_tokens(tokens))


@functools.lru_cache(maxsize=8192)
def _surname(tokens: tuple[str, ...]) -> str:
    names = _name_tokens(tokens)
    parts = [names[-1]]
    for token in reversed(names[:-1]):
        if token.lower() not in PARTICLES:
            break
        parts.insert(0, token)
    return fold(" ".join(parts))


def _is_title(word: str) -> bool:
    """A title or honorific, hyphenated ones included ("Attorney-General", "Major-General")."""
    lower = word.rstrip(".").lower()
    return lower in TITLES or lower in HONORIFICS or ("-" in lower and all(p in TITLES for p in lower.split("-")))


def _joins(word: str) -> bool:
    """An untagged word that still joins a one-word name beside it ("Nguyễn Thị" before "Lan"):
    name-like, not a title, unknown to the tagger, not a common word and not "Toronto-based"."""
    return (is_name_like(word) and not _is_title(word) and not is_known(word) and not is_common(word)
            and not any(part[:1].islower() for part in word.split("-")[1:]))


def _given_before(word: str) -> bool:
    """An untagged word before a one-word name that is a given name ("Colin" in "Colin Montgomerie"):
    in the census given-name list, capitalised, not a title and not a common word."""
    return (word[:1].isupper() and word[1:].islower() and is_given_name(word) and not _is_title(word)
            and not is_common(word))


def _complete(words: list[str], spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Grow and join tagged names: over unknown name-like neighbours of a one-word name, over a
    lone particle between two names ("Joao Vale de Almeida") and across a quoted nickname
    ("Wissam Mohammed “Abu Bakr” al-Saadi"). Names that are only a title are dropped."""
    completed: list[tuple[int, int]] = []
    for start, end in spans:
        span_start = start
        if completed and start < completed[-1][1]:
            continue  # a nickname or surname already taken into the name before
        if completed and start == completed[-1][1] + 1 and words[start - 1] in PARTICLES:
            start = completed.pop()[0]
        floor = max(completed[-1][1] if completed else 0, 1, start - MAX_GROWTH)
        if end - start == 1:
            while start > floor and _joins(words[start - 1]):
                start -= 1
            if GROW_GIVEN and start == span_start and start > floor and _given_before(words[start - 1]):
                start -= 1
            while end < min(len(words), start + 1 + MAX_GROWTH) and _joins(words[end]):
                end += 1
        while end < len(words) and _INITIALS.match(words[end - 1]) and is_name_like(words[end]):
            end += 1  # "P.W." is never a whole name: "P.W. Botha"
        if end < len(words) and words[end] in _OPEN_QUOTES:
            close = next((j for j in range(end + 2, min(end + 6, len(words))) if words[j] in _CLOSE_QUOTES), 0)
            if (close and close + 1 < len(words) and all(w[:1].isupper() for w in words[end + 1:close])
                    and is_name_like(words[close + 1]) and not _is_title(words[close + 1])):
                end = close + 2
        if not all(_is_title(w) or _INITIALS.match(w) for w in words[start:end]):
            completed.append((start, end))
    return completed


def _title_before(words: list[str], start: int) -> tuple[int, int]:
    """Token range of capitalised titles right before a name ("First Deputy Foreign Minister", "Sgt.")."""
    i = start
    if i >= 2 and words[i - 1] == "," and _is_title(words[i - 2]) and words[i - 2][:1].isupper():
        i -= 1
    first = i
    while first > 0:
        word = words[first - 1]
        if word == "." and first > 1 and _is_title(words[first - 2]) and first == i:
            first -= 1
            continue
        if not (word[:1].isupper() and _is_title(word)):
            break
        first -= 1
    if first == i:
        return start, start
    end = i - 1 if words[i - 1] != "," else i - 2
    return first, end + 1


def _role_before(before: str) -> str:
    """The role phrase that ends right before a name, if any (see _ROLE_HEAD)."""
    tail = before[-80:]
    for head in reversed(list(_ROLE_HEAD.finditer(tail, max(0, len(tail) - 50)))):
        ending = _ROLE_TAIL.match(tail, head.end()) if head.group() in TITLES else None
        if ending:
            prefix = _ROLE_PREFIX.search(tail, 0, head.start())
            return tail[prefix.start() if prefix else head.start():head.end() + len(ending.group(1))]
    return ""


def _role(before: str, after: str) -> str:
    prior = _role_before(before)
    if prior:
        return prior
    apposition = _APPOSITION.match(after)
    if not apposition:
        return ""
    phrase = apposition.group(1).strip()
    words = phrase.split()
    if words[1][:1].isupper() and not TITLES.intersection(_LOWER_WORDS.findall(phrase)):
        return ""  # ", the San Francisco Chronicle reported": a source, not a role
    return phrase


def _weak_lead(word: str) -> bool:
    """A first word that is a common word the model barely counts as a name ("Inspector"), or
    one the model's own weight counts against a name ("Trainer", "Frenchman")."""
    weight = name_weight(word)
    if WEAK_LEAD_NEGATIVE and weight is not None and weight < 0 and not is_given_name(word):
        return True  # not "Eugene" (a place in the training text, a given name in the census list)
    return is_common(word) and (weight or 0.0) < WEAK_NAME_WEIGHT


def _mention(sentence: Sentence, starts: list[int], words: list[str], span: tuple[int, int],
             margins: list[float]) -> _Mention:
    start, end = span
    weak_lead = (end - start > 2 and words[start + 1] not in PARTICLES and _weak_lead(words[start])
                 and is_name_word(words[start + 1]))
    start += weak_lead  # "Inspector Lucia Ferrante", "Evacuee Maria Fernández-López": a role, not a name
    confidence = max(margins[start:end])
    lead = next((m for m in margins[start:end] if m), 0.0)
    while end - start > 1 and _is_title(words[start]) and words[start + 1] != ".":
        start += 1  # a title the tagger left inside the name
    parts = []
    i = start
    while i < end:
        if words[i] in _OPEN_QUOTES:
            close = next(j for j in range(i + 1, end) if words[j] in _CLOSE_QUOTES)
            parts.append(sentence.text[starts[i]:starts[close] + len(words[close])])
            i = close + 1
        else:
            parts.append(words[i])
            i += 1
    text = sentence.text
    a, b = starts[start], starts[end - 1] + len(words[end - 1])
    first, last = _title_before(words, start)
    role_word = last <= first and start > 0 and not weak_lead and _is_role_word(words[start - 1])
    if last <= first and start > 0 and (weak_lead or role_word):
        first, last = start - 1, start  # "Inspector Lucia Ferrante"
    title = text[starts[first]:starts[last - 1] + len(words[last - 1])] if last > first else ""
    honorific = title if title.rstrip(".").lower() in HONORIFICS else ""
    role = "" if honorific else title
    role = role or _role(text[:starts[first]] if title else text[:a], text[b:])
    cued = bool((role and not role_word) or honorific or _PERSON_AFTER.match(text, b)
                or _PERSON_BEFORE.search(text, max(0, a - 24), a))
    return _Mention(tuple(parts), text[a:b], sentence, a, b, honorific, role, confidence, cued, lead)


def _is_role_word(word: str) -> bool:
    """A capitalised common word the tagger left out of the name after it ("Inspector", "Evacuee")."""
    return word[:1].isupper() and word[1:].islower() and is_common(word)


def _modifies_title(text: str, end: int) -> bool:
    """The name is followed by a title noun it modifies: "a senior Kataib Hezbollah commander"."""
    following = _NEXT_WORD.match(text, end)
    return bool(following) and following.group(1) in TITLES


def _weak_mentions(sentence: Sentence, starts: list[int], words: list[str], known: set[str],
                   inside: set[int]) -> list[_Mention]:
    """Lone words equal to a word of a known person's name (counted, never a new person).

    `starts` holds the offsets of the sentence's first tokens, if any are known already.
    """
    found = [i for i, word in enumerate(words) if word in known and i not in inside and not _is_title(word)]
    if found and len(starts) <= found[-1]:
        starts = token_starts(sentence.text, words, found[-1] + 1)
    return [_Mention((words[i],), words[i], sentence, starts[i], starts[i] + len(words[i]), "", "", 0.0)
            for i in found]


def _size(mention: _Mention) -> tuple[int, int]:
    return len(mention.tokens), len(mention.surface)


def _collect(sentences: list[Sentence]) -> list[_Person]:
    """Tag every sentence, group tagged names into people and count lone-word mentions."""
    words = [token_words(s.text) for s in sentences]
    seen = lowercase_words([s.text for s in sentences])
    tokenised: list[list[int] | None] = [None] * len(sentences)
    spans: list[list[tuple[int, int]]] = [[] for _ in sentences]
    mentions = []
    for n, (sentence, sentence_words) in enumerate(zip(sentences, words)):
        margins = [0.0] * len(sentence_words)
        tagged = name_spans(tag_words(sentence_words, seen, margins))
        found = _complete(sentence_words, tagged) if tagged else tagged
        if found:  # offsets only as far as the last name reaches
            tokenised[n] = starts = token_starts(sentence.text, sentence_words, found[-1][1])
            spans[n] = found
            found_mentions = [m for m in (_mention(sentence, starts, sentence_words, span, margins) for span in found)
                              if not _modifies_title(sentence.text, m.end)]
            if found_mentions and _opens_clause(sentence.text, found_mentions[0].start):
                found_mentions[0].initial = _is_prose(sentence_words)
            mentions.extend(found_mentions)
    index = _People()
    for mention in sorted(mentions, key=lambda m: -len(_name_tokens(m.tokens))):
        person = index.match(mention)
        if person is None:
            if not index.names_word_of_others(mention):
                index.add(mention)
        elif _size(mention) > _size(person.best):
            index.rename(person, mention)
    people = index.people
    known = {w for p in people for t in _name_tokens(p.best.tokens) for w in (t, t.upper())}
    for n, (sentence, sentence_words) in enumerate(zip(sentences, words)):
        if not known.isdisjoint(sentence_words):
            inside = {i for a, b in spans[n] for i in range(a, b)}
            weak = _weak_mentions(sentence, tokenised[n] or [], sentence_words, known, inside)
            if weak and _opens_clause(sentence.text, weak[0].start):
                weak[0].initial = _is_prose(sentence_words)
            mentions.extend(weak)
    for mention in sorted(mentions, key=_position):
        person = index.match(mention)
        if person is None:
            continue
        person.mentions += 1
        person.role = person.role or mention.role
        person.confidence = max(person.confidence, mention.confidence)
        person.honorific = person.honorific or bool(mention.honorific)
        person.cued = person.cued or mention.cued
        person.lead = max(person.lead, mention.lead)
        person.initial = person.initial and mention.initial
        surface = f"{mention.honorific} {mention.surface}".strip()
        if surface not in person.surfaces:
            person.surfaces.append(surface)
    return people


# A short lead before the main clause: "Indeed, Pyongyang is said ...", "On Monday, ..." (up to four words).
_LEAD = re.compile(r"(?:[\w'’-]+\s+){0,3}[\w'’-]+,\s+")


def _opens_clause(text: str, start: int) -> bool:
    """The mention starts the sentence, or its main clause after a short lead ending in a comma."""
    return start == 0 or (start <= 40 and _LEAD.fullmatch(text, 0, start) is not None)


def _is_prose(words: list[str]) -> bool:
    """A prose sentence, not a headline or a table row: eight words or more, 40% of them lowercase."""
    alpha = [w for w in words if w[:1].isalpha()]
    return len(alpha) >= 8 and sum(w[0].islower() for w in alpha) >= 0.4 * len(alpha)


def _confident(person: _Person) -> bool:
    """Keep a person the gate (people_gate.py) is sure enough of; without gate weights, the evidence rule.

    A person only ever named at the start of a prose sentence, with no name word and no cue
    ("Boko Haram said ..."), has nothing but the tagger's guess behind it and is not kept:
    in tables and headlines names start lines, in prose they are introduced.
    """
    weights = shipped_scorer().gate
    if not weights:
        return _evident(person)
    features = _gate_features(person)
    if features[_INITIAL_NO_NAME] and not person.cued:
        return False
    return gate_score(features, weights) > GATE_THRESHOLD


def _gate_features(person: _Person) -> tuple[float, ...]:
    """The gate's features of a candidate person (see people_gate.person_features)."""
    return person_features(_name_tokens(person.best.tokens), person.confidence, person.lead, person.cued,
                           person.honorific, person.mentions, bool(person.role), _evident(person), person.initial)


def person_candidates(sentences: list[Sentence]) -> list[tuple[str, tuple[float, ...]]]:
    """Every candidate person of a text, before the gate: its value and gate features (for training the gate)."""
    return [(" ".join(p.best.surface.split()), _gate_features(p)) for p in _collect(sentences)]


def _evident(person: _Person) -> bool:
    """The evidence rule: a person the tagger is sure enough of, with evidence beyond the tagger's guess.

    Evidence is a cue in the text (an honorific, a title or role, ", who", "said" before the
    name) or a name word the tagger learned or a published list holds (a given name first,
    or a known name as a lone surname): two unknown capitalised words ("Kataib Hezbollah")
    are as likely an organisation as a person.
    """
    names = _name_tokens(person.best.tokens)
    if len(names) > 1 and is_common(names[-1]) and not is_name_word(names[-1]) and not is_name_word(names[0]):
        return False  # "Alpine Sun Tours", "Human Rights Watch": no given name, and a common word last
    if person.cued or person.honorific:
        return person.confidence >= MIN_MARGIN_NAME
    if len(names) > 1:
        evidence = is_name_word(names[0]) or is_name_word(names[-1])
        evidence = evidence or person.lead >= MIN_MARGIN_UNKNOWN
        return person.confidence >= MIN_MARGIN_NAME and (not REQUIRE_EVIDENCE or evidence)
    return person.confidence >= MIN_MARGIN_SURNAME and (not REQUIRE_EVIDENCE or is_name_word(names[0]))


def _position(mention: _Mention) -> tuple[int, int]:
    return mention.sentence.index, mention.start


class _People:
    """The people found so far, indexed by surname and by name word, so matching a mention
    looks at the few people who share one rather than at everyone (same answers as a scan)."""

    def __init__(self) -> None:
        self.people: list[_Person] = []
        self._by_surname: dict[str, list[_Person]] = {}
        self._by_word: dict[str, list[_Person]] = {}

    def add(self, mention: _Mention) -> None:
        """A new person, first seen (and best named) in this mention."""
        person = _Person(mention, mention)
        self.people.append(person)
        self._index(person)

    def rename(self, person: _Person, best: _Mention) -> None:
        """Make `best` the person's fullest mention, re-indexing if its name words differ."""
        before = _index_keys(person.best)
        person.best = best
        if _index_keys(best) != before:
            self._by_surname.clear()
            self._by_word.clear()
            for other in self.people:  # in order, so each list keeps the people's order
                self._index(other)

    def _index(self, person: _Person) -> None:
        surname, words = _index_keys(person.best)
        self._by_surname.setdefault(surname, []).append(person)
        for word in words:
            self._by_word.setdefault(word, []).append(person)

    def names_word_of_others(self, mention: _Mention) -> bool:
        """A one-word mention that is a name word of people already found ("Kim" beside Kim Jong-un
        and Kim Il-sung) refers to one of them, whichever: it is never a person of its own."""
        tokens = _name_tokens(mention.tokens)
        return len(tokens) == 1 and bool(self._by_word.get(fold(tokens[0])))

    def match(self, mention: _Mention) -> _Person | None:
        """The one person this mention names, if it names exactly one."""
        same = self._by_surname.get(_surname(mention.tokens), ())
        fitting = [p for p in same if _compatible(mention, p.best) or _compatible(p.best, mention)]
        if len(fitting) == 1:
            return fitting[0]
        if len(_name_tokens(mention.tokens)) == 1:
            if not fitting:
                named = self._by_word.get(fold(mention.tokens[0]), ())
                return named[0] if len(named) == 1 else None
            return None  # a bare surname shared by two people names neither for sure
        return fitting[0] if fitting else None


def _index_keys(mention: _Mention) -> tuple[str, tuple[str, ...]]:
    """A best mention's surname and its distinct folded name words (in first-seen order)."""
    return _surname(mention.tokens), tuple(dict.fromkeys(fold(t) for t in _name_tokens(mention.tokens)))


def _compatible(mention: _Mention, best: _Mention) -> bool:
    """Every name word of the mention is in the best mention (folded)."""
    return _folded_names(mention.tokens) <= _folded_names(best.tokens)


def _keys(people: list[_Person]) -> list[str]:
    surnames = [_surname(p.best.tokens) for p in people]
    keys = []
    for person, surname in zip(people, surnames):
        if surnames.count(surname) > 1:
            keys.append("person:" + fold(" ".join(_name_tokens(person.best.tokens))))
        else:
            keys.append("person:" + surname)
    return keys


def person_claims(sentences: tuple[Sentence, ...], skip: frozenset[int] = frozenset()) -> list[Claim]:
    """One claim per person named in the article, at the sentence of the fullest mention."""
    found = _collect([s for s in sentences if s.index not in skip])
    people = sorted((p for p in found if _confident(p)), key=lambda p: _position(p.best))
    claims = []
    for person, key in zip(people, _keys(people)):
        best = person.best
        value = " ".join(best.surface.split())
        aliases = [s for s in person.surfaces if s != value]
        aliases += [t.strip("“”\"‘’") for t in best.tokens if _is_nick(t)]
        attributes = [("mentions", str(max(person.mentions, 1)))]
        if person.role:
            attributes.append(("role", person.role))
        if aliases:
            attributes.append(("aliases", "; ".join(dict.fromkeys(aliases))))
        claims.append(Claim(
            claim_type="person", key=key, value=value, text=best.surface, sentence=best.sentence.text,
            start=best.start, end=best.end, sentence_index=best.sentence.index,
            attributes=tuple(sorted(attributes)),
        ))
    return claims
