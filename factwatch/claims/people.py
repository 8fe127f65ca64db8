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
A name is accepted when it starts with a known given name or has a cue: a title
or honorific, a role word before it, an apposition after it, or "said".
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field

from factwatch.claims.lexicon import GIVEN_NAMES, HONORIFICS, NOT_NAME_WORDS, PARTICLES, ROLE_NOUNS, TITLES
from factwatch.claims.model import Claim
from factwatch.claims.sentences import Sentence

_UPPER = "".join(chr(c) for c in range(0x41, 0x530) if chr(c).isupper())
_WORD = rf"[{_UPPER}][^\W\d_]*(?:['’-][^\W\d_]+)*"
_PREFIXED = rf"(?:al|el|ad|as|ash|at|an|ar|az)-{_WORD}"
_PARTICLE = "|".join(sorted(PARTICLES, key=len, reverse=True))
_NICK = r"[“\"‘][^”\"’]{2,30}[”\"’]"
_CANDIDATE = re.compile(  # the lookahead is a one-character test that rejects most positions fast
    rf"(?=[{_UPPER}ae])(?<![^\W\d_])(?:(?:{_PREFIXED}|{_WORD})\.?)(?:\s+(?:(?:{_PARTICLE})\s+)*(?:{_PREFIXED}|{_WORD}|{_NICK})\.?)*"
)
_TOKEN = re.compile(rf"{_NICK}|{_PREFIXED}|[^\W\d_][^\s]*")
_ROLE_BEFORE = re.compile(
    rf"((?:\b(?:[A-Z]{{2,}}|[A-Z][a-z]+)\s+)?(?:[a-z][\w’'-]*\s+){{0,3}}?\b(?:{ROLE_NOUNS})"
    r"(?:\s+of\s+(?:state|defence|defense|the\s+\w+|[A-Z]\w+))?)\s*,?\s+$"
)
_APPOSITION = re.compile(
    r"^,\s+((?:the|a|an|his|her|its|their)\s+(?:[\w’'-]+\s+){0,3}?"
    rf"\b(?:{ROLE_NOUNS})s?\b[^,.;“”\"]{{0,100}}?)(?=\s*(?:,|\.|;|$)|\s+(?:who|which|whose)\b)"
)
_SAID_CUE = re.compile(r"^(?:,\s+\d{1,3},|,\s+who\b|,?\s+(?:said|says|told|added|wrote|reported))")
_SAID_BEFORE = re.compile(r"(?:said|says|told)\s+$")
_POSSESSIVE = re.compile(r"['’]s?$")


@dataclass(slots=True)
class _Mention:
    tokens: tuple[str, ...]
    surface: str
    sentence: Sentence
    start: int
    end: int
    honorific: str
    role: str
    cued: bool


@dataclass(slots=True)
class _Person:
    first: _Mention
    best: _Mention
    surfaces: list[str] = field(default_factory=list)
    mentions: int = 0
    role: str = ""


@functools.lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Casefold and strip accents and curly apostrophes, for identity keys."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _is_nick(token: str) -> bool:
    return token[:1] in "“\"‘"


def _name_tokens(tokens: list[str]) -> list[str]:
    return [t for t in tokens if not _is_nick(t)]


@functools.lru_cache(maxsize=8192)
def _surname(tokens: tuple[str, ...]) -> str:
    names = _name_tokens(list(tokens))
    parts = [names[-1]]
    for token in reversed(names[:-1]):
        if token.lower() not in PARTICLES:
            break
        parts.insert(0, token)
    return fold(" ".join(parts))


def _split_title(tokens: list[str]) -> tuple[str, list[str]]:
    """Separate leading titles ("Defense Secretary", "Sgt.") and non-name words from a name."""
    cut = max((i + 1 for i, t in enumerate(tokens[:3]) if t.rstrip(".").lower() in TITLES), default=0)
    cut = min(cut, len(tokens) - 1)
    title, names = " ".join(tokens[:cut]), tokens[cut:]
    while len(names) > 1 and names[0].rstrip(".").lower() in NOT_NAME_WORDS:
        names.pop(0)
    if title:
        return title, names
    given = [i for i, t in enumerate(names[:3]) if _is_given(t)]
    cut = given[0] if given else 0
    lead = names[:cut]
    return (" ".join(lead) if any(_is_title_like(t) for t in lead) else ""), names[cut:]


def _is_given(token: str) -> bool:
    word = fold(token)
    return word in GIVEN_NAMES or word.split("-")[0] in GIVEN_NAMES


def _is_title_like(token: str) -> bool:
    word = token.rstrip(".").lower()
    return word in TITLES or re.fullmatch(ROLE_NOUNS, word) is not None


