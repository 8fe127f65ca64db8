"""Counts written without a number: a lone victim ("a passenger was killed") and ordinal tolls.

- A lone victim is 1: "a passenger was killed", "killing a guard", "the killing of a
  guard", "critical injuries to a girl". "The death of a hunter" is not counted: a
  single death told as an event is usually the story's subject, named later.
- A definite lone victim ("the man died") after a count with the same outcome is the
  same person told again, not a new death, so it yields nothing.
- An ordinal toll is the count it implies: "a 6th fatality" is 6 killed, "the third
  lawmaker to die this year" is 3.
"""

from __future__ import annotations

import re

from factwatch.claims.outcomes import (
    AMONG_THE_DEAD, AUX, PASSIVE, WEAK_INJURED, active_outcome, outcome_of, passive_outcome,
)
from factwatch.claims.victims import SINGULAR_HEADS

_HEADS = "|".join(sorted(SINGULAR_HEADS, key=len, reverse=True))
_MODIFIERS = r"(?:(?!and\b|or\b)[a-z0-9][\w-]*\s+){0,2}?"  # "a woman and child" is two heads, not one
# "Grant's husband", "the girl's mother": a possessive determines a lone victim as "a" does.
_POSSESSIVE = r"(?:[A-Z][\w-]*|the\s+[a-z]+)['’]s"
# "a 19-year-old was killed": an age used as the noun
_AGE_NOUN = r"(?:\d{1,3}|[a-z]+(?:-[a-z]+)?)-year-old(?=\s+(?:was|were|is|has|had|died|man|woman|and\s+an?\s))"
# An age told beside the victim: "a man, 45,", "a woman in her 60s", "a man aged 70".
_AGE = r"(?:,\s+\d{1,3},|\s+in\s+(?:his|her|their)\s+(?:early\s+|late\s+|mid-)?\d0s|\s+aged\s+\d{1,3})?"
_ASIDE = r"(?:,\s+[^,.;:()]{1,40},)?"  # "the man, who has not been named, died"
# A first verb phrase the victim did before the outcome: "a man arrived at a clinic and was pronounced dead",
# "one victim was located at the scene with a gunshot wound and was pronounced dead".
_FIRST_VERB = r"(?:\s+(?:was\s+|who\s+)?[a-z]{3,}ed\b[^,.;:()\"“”]{0,70}?\s+and(?=\s+(?:was|died|later)\b))?"
# The victim first: "a passenger was killed", "another was critically injured".
_LONE = re.compile(
    # where a lone victim can start: a determiner (a, an, one, the, his, her, their, another), a
    # capitalised possessive, or a head right after "and"; (?-i:) keeps [A-Z] to capitals under IGNORECASE
    rf"\b(?=[aoth]|(?-i:[A-Z])|(?<=\sand\s))(?:(?:(?P<det0>an?|one|his|her|their)\s+(?P<g0>{_MODIFIERS}(?:{_HEADS})|{_AGE_NOUN}){_AGE}\s+and\s+)?"
    rf"(?:(?:(?P<det>an?|one|another|the|his|her|their|{_POSSESSIVE})\s+|(?<=\sand\s))"
    rf"(?P<g>{_MODIFIERS}(?:{_HEADS})|{_AGE_NOUN})"
    rf"|(?P<det1>another|one\s+other|a\s+(?:second|third|fourth|fifth)(?=\s+(?:was|is|has|had|died)\b))(?P<g1>))"
    rf"{_AGE}{_ASIDE}{_FIRST_VERB}\s+(?P<aux>{AUX})"
    r"(?P<o>killed|died|dead|injured|wounded|hurt|missing|kidnapped|abducted|stabbed\s+to\s+death|drowned|perished|"
    r"shot\s+dead|found\s+dead|pronounced\s+dead|martyred|fatally\s+(?:shot|stabbed|wounded|injured|struck|hit)|"
    r"shot\s+and\s+(?:killed|wounded|injured)|among\s+(?:the|those)\s+(?:dead|killed|injured|wounded|missing)|"
    r"(?:struck|hit|run\s+over|stabbed|beaten|attacked|crushed)\s+and\s+(?:killed|injured|wounded)|"
    r"(?:taken|rushed|airlifted|flown|transported|admitted)\s+to\s+(?:a\s+|the\s+|local\s+|nearby\s+)*hospital|"
    r"in\s+(?:a\s+)?(?:critical|serious|grave|life-threatening)\s+condition|"
    r"(?:(?<=\bwas\s)|(?<=\bwere\s)|(?<=\bbeen\s))(?:shot|stabbed)(?!\s+(?:to|dead|and|at|by\s+(?:a\s+)?camera)\b))\b)",
    re.IGNORECASE,
)
# The verb first: "killing a guard", "claimed the life of a boy", "wounded his son".
_LONE_OBJECT = re.compile(
    r"\b(?=[kiwmcatdb])(?P<v>kill(?:ed|ing|s)|injur(?:ed|ing)|wound(?:ed|ing)|(?:killing|murder|(?<=the\s)body)\s+of|"
    rf"{AMONG_THE_DEAD}(?:\s+(?:in|during|by|at|on)\s+[^,.;]{{1,50}}?)?\s+(?:were|was|are|is)|"  # "... in the strike were"
    r"(?:the\s+)?(?:dead|killed|injured|wounded|missing)\s+includ(?:e|es|ed)|"
    r"injur(?:y|ies)\s+to|claim(?:ed|ing|s)?\s+the\s+li(?:fe|ves)\s+of)\s+"
    rf"(?P<det2>an?|one|his|her|their|{_POSSESSIVE})\s+"
    rf"(?P<g2>{_MODIFIERS}(?:{_HEADS}))\b",
    re.IGNORECASE,
)
# A headline's lone victim, with no determiner: "Philadelphia firefighter dies in collapsed building",
# "Teen killed in crash". Only at the start of a sentence, before a capitalised name or two at most.
_HEADLINE = re.compile(
    rf"^\W*(?:(?!(?:the|a|an|this|that|his|her|their|its|our|one|another|no)\b)[A-Z][\w.'’-]*\s+){{0,2}}?"
    rf"(?P<g3>(?:{_HEADS}))\s+"
    r"(?P<o3>dies|died|killed|drowns|drowned|shot\s+dead|stabbed\s+to\s+death|injured|hurt|wounded)\b",
    re.IGNORECASE,
)
# "killing two officers and injuring another": one more victim, named by "another" alone.
_ANOTHER_OBJECT = re.compile(
    r"\b(?P<v>kill(?:ed|ing)|injur(?:ed|ing)|wound(?:ed|ing))\s+(?P<det2>another)(?P<g2>)(?=\s*(?:[,.;:]|$|\s(?:in|on|at|near|during|before|after|and|while|when)\b))",
    re.IGNORECASE,
)
_ORDINALS = {
    "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20,
}
_ORDINAL = rf"(?:\d{{1,4}}(?:st|nd|rd|th)|{'|'.join(_ORDINALS)})"
_ORDINAL_TOLL = re.compile(
    rf"\b(?=[at])(?:(?:an?|the)\s+(?P<ord>{_ORDINAL})\s+(?:[\w-]+\s+){{0,2}}?(?:fatality|death)\b"
    rf"|an?\s+(?P<ord2>{_ORDINAL})\s+(?:[\w-]+\s+){{0,2}}?victim\b"
    rf"|the\s+(?P<ord3>{_ORDINAL})\s+(?P<g>{_MODIFIERS}(?:{_HEADS}|person))\s+(?:[\w'’-]+\s+){{0,6}}?"
    r"to\s+(?:die|be\s+killed)\b)",
    re.IGNORECASE,
)
_FOUND_BEFORE = re.compile(r"\b(?:recover|retriev|f(?:ou|i)nd|pull|discover|identif)\w*\s+$", re.IGNORECASE)
_NEGATED = re.compile(r"\b(?:no|not)\s+$", re.IGNORECASE)  # "no one was killed"
# A lone victim listed as part of a total: "killed four civilians, including a child". Only nouns of
# age and sex count here; "including a senior commander" singles out someone the story names.
LONE_PART = re.compile(
    rf"(?P<det>an?|one)\s+(?P<g>{_MODIFIERS}(?:man|woman|child|boy|girl|baby|infant|toddler|teenager|person))\b(?!['’-])",
    re.IGNORECASE,
)
# A lone victim joined to a count that shares its verb: "killed two guards and a driver",
# "a father and his two sons drowned".
_AND_LONE_AFTER = re.compile(
    rf"\s*(?:,\s*(?:and\s+)?|\s+and\s+)(?P<det>an?|one)\s+(?P<g>{_MODIFIERS}(?:{_HEADS}))\b(?!['’-])", re.IGNORECASE
)
_LONE_AND_BEFORE = re.compile(
    rf"\b(?P<det>an?|one|his|her|their)\s+(?P<g>{_MODIFIERS}(?:{_HEADS}))\s+and\s+(?:(?:his|her|their)\s+)?$",
    re.IGNORECASE,
)
_MEMORY = "\x00outcome:"  # per-article memory entries, beside the toll places in the same dict


