"""Casualty claims: how many were killed, injured, missing or taken hostage.

Conventions (see also factwatch.claims.numbers):
- value is digits ("27840") or a range ("2-6"); vague plurals are ranges
  ("dozens" -> "24-99", attribute approximate=dozens); "a dozen" is 12; a lone
  victim ("a passenger was killed") is 1.
- key = "casualty:<outcome>:<group key>[:<place or event>]", lowercased. It names
  WHICH toll, never the number, so "at least 13 killed in Rafah" and "at least 17
  people were killed in Rafah" align. A toll with no place or event of its own
  inherits the place of the latest earlier toll with the same outcome and group,
  so a restatement ("the overnight strikes killed at least 13 people") shares the
  key of the toll it restates; keys may therefore repeat within one article.
- Breakdowns ("including two women and five children") have role=breakdown,
  parent=<total key> and key=<total key>/<group key>.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from factwatch.claims.model import Claim
from factwatch.claims.numbers import NUMBER, QUALIFIER, format_value, is_vague, normalise_qualifier, parse_number
from factwatch.claims.victims import (
    SINGULAR_HEADS, find_attribution, find_event, find_place, group_key, group_label, read_group,
)

_OUTCOMES = {
    "killed": "killed", "dead": "killed", "died": "killed", "perished": "killed",
    "murdered": "killed", "slain": "killed", "deaths": "killed", "fatalities": "killed",
    "injured": "injured", "wounded": "injured", "hurt": "injured", "injuries": "injured",
    "hospitalised": "injured", "hospitalized": "injured", "missing": "missing",
    "kidnapped": "hostage", "abducted": "hostage", "hostage": "hostage",
}
# Matched against the lowercased sentence: a literal alternation is much cheaper than IGNORECASE.
_OUTCOME_STEMS = re.compile(
    "kill|dead|died|death|fatalit|perish|murder|slain|injur|wound|hurt|missing|hostage|kidnap|abduct|hospitali|toll"
)
_COUNT = re.compile(rf"(?:\b(?P<q>{QUALIFIER})\s+)?(?P<n>{NUMBER})(?!\s*%)", re.IGNORECASE)
_AUX = (
    r"(?:(?:who|that|have|has|had|were|was|are|is|been|be|being|reportedly|also|all|later|since|now|"
    r"confirmed|reported|believed|feared|known|to|may|might|could|critically|seriously|badly|"
    r"slightly|fatally|severely|either|both|allegedly|still|more|others|remain|remained|remains|now)\s+){0,4}"
)
_PASSIVE = re.compile(
    rf"(?:\s+(?:in|from|across|at)\s+(?:[\w'’-]+\s+){{0,3}}?[\w'’-]+)?\s+{_AUX}"
    r"(?P<o>killed|dead|died|perished|murdered|slain|injured|wounded|hurt|missing|kidnapped|abducted|"
    r"hospitali[sz]ed|(?:taken|held)\s+hostage|stabbed\s+to\s+death|shot\s+dead|shot\s+and\s+killed|"
    r"lost\s+their\s+lives)\b",
    re.IGNORECASE,
)
_NOMINAL = re.compile(
    r"\s+(?:(?!and\b|or\b)[\w-]+\s+){0,2}?(?P<o>deaths|fatalities|dead|injuries)\b(?!\s+of\b)", re.IGNORECASE
)
_ACTIVE = re.compile(
    r"\b(?P<v>kill(?:ed|ing|s)?|injur(?:ed|ing|es)|wound(?:ed|ing|s)?|abduct(?:ed|ing|s)?|"
    r"kidnapp(?:ed|ing)|claim(?:ed|ing|s)?\s+the\s+lives\s+of|deaths\s+of|"
    r"among\s+the\s+(?:dead|killed|injured|wounded|missing)\s+(?:were|was|are|is))\s+(?:(?:a\s+total\s+of)\s+)?$",
    re.IGNORECASE,
)
_TOLL = re.compile(
    r"\b(?:death\s+|casualty\s+)?toll\s+(?:[\w-]+\s+){0,7}?(?:to|at|of|reached|hit|is|was|stands\s+at)\s+$",
    re.IGNORECASE,
)
_CHAIN = re.compile(rf"\s+and\s+(?:(?:{QUALIFIER})\s+)?(?:{NUMBER})", re.IGNORECASE)
_INCLUDING = re.compile(r",?\s+(?:including|among\s+them|among\s+whom|of\s+whom)\s+", re.IGNORECASE)
_BREAKDOWN_SEP = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+)", re.IGNORECASE)
_LONE = re.compile(
    r"\b(?P<det>an?|one|another|the)\s+(?P<g>(?:[a-z][\w-]*\s+){0,2}?"
    rf"(?:{'|'.join(SINGULAR_HEADS)}))(?:,\s+\d{{1,3}},)?\s+{_AUX}"
    r"(?P<o>killed|died|dead|injured|wounded|hurt|missing|kidnapped|abducted|stabbed\s+to\s+death|"
    r"shot\s+dead|found\s+dead|pronounced\s+dead)\b"
    r"|\b(?P<v>kill(?:ed|ing|s)|injur(?:ed|ing)|wound(?:ed|ing))\s+(?P<det2>an?|one)\s+"
    rf"(?P<g2>(?:[a-z][\w-]*\s+){{0,2}}?(?:{'|'.join(SINGULAR_HEADS)}))\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?:1[89]|20)\d\d")


@dataclass(frozen=True, slots=True)
class _Found:
    start: int
    end: int
    outcome: str
    group: str
    bounds: tuple[int, int]
    qualifier: str
    number_text: str


def _outcome_word(word: str) -> str:
    word = " ".join(word.lower().split())
    if word in _OUTCOMES:
        return _OUTCOMES[word]
    if word.endswith("hostage"):
        return "hostage"
    return "killed" if ("death" in word or "dead" in word or "killed" in word or "lives" in word) else "injured"


def _active_outcome(verb: str) -> str:
    verb = verb.lower()
    if verb.startswith("among"):
        return _outcome_word(verb.split()[2])
    if verb.startswith(("kill", "claim", "deaths")):
        return "killed"
    if verb.startswith(("abduct", "kidnap")):
        return "hostage"
    return "injured"


def _outcome_after(sentence: str, pos: int) -> str:
    """Outcome stated after a count and its group, following "and <count> <group>" chains."""
    for _ in range(4):
        passive = _PASSIVE.match(sentence, pos)
        if passive:
            return _outcome_word(passive.group("o"))
        chain = _CHAIN.match(sentence, pos)
        if not chain:
            return ""
        group = read_group(sentence, chain.end())
        pos = group[1] if group else chain.end()
    return ""


def _read_count(sentence: str, match: re.Match) -> _Found | None:
    number_text = match.group("n")
    bounds = parse_number(number_text)
    if bounds is None:
        return None
    start = match.start()
    before = sentence[:start]
    group = read_group(sentence, match.end(), allow_of=is_vague(number_text))
    after = group[1] if group else match.end()
    outcome = ""
    active = _ACTIVE.search(before[-60:])
    toll = _TOLL.search(before[-60:])
    if active:
        outcome = _active_outcome(active.group("v"))
    elif toll and not group:
        outcome = "killed"
    if not outcome:
        outcome = _outcome_after(sentence, after)
    if not outcome:
        nominal = _NOMINAL.match(sentence, after)
        if nominal and not group:
            outcome, after = _outcome_word(nominal.group("o")), nominal.end()
    if not outcome or _is_trap(sentence, match, number_text, group):
        return None
    label = group_label(group[0]) if group else "people"
    qualifier = normalise_qualifier(match.group("q") or "")
    return _Found(start, after, outcome, label, bounds, qualifier, number_text)


def _is_trap(sentence: str, match: re.Match, number_text: str, group) -> bool:
    start = match.start("n")
    if group is None and _YEAR.fullmatch(number_text.strip()):
        return True
    if group is None and re.search(r"\bthe\s+$", sentence[:start], re.IGNORECASE):
        return True  # "one of the three killed": a reference back to a toll, not a new one
    before, after = sentence[:start].rstrip(), sentence[match.end():]
    return before.endswith(",") and after.startswith(",") and group is None  # an age


def _breakdowns(sentence: str, end: int) -> list[_Found]:
    lead = _INCLUDING.match(sentence, end)
    if not lead:
        return []
    found: list[_Found] = []
    pos = lead.end()
    while True:
        match = _COUNT.match(sentence, pos)
        bounds = parse_number(match.group("n")) if match else None
        group = read_group(sentence, match.end()) if match and bounds else None
        if not group:
            return found
        qualifier = normalise_qualifier(match.group("q") or "")
        found.append(_Found(match.start(), group[1], "", group_label(group[0]), bounds, qualifier, match.group("n")))
        sep = _BREAKDOWN_SEP.match(sentence, group[1])
        if not sep:
            return found
        pos = sep.end()


def _lone_victims(sentence: str, taken: list[tuple[int, int]]) -> list[_Found]:
    found = []
    for match in _LONE.finditer(sentence):
        if any(s <= match.start() < e or match.start() <= s < match.end() for s, e in taken):
            continue
        if match.group("g"):
            det, group, outcome = match.group("det"), match.group("g"), _outcome_word(match.group("o"))
            start = match.start("det")
        else:
            det, group, outcome = match.group("det2"), match.group("g2"), _active_outcome(match.group("v"))
            start = match.start("det2")
        label = " ".join(w for w in group.split() if w.lower() not in ("the",))
        found.append(_Found(start, match.end(), outcome, label, (1, 1), "", det))
    return found


def find_casualties(sentence: str) -> list[tuple[_Found, list[_Found]]]:
    """Totals (each with its breakdowns) stated in one sentence."""
    if not _OUTCOME_STEMS.search(sentence.lower()):
        return []
    results: list[tuple[_Found, list[_Found]]] = []
    consumed = -1
    for match in _COUNT.finditer(sentence):
        if match.start() < consumed:
            continue
        total = _read_count(sentence, match)
        if total is None:
            continue
        parts = _breakdowns(sentence, total.end)
        parts = [_Found(p.start, p.end, total.outcome, p.group, p.bounds, p.qualifier, p.number_text) for p in parts]
        consumed = max([total.end] + [p.end for p in parts])
        results.append((total, parts))
    taken = [(t.start, max([t.end] + [p.end for p in parts])) for t, parts in results]
    results.extend((lone, []) for lone in _lone_victims(sentence, taken))
    return sorted(results, key=lambda item: item[0].start)


def casualty_claims(sentence: str, index: int, places: dict[str, str]) -> list[Claim]:
    """Casualty claims for one sentence; `places` carries toll places forward for restatements."""
    claims: list[Claim] = []
    attribution = ""
    for total, parts in find_casualties(sentence):
        attribution = attribution or find_attribution(sentence)
        place = find_place(sentence, total.start, total.end)
        event = find_event(sentence, total.end)
        base = f"{total.outcome}:{group_key(total.group)}"
        where = place.lower() or places.get(base, "") or event
        if place:
            places[base] = place.lower()
        key = f"casualty:{base}" + (f":{where}" if where else "")
        extra = (("place", place), ("event", event), ("attribution", attribution))
        claims.append(_claim(sentence, index, total, key, (("role", "total"),) + extra))
        for part in parts:
            part_key = f"{key}/{group_key(part.group)}"
            part_extra = (("role", "breakdown"), ("parent", key)) + extra
            claims.append(_claim(sentence, index, part, part_key, part_extra))
    return claims


def _claim(sentence: str, index: int, found: _Found, key: str, extra) -> Claim:
    attributes = [("outcome", found.outcome), ("group", found.group)]
    attributes += [(name, value) for name, value in extra if value]
    if is_vague(found.number_text):
        attributes.append(("approximate", " ".join(found.number_text.lower().split())))
    return Claim(
        claim_type="casualty", key=key, value=format_value(found.bounds),
        text=sentence[found.start:found.end], sentence=sentence, start=found.start, end=found.end,
        sentence_index=index, qualifier=found.qualifier, attributes=tuple(sorted(attributes)),
    )