def _mentions_in(sentence: Sentence) -> list[_Mention]:
    found: list[_Mention] = []
    text = sentence.text
    for match in _CANDIDATE.finditer(text):
        if " " not in match.group():
            single = _single_mention(sentence, match)
            if single is not None:
                found.append(single)
            continue
        tokens = [_POSSESSIVE.sub("", t) if not _is_nick(t) else t for t in _TOKEN.findall(match.group())]
        title, names = _split_title(tokens)
        while names and (_is_nick(names[-1]) or names[-1].lower() in PARTICLES):
            names.pop()
        if names and len(names[-1]) > 2:
            names[-1] = names[-1].rstrip(".")
        if not names or any(fold(t.rstrip(".")) in NOT_NAME_WORDS for t in _name_tokens(names)):
            continue
        start = match.start() + match.group().find(names[0])
        last = names[-1]
        end = match.start() + match.group().rfind(last) + len(last)
        before, after = text[:start], text[end:]
        role = _role(before, after) or (title if title.rstrip(".").lower() not in HONORIFICS else "")
        cued = bool(title or role or _SAID_CUE.match(after) or _SAID_BEFORE.search(before))
        honorific = title if title.rstrip(".").lower() in HONORIFICS else ""
        found.append(_Mention(tuple(names), text[start:end], sentence, start, end, honorific, role, cued))
    return found


def _single_mention(sentence: Sentence, match: re.Match) -> _Mention | None:
    """A lone capitalised word: cheap, since it only matters as a known person's surname."""
    word = _POSSESSIVE.sub("", match.group().rstrip("."))
    lower = word.lower()
    if not word or lower in NOT_NAME_WORDS or lower in TITLES or _is_nick(word):
        return None
    start, end = match.start(), match.start() + len(word)
    apposition = _APPOSITION.match(sentence.text[end:end + 160])
    role = apposition.group(1).strip() if apposition else ""
    return _Mention((word,), word, sentence, start, end, "", role, bool(role))


_ROLE_WORDS = frozenset(ROLE_NOUNS.split("|"))
_LAST_WORDS = re.compile(r"[^\W\d_]+")


def _role(before: str, after: str) -> str:
    tail = before[-80:]
    words = _LAST_WORDS.findall(tail[-50:].lower())
    prior = _ROLE_BEFORE.search(tail) if _ROLE_WORDS.intersection(words[-6:]) else None
    if prior:
        return prior.group(1)
    apposition = _APPOSITION.match(after)
    return apposition.group(1).strip() if apposition else ""


def _is_full_person(mention: _Mention) -> bool:
    names = _name_tokens(list(mention.tokens))
    if len(names) < 2:
        return bool(mention.honorific) or (mention.cued and bool(mention.role))
    return _is_given(names[0]) or mention.cued


def _size(mention: _Mention) -> tuple[int, int]:
    return len(mention.tokens), len(mention.surface)


def _collect(sentences: tuple[Sentence, ...], skip: frozenset[int]) -> list[_Person]:
    mentions = [m for s in sentences if s.index not in skip for m in _mentions_in(s)]
    people: list[_Person] = []
    for mention in mentions:
        if _is_full_person(mention):
            person = _match(people, mention)
            if person is None:
                people.append(_Person(mention, mention))
            elif _size(mention) > _size(person.best):
                person.best = mention
    for mention in mentions:
        person = _match(people, mention)
        if person is None:
            continue
        person.mentions += 1
        person.role = person.role or mention.role
        surface = f"{mention.honorific} {mention.surface}".strip()
        if surface not in person.surfaces:
            person.surfaces.append(surface)
    return sorted(people, key=lambda p: (p.best.sentence.index, p.best.start))


def _match(people: list[_Person], mention: _Mention) -> _Person | None:
    surname = _surname(mention.tokens)
    same = [p for p in people if _surname(p.best.tokens) == surname]
    fitting = [p for p in same if _compatible(mention, p.best) or _compatible(p.best, mention)]
    if len(fitting) == 1:
        return fitting[0]
    if len(_name_tokens(list(mention.tokens))) == 1:
        return None  # a bare surname shared by two people names neither for sure
    return fitting[0] if fitting else None


def _compatible(mention: _Mention, best: _Mention) -> bool:
    names = [fold(t) for t in _name_tokens(list(mention.tokens))]
    full = [fold(t) for t in _name_tokens(list(best.tokens))]
    return all(t in full for t in names)


def _keys(people: list[_Person]) -> list[str]:
    surnames = [_surname(p.best.tokens) for p in people]
    keys = []
    for person, surname in zip(people, surnames):
        if surnames.count(surname) > 1:
            keys.append("person:" + fold(" ".join(_name_tokens(list(person.best.tokens)))))
        else:
            keys.append("person:" + surname)
    return keys


def person_claims(sentences: tuple[Sentence, ...], skip: frozenset[int] = frozenset()) -> list[Claim]:
    """One claim per person named in the article, at the sentence of the fullest mention."""
    people = _collect(sentences, skip)
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