def _ordinal_value(word: str) -> int:
    word = word.lower()
    return int(word[:-2]) if word[0].isdigit() else _ORDINALS[word]


def lone_victims(sentence: str, taken: list[tuple[int, int]], memory: dict[str, str]) -> list[tuple]:
    """(start, end, outcome, group, value, surface) for each count written without a number."""
    found = []
    matches = sorted([*_LONE.finditer(sentence), *_LONE_OBJECT.finditer(sentence), *_ANOTHER_OBJECT.finditer(sentence)],
                     key=lambda m: m.start())
    for match in matches:
        if _overlaps(match, taken) or any(f[0] <= match.start() < f[1] for f in found):
            continue
        if match.re is _LONE:
            if not (match.group("det") or match.group("det1") or match.group("g0")):
                continue  # a head after "and" counts only beside a first victim: "a woman and child"
            det = match.group("det") or match.group("det1") or "a"
            group, outcome = match.group("g") or "person", passive_outcome(match)
            if match.group("o").lower() in ("shot", "stabbed"):
                outcome = WEAK_INJURED  # "one victim was shot": hurt, unless the story already counted the dead
            start = match.start("det") if match.group("det") else match.start("det1") if match.group("det1") \
                else match.start("g")
        else:
            det, group, outcome = match.group("det2"), match.group("g2") or "person", active_outcome(match.group("v"))
            start = match.start("det2")
            if match.group("v").lower().startswith("body") and _MEMORY + outcome in memory:
                continue  # "the body of a man lay in the street": one of the dead the story has counted
        told = _MEMORY + outcome in memory or any(f[2] == outcome for f in found)  # before, or earlier in this sentence
        if not outcome or (det.lower() == "the" and told) or _NEGATED.search(sentence, 0, start):
            continue
        if match.re is _LONE and match.group("g0"):  # "a man and a woman were killed": two lone victims
            found.append((match.start("det0"), match.end("g0"), outcome, _label(match.group("g0")), 1, "a"))
        found.append((start, match.end(), outcome, _label(group), 1, det))
        second = _AND_LONE_AFTER.match(sentence, match.end()) if match.re is _LONE_OBJECT else None
        if second and not _overlaps(second, taken):  # "wounding a soldier and a police officer": two people
            found.append((second.start("det"), second.end("g"), outcome, _label(second.group("g")), 1, second.group("det")))
    headline = _HEADLINE.match(sentence) if not found else None
    if headline and not _overlaps(headline, taken):
        found.append((headline.start("g3"), headline.end(), outcome_of(headline.group("o3")),
                      _label(headline.group("g3").lower()), 1, "a"))
    for match in _ORDINAL_TOLL.finditer(sentence):
        name = "ord" if match.group("ord") else "ord2" if match.group("ord2") else "ord3"
        value = _ordinal_value(match.group(name))
        if value < 2 or _overlaps(match, taken):
            continue
        outcome = "killed"
        if name == "ord2":  # "a second victim died", "a third victim was taken to hospital": the verb says what
            told = PASSIVE.match(sentence, match.end())
            outcome = passive_outcome(told) if told else ""
            if not told and _FOUND_BEFORE.search(sentence, max(0, match.start() - 40), match.start()):
                outcome = "killed"  # "crews recovered a 19th victim": a body found
            if not outcome:
                continue
        found = [f for f in found if not match.start() <= f[0] < match.end()]  # "a second victim" is no lone victim
        group = " ".join(match.group("g").split()) if match.group("g") else "people"
        found.append((match.start(name), match.end(), outcome, group, value, match.group(name)))
    return found


def lone_beside(sentence: str, start: int, end: int, active: bool) -> tuple | None:
    """(start, end, group, surface) of a lone victim coordinated with the count at start..end.

    After the count when its verb came first ("killed two guards and a driver"), before it
    otherwise ("a father and his two sons drowned", "killed a mother and her three children").
    """
    if active:
        match = _AND_LONE_AFTER.match(sentence, end)
    else:
        match = _LONE_AND_BEFORE.search(sentence, max(0, start - 60), start)
    if match is None or _NEGATED.search(sentence, 0, match.start("det")):
        return None
    return match.start("det"), match.end("g"), _label(match.group("g")), match.group("det")


def _label(group: str) -> str:
    return "people" if group.endswith("year-old") else " ".join(w for w in group.split() if w.lower() != "the")


_DETERMINERS = frozenset("a an one".split())
_GENERIC = frozenset("man woman person boy girl child victim teenager".split())


def lone_key(memory: dict[str, str], outcome: str, group: str, det: str, key: str, index: int) -> str:
    """The key of a lone victim: one death told again as "a man" after "a passenger" keeps the first key.

    Only a generic person noun ("a man", "a victim") in a later sentence is taken as the same
    person; "a soldier" after "a passenger" is someone else, and so are "another man" and the
    second of "a man and a woman". `index` is the sentence's place in the article.
    """
    if det.lower() not in _DETERMINERS:
        return key
    slot = f"{_MEMORY}lone:{outcome}"
    first = memory.get(slot)
    if first is None:
        memory[slot] = f"{index}\x00{key}"
        return key
    first_index, _, first_key = first.partition("\x00")
    return first_key if group.split()[-1].lower() in _GENERIC and first_index != str(index) else key


def counted_any(memory: dict[str, str]) -> bool:
    """True once the article has counted anyone, with any outcome."""
    return any(key.startswith(_MEMORY) and not key.startswith(_MEMORY + "lone:") for key in memory)


def remember_outcome(memory: dict[str, str], outcome: str) -> None:
    """Note that the article has counted someone with this outcome (for back-references)."""
    memory[_MEMORY + outcome] = "1"
    memory[_MEMORY + "last"] = outcome


def last_outcome(memory: dict[str, str]) -> str | None:
    """The outcome of the article's latest count, if any ("Fourteen of them are children" is a part of it)."""
    return memory.get(_MEMORY + "last")


def _overlaps(match: re.Match, taken: list[tuple[int, int]]) -> bool:
    return any(s <= match.start() < e or match.start() <= s < match.end() for s, e in taken)
