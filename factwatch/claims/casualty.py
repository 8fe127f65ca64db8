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
- A figure compared with a toll and sharing its outcome by ellipsis ("34 deaths in
  September compared to four in August") has role=comparison, parent=<total key>
  and key=<total key>/comparison.
- Not counts: years and days of a month, ages, rates ("3 times"), negations ("no one
  was killed"), projections ("could die"), the doers ("gunmen killed five") and
  references back ("one of the three killed"). Outcome words live in outcomes.py,
  counts written without a number (lone victims, ordinals) in lone.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from factwatch.claims.lone import (
    LONE_PART, counted_any, last_outcome, lone_beside, lone_key, lone_victims, remember_outcome,
)
from factwatch.claims.model import Claim
from factwatch.claims.numbers import (
    NUMBER, QUALIFIER, format_value, is_range_text, is_vague, normalise_qualifier, parse_number,
)
from factwatch.claims.outcomes import (
    ACTIVE, ACTIVE_OVER_OBJECT, BODIES, COMPARISON, INVERTED, LISTED_TOLL, NOMINAL, PASSIVE, RESULT, REMAINS, REMAINS_NOUN, SINGULAR_NOMINAL, TO_DEATH,
    TO_DEATH_VERB, TOLL,
    LOST, TOLL_AFTER, TOLL_AFTER_LEAD, TOTAL_TO, TRANSITIVE, WEAK_INJURED, active_outcome, mentions_outcome, outcome_of,
    passive_outcome,
)
from factwatch.claims.victims import (
    GROUP_HEADS, find_attribution, find_event, find_place, group_key, group_label, is_group_head, read_group,
)

_COUNT = re.compile(rf"(?:\b(?P<q>{QUALIFIER})\s+)?(?P<n>{NUMBER})(?!\s*%)", re.IGNORECASE)
# Scanning a sentence for counts: the lookahead lets the regex engine skip most positions
# cheaply (every number expression starts with one of these pairs); the qualifier is then
# looked up just before the number, instead of being tried at every position.
_NUMBER_SCAN = re.compile(
    rf"\b(?=\d|a\s|be|do|e[il]|f[io]|ha|hu|mi|ni|on|s[cei]|t[ehw]|ze)(?:{NUMBER})(?!\s*%)", re.IGNORECASE
)
_QUALIFIER_BEFORE = re.compile(rf"\b(?:{QUALIFIER})\s+$", re.IGNORECASE)
# The next count of a list that shares one verb: "four police, two children and two men were killed".
_CHAIN = re.compile(rf"(?:\s*,\s*(?:and\s+)?|\s+and\s+)(?:(?:{QUALIFIER})\s+)?(?:{NUMBER})", re.IGNORECASE)
# "dozens of demonstrators and police were injured", "120 soldiers and pro-regime militiamen were
# killed": a second group shares the verb.
_GROUP_CHAIN = re.compile(
    r"\s+and\s+(?:(?:their|other|some|the|his|her|a|an)\s+)?(?:[\w-]+\s+)?[\w-]+(?=\s+(?:were|was|have|had|are|remain(?:s|ed)?)\b)"
)
# A chained count's group that is no known group noun, right before the list's verb: "and several dozen
# Kurdish forces were also killed".
_UNNAMED_GROUP = re.compile(
    r"(?:\s+(?!(?:and|or|but|were|was|are|is|have|has|had)\b)[\w'’-]+){1,3}?(?=\s+(?:were|was|are|have|had)\b)",
    re.IGNORECASE)
_AND = re.compile(r"\s+and\s+(?:(?:their|other|some|the|his|her)\s+)?")
_ANOTHER_BEFORE = re.compile(r"\band\s+(?:(?:another|a\s+further|an\s+additional)\s+)?$", re.IGNORECASE)
# What may follow a count whose verb is shared by ellipsis: the clause's end or a place or time
# ("and another five outside Kobane"), never a noun of its own ("and 432 new cases").
_ELIDED_END = re.compile(
    r"\s*(?:[,.;:)\"”]|$|(?:in|on|at|near|outside|inside|from|during|across|around|since|after|before|when|while|"
    r"as|according|overnight|yesterday|today|last|this|earlier|later|and|but|with|by|elsewhere)\b)", re.IGNORECASE)
# A list of places after a toll, its verb shared by commas: "..., 23 in Baida, three in Ajdabiya"
# (a named place must follow: "Five were killed, 12 in hospital" is no such list).
_COMMA_BEFORE = re.compile(r",\s+$")
_PLACE_PART = re.compile(r"\s+(?:in|at|near|from|on)\s+(?:the\s+)?[A-Z](?:[\w'’-]|\.(?=\w))*(?:\s+[A-Z](?:[\w'’-]|\.(?=\w))*){0,3}")
_ELIDED_PLACE = re.compile(r"\s+(?:in|at|near|outside|inside|from|on)\s+(?:the\s+)?[A-Z]")
_TOLL_BEFORE = re.compile(r"\b(?:death|casualty)\s+toll\s+$", re.IGNORECASE)
_CLAIMED = re.compile(r"\bclaim(?:ed|ing|s)?\s+(?:the\s+)?$", re.IGNORECASE)
# "took some 240 others hostage": the group taken comes between the verb and "hostage".
_TOOK_BEFORE = re.compile(r"\bt(?:ook|ake|akes|aking|aken)\s+$", re.IGNORECASE)
_HOSTAGE_WORD = re.compile(r"\s+(?:as\s+)?(?:hostages?|captives?|prisoners?)\b", re.IGNORECASE)
_SINGULAR_AFTER = re.compile(r"\s+([a-z]{4,}[^s\W])\b")
# "killed, injured", "killed or wounded", "dead or missing" with one number: a count of casualties, neither outcome's.
_AND_HURT = re.compile(r"\s*(?:[,/]\s*|\s+)(?:(?:and|or|and/or)\s+)?(?:injured|wounded|hurt|missing)\b", re.IGNORECASE)
_KILLED_AND = re.compile(r"\bkill(?:ed|ing)\s*[,/]?\s*(?:(?:and|or)\s+)?$", re.IGNORECASE)
_HOSTAGE_AFTER = re.compile(r"\s+(?:more\s+|other\s+)?hostages?\b", re.IGNORECASE)
# A count with a verb of its own after it ("and another 40 or so were taken to hospitals") shares no outcome by ellipsis.
_OWN_VERB = re.compile(r"[^,.;:]{0,30}?\b(?:were|was|are|is|have|has|had|remain(?:s|ed)?)\b", re.IGNORECASE)
# A plural noun that is not a group of people right after a count: "at two mosques" ends no toll.
_THINGS_AFTER = re.compile(
    r"\s+(?!(?:this|thus|plus|across|unless|besides|perhaps|whereas|towards|afterwards|overseas)\b)[a-z][a-z-]{2,}s\b")
_SIBLING = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+)")
# "16 civilians, including two children,", "1,900 people — most of them civilians and including 600 children —"
_INCLUDING = re.compile(
    r"(?:,|\s*(?:--|[—–]))?\s+(?:(?:most|many|mostly|all)\s+(?:of\s+them\s+)?[\w-]+(?:\s+[\w-]+)?,?\s+and\s+)?"
    r"(?:including|among\s+them|among\s+whom|among\s+which|of\s+whom|of\s+which)\s+", re.IGNORECASE)
_OF_THEM = re.compile(
    rf"\s*(?:[,—–-]\s*|\s)(?:(?P<q>{QUALIFIER})\s+)?(?P<n>{NUMBER})\s+of\s+(?:them|whom)\s+(?:were\s+)?", re.IGNORECASE
)
# "200 were injured, 30 of them seriously": a part of the toll told by how badly.
_SEVERE = r"(?:seriously|critically|badly|severely|gravely)"
_SEVERITY = re.compile(rf"(?:{_SEVERE}|fatally)\b", re.IGNORECASE)
_SEVERITY_PART = re.compile(rf"\s*,\s*(?:(?P<q>{QUALIFIER})\s+)?(?P<n>{NUMBER})\s+{_SEVERE}\b", re.IGNORECASE)
_BREAKDOWN_SEP = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+)", re.IGNORECASE)
_YEAR = re.compile(r"(?:1[89]|20)\d\d")
_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_MONTH_BEFORE = re.compile(rf"\b{_MONTHS}\.?\s+$", re.IGNORECASE)
_MONTH_AFTER = re.compile(rf"(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS}\b", re.IGNORECASE)
# "Nine of the 14 passengers died", "three of whom died": the count is nine; fourteen only says of whom.
_PARTITIVE = re.compile(
    rf"\s+(?:out\s+)?of\s+(?:(?:the|those|them|these|its|their|his|her|our)\b(?:\s+(?:(?:{QUALIFIER})\s+)?{NUMBER})?|(?:whom|which)\b"
    rf"|(?:(?:{QUALIFIER})\s+)?{NUMBER})",
    re.IGNORECASE,
)
_NEGATION_BEFORE = re.compile(r"\b(?:no|not|(?:none|neither)\s+of(?:\s+(?:the|those|these|its|their))?)\s+$", re.IGNORECASE)
_PART_OF_TOLL = re.compile(r"\s+(?:were|are)(?:\s+(?:all|mostly|also))?", re.IGNORECASE)
_TOLL_NOUN_PART = re.compile(
    r"\s+(?P<w>deaths|dead|fatalities|victims|killed|injured|wounded)\s+(?:were|are)(?:\s+(?:all|mostly|also))?", re.IGNORECASE
)
_BARE_LIST = re.compile(r"\b\d+,\s+\d+\b")  # a list of bare numbers (ages, dates), not counts
_PART_PLACE = re.compile(r"\s+(?:in|from)\s+(?:the\s+)?(?:[a-z-]+\s+){0,3}?[A-Z]")  # "were in Kerr County", "from the West Bank"
_NUMBER_IN = re.compile(rf"\b(?:{NUMBER})\b", re.IGNORECASE)
# "a father of six": the count is the size of a family, not of the victims ("a family of four" is).
# Kinship nouns and the adverbs of severity below are general English, written for this project.
# ... and "under the age of 18" is an age.
_PARENT_OF = re.compile(r"\b(?:(?:father|mother|mum|mom|dad|parent|grandfather|grandmother|grandparent)s?|ages?)\s+of\s+$",
                        re.IGNORECASE)
_RECIPROCAL = re.compile(r"\s+(?:another|other)\b", re.IGNORECASE)  # "killing one another"
# Who a side "loses" in fighting: general English nouns for armed men, written for this project.
_ARMED = frozenset("soldiers troops fighters militants men rebels insurgents gunmen militiamen servicemen "
                   "personnel officers policemen guards members".split())
_NOT_A_COUNT_AFTER = re.compile(
    r"\s*(?:times|per\s*cent|percent|per\b|years?\b|-year)"
    r"|(?:\s+[\w-]+){0,3}?\s+(?:in|for|out\s+of)\s+every\b",  # a rate: "37 people killed in every 100 crashes"
    re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Count:
    """A number in a sentence with the qualifier before it; answers like a match of _COUNT."""

    number: re.Match
    qualifier: re.Match | None

    def group(self, name: str) -> str | None:
        """The number ("n") or the qualifier ("q") as written."""
        if name == "n":
            return self.number.group()
        return self.qualifier.group().strip() if self.qualifier else None

    def start(self, name: str = "") -> int:
        """Where the number ("n") or the whole count, qualifier included, starts."""
        return self.number.start() if name == "n" or self.qualifier is None else self.qualifier.start()

    def end(self) -> int:
        """Where the number ends."""
        return self.number.end()


@dataclass(frozen=True, slots=True)
class _Found:
    start: int
    end: int
    outcome: str
    group: str
    bounds: tuple[int, int]
    qualifier: str
    number_text: str
    role: str = "total"
    active: bool = False  # the outcome verb came before the count ("killed 31 villagers")


def _outcome_after(sentence: str, pos: int) -> str:
    """Outcome stated after a count and its group, following "and <count> <group>" chains."""
    for _ in range(4):
        passive = PASSIVE.match(sentence, pos)
        if passive:
            outcome = passive_outcome(passive)
            if outcome == "killed" and _AND_HURT.match(sentence, passive.end()):
                return "-"  # "175 killed, injured": casualties, not deaths
            return outcome or "-"
        chain = _CHAIN.match(sentence, pos) or _GROUP_CHAIN.match(sentence, pos)
        if not chain:
            joined = _AND.match(sentence, pos)
            group = read_group(sentence, joined.end()) if joined else None
            if group is None or not is_group_head(group[0].split()[-1]):
                return ""
            pos = group[1]
            continue
        group = read_group(sentence, chain.end())
        unnamed = None if group else _UNNAMED_GROUP.match(sentence, chain.end())
        pos = group[1] if group else unnamed.end() if unnamed else chain.end()
    return ""


def _outcome(sentence: str, start: int, after: int, group, previous: _Found | None) -> tuple[str, int, bool]:
    """(outcome, end of claim, nominal?) for a count at start whose group ends at after.

    A count joined to an active toll before it shares its verb: "killed 31 villagers and seven soldiers".
    """
    window = sentence[max(0, start - 100):start]
    active = ACTIVE.search(window)
    if active and _KILLED_AND.search(window, 0, active.start()):
        return "", after, False  # "killing and injuring dozens": casualties, not one outcome
    listed = LISTED_TOLL.match(sentence, max(0, start - 1)) if active else None
    if listed and listed.start() < start <= listed.start("o"):
        return outcome_of(listed.group("o")), after, False  # "... killed 40 injured in rocket fire": its own outcome
    if active:
        return active_outcome(active.group("v")), after, False
    if TO_DEATH_VERB.search(window) and TO_DEATH.match(sentence, after):
        return "killed", after, False  # "shot 15 of the villagers to death"
    inverted = INVERTED.match(sentence[:start]) if start < 120 else None
    if inverted:
        return outcome_of(inverted.group("o")), after, False
    if group is None and _TOLL_BEFORE.search(window):
        return "killed", after, False  # "put the death toll as high as 37"
    toll = TOLL.search(sentence, max(0, start - 160), start)  # a toll may name its place at length
    if toll and (_is_people_group(group) or (group is None and not _THINGS_AFTER.match(sentence, after))):
        return outcome_of(toll.group("w") or toll.group("w2") or "dead"), after, False
    toll = TOLL_AFTER.match(sentence, after) if group is None and TOLL_AFTER_LEAD.search(window) else None
    if toll:  # the claim runs to the toll's noun, so a part told after it is found: "..., including nine women"
        return outcome_of(toll.group("w") or "dead"), toll.end(), False
    if previous is not None and group is None and TOTAL_TO.search(window):
        return previous.outcome, after, False  # "six were killed on Monday, bringing the total this month to 40"
    if RESULT.search(window):
        passive = PASSIVE.match(sentence, after)
        if passive and passive.group("o").lower() in TRANSITIVE | {"dead", "missing"}:
            if _AND_HURT.match(sentence, passive.end()) and passive.group("o").lower() in ("killed", "dead"):
                return "", after, False  # "leaving dozens killed and injured": casualties, neither outcome
            return outcome_of(passive.group("o")), after, False
    if group is None and _HOSTAGE_AFTER.match(sentence, after):
        return "hostage", _HOSTAGE_AFTER.match(sentence, after).end(), True
    if group is not None and group_key(group_label(group[0])) == "victims" and _CLAIMED.search(window):
        return "killed", after, False  # "the disease claimed 6,536 victims"
    if group is None and REMAINS.search(window):
        remains = REMAINS_NOUN.match(sentence, after)
        if remains:
            return "killed", remains.end(), True
    outcome = _outcome_after(sentence, after)
    if outcome:
        return ("" if outcome == "-" else outcome), after, False
    if group is None:
        nominal = NOMINAL.match(sentence, after) or BODIES.match(sentence, after)
        if nominal:
            return outcome_of(nominal.group("o") if nominal.re is NOMINAL else "dead"), nominal.end(), True
    elif group_key(group_label(group[0])).endswith(("hostages", "captives")):
        return "hostage", after, True
    if previous is not None and previous.active and group and _SIBLING.fullmatch(sentence, previous.end, start):
        return previous.outcome, after, False
    over = ACTIVE_OVER_OBJECT.search(window)
    if over and group:
        return active_outcome(over.group("v")), after, False
    if LOST.search(window) and _is_people_group(group) and group_key(group_label(group[0])).split()[-1] in _ARMED:
        return "killed", after, False  # "the army lost 40 soldiers"
    return "", after, False


def _read_count(sentence: str, match: re.Match, previous: _Found | None = None) -> _Found | None:
    number_text = match.group("n")
    bounds = parse_number(number_text)
    if bounds is None or _is_trap(sentence, match, number_text, bounds):
        return None
    partitive = _PARTITIVE.match(sentence, match.end())
    if partitive:
        return _read_partitive(sentence, match, partitive.end(), bounds)
    group = read_group(sentence, match.end(), allow_of=is_vague(number_text)) or _misspelt_group(sentence, match)
    after = group[1] if group else match.end()
    others = group is not None and group_key(group_label(group[0])) == "others"
    elided = (_ANOTHER_BEFORE.search(sentence, max(0, match.start() - 30), match.start())
              and _ELIDED_END.match(sentence, after)) or (  # "20 were killed in Benghazi, 23 in Baida, ..."
        _COMMA_BEFORE.search(sentence, max(0, match.start() - 3), match.start()) and _ELIDED_PLACE.match(sentence, after))
    if (group is None or others) and previous is not None and elided and not _OWN_VERB.match(sentence, after) \
            and not _BARE_LIST.search(sentence, previous.end, match.start()):  # "children ages 6, 8, 9, and 10"
        # "30 militants were killed around Shadadi and another five outside Kobane", "8,260 were killed
        # in Gaza, and 122 others in the West Bank": the verb, and the group if none is named, are shared
        qualifier = normalise_qualifier(match.group("q") or "")
        return _Found(match.start(), after, previous.outcome, group_label(group[0]) if others else previous.group,
                      bounds, qualifier, number_text)
    if _TOOK_BEFORE.search(sentence, max(0, match.start() - 12), match.start()) and _HOSTAGE_WORD.match(sentence, after):
        qualifier = normalise_qualifier(match.group("q") or "")
        return _Found(match.start(), _HOSTAGE_WORD.match(sentence, after).end(), "hostage",
                      group_label(group[0]) if group else "people", bounds, qualifier, number_text)
    outcome, after, nominal = _outcome(sentence, match.start(), after, group, previous)
    if not outcome and bounds == (1, 1) and group is None:
        single = SINGULAR_NOMINAL.match(sentence, match.end())
        if single:
            outcome, after, nominal = outcome_of(single.group("o")), single.end(), True
    if not outcome or _is_reference(sentence, match, group, nominal):
        return None
    label = group_label(group[0]) if group else "people"
    qualifier = normalise_qualifier(match.group("q") or "")
    active = bool(ACTIVE.search(sentence, max(0, match.start() - 100), match.start())
                  or INVERTED.match(sentence[:match.start()])) or (
        previous is not None and previous.active and previous.outcome == outcome)
    return _Found(match.start(), after, outcome, label, bounds, qualifier, number_text, active=active)


def _misspelt_group(sentence: str, match: re.Match) -> tuple[str, int] | None:
    """ "Nearly 75 terrorist killed": a singular noun after a plural count, right before its outcome."""
    typo = _SINGULAR_AFTER.match(sentence, match.end())
    bounds = parse_number(match.group("n"))
    if typo is None or bounds is None or bounds[0] < 2 or not is_group_head(typo.group(1) + "s"):
        return None
    passive = PASSIVE.match(sentence, typo.end())
    if passive is None or passive.group("aux").strip():
        return None
    return typo.group(1) + "s", typo.end()


def _names_a_part(sentence: str, pos: int, bounds: tuple[int, int]) -> bool:
    """ "... of those killed were children": the part of the toll is named as a group of people, or, for
    more than one, as a place ("ninety-six of those killed were in Kerr County"; "one of the dead was from
    the village" stays a reference)."""
    part = _PART_OF_TOLL.match(sentence, pos)
    if part is None:
        return False
    return _is_people_group(read_group(sentence, part.end())) or (
        bounds[0] >= 2 and _PART_PLACE.match(sentence, part.end()) is not None)


def _read_partitive(sentence: str, match: re.Match, pos: int, bounds: tuple[int, int]) -> _Found | None:
    """ "Nine of the 14 passengers died": the outcome must be a finite verb ("one of the three killed was" is not)."""
    group = read_group(sentence, pos)
    after = group[1] if group else pos
    window = sentence[max(0, match.start() - 100):match.start()]
    active = ACTIVE.search(window) or ACTIVE_OVER_OBJECT.search(window)
    passive = PASSIVE.match(sentence, after)
    if active:
        outcome = active_outcome(active.group("v"))
    elif TO_DEATH_VERB.search(window) and TO_DEATH.match(sentence, after):
        outcome = "killed"  # "shot 15 of the villagers to death"
    elif bounds[0] >= 2 and (noun := _TOLL_NOUN_PART.match(sentence, after)) \
            and _is_people_group(read_group(sentence, noun.end())):
        outcome = outcome_of(noun.group("w"))  # "four of the deaths were children" ("one of the dead was" refers)
    elif not passive or (not passive.group("aux").strip() and passive.group("o").lower() in TRANSITIVE
                         and (not _names_a_part(sentence, passive.end(), bounds) or _NUMBER_IN.search(sentence, match.end(), pos))):
        return None  # "one of the three killed was": a reference ("twelve of those killed were children" is a count)
    elif passive.group("aux").lower().startswith(("who ", "that ")):
        return None  # "one of 12 miners who died": the toll is the 12, read next
    else:
        outcome = passive_outcome(passive)
    if not outcome:
        return None
    label = group_label(group[0]) if group else "people"
    qualifier = normalise_qualifier(match.group("q") or "")
    return _Found(match.start(), after, outcome, label, bounds, qualifier, match.group("n"))


def _is_trap(sentence: str, match: re.Match, number_text: str, bounds: tuple[int, int]) -> bool:
    """Numbers that are not counts of people: years, days of a month, ages, zero, rates."""
    start, end = match.start("n"), match.end()
    if bounds[1] == 0 or _NOT_A_COUNT_AFTER.match(sentence, end) or _NEGATION_BEFORE.search(sentence, 0, start) \
            or _PARENT_OF.search(sentence, max(0, start - 20), start):
        return True  # "no one was killed"
    if number_text.lower() == "one" and _RECIPROCAL.match(sentence, end):
        return True
    if number_text.isdigit() and (_MONTH_BEFORE.search(sentence, max(0, start - 12), start)
                                  or _MONTH_AFTER.match(sentence, end)):
        return True  # "since October 7", "6 September 2016": a date
    if _YEAR.fullmatch(number_text.strip()) and not _is_people_group(read_group(sentence, end)):
        return True  # "in 2014", "1988 champion Carl Lewis"; "2014 people" stays a count
    before, after = sentence[:start].rstrip(), sentence[end:]
    return before.endswith(",") and after.startswith(",") and read_group(sentence, end) is None  # an age


def _is_people_group(group) -> bool:
    return group is not None and group_key(group_label(group[0])).split()[-1] in GROUP_HEADS


def _is_reference(sentence: str, match: re.Match, group, nominal: bool) -> bool:
    """ "one of the three killed": a reference back to a toll, not a new one ("the three deaths" is a count)."""
    return group is None and not nominal and bool(re.search(r"\bthe\s+$", sentence[:match.start("n")], re.IGNORECASE))


def _breakdowns(sentence: str, end: int) -> list[_Found]:
    """Parts of a total: "including two women and five children", "- 20 of them Copts"."""
    joined = _AND.match(sentence, end)  # "eight protesters and bystanders, including a teenage boy"
    if joined and not _NUMBER_IN.match(sentence, joined.end()):
        group = read_group(sentence, joined.end())
        if group is not None and group[0] == sentence[joined.end():group[1]] and len(group[0].split()) <= 2:
            end = group[1]
    passive = PASSIVE.match(sentence, end)
    for pos in (end, passive.end()) if passive else (end,):
        of_them = _OF_THEM.match(sentence, pos)
        if of_them:
            group = read_group(sentence, of_them.end())
            bounds = parse_number(of_them.group("n"))
            severity = None if group else _SEVERITY.match(sentence, of_them.end())
            if (group or severity) and bounds and not is_vague(of_them.group("n")):  # "several of them dock workers" is colour
                end, label = (group[1], group_label(group[0])) if group else (severity.end(), "people")
                outcome = "killed" if severity and severity.group().lower() == "fatally" else ""  # "one of them fatally"
                return [_Found(of_them.start("n"), end, outcome, label, bounds,
                               normalise_qualifier(of_them.group("q") or ""), of_them.group("n"), "breakdown")]
        bare = _SEVERITY_PART.match(sentence, pos)  # "five others were injured, two seriously"
        bounds = parse_number(bare.group("n")) if bare else None
        if bounds and not is_vague(bare.group("n")):
            return [_Found(bare.start("n"), bare.end(), "", "people", bounds,
                           normalise_qualifier(bare.group("q") or ""), bare.group("n"), "breakdown")]
        lead = _INCLUDING.match(sentence, pos)
        if lead:
            return _listed_parts(sentence, lead.end())
    return []


def _listed_parts(sentence: str, pos: int) -> list[_Found]:
    found: list[_Found] = []
    while True:
        match = _COUNT.match(sentence, pos)
        bounds = parse_number(match.group("n")) if match else None
        group = read_group(sentence, match.end()) if match and bounds else None
        if group and found and PASSIVE.match(sentence, group[1]):
            return found  # "including a child, and 20 others wounded": a new clause with its own outcome
        place = _PLACE_PART.match(sentence, match.end()) if match and bounds and not group else None
        if place:  # "six deaths, including three in Carroll County, two in Monroe County and one in ..."
            found.append(_Found(match.start(), place.end(), "", "people", bounds,
                                normalise_qualifier(match.group("q") or ""), match.group("n"), "breakdown"))
            sep = _BREAKDOWN_SEP.match(sentence, place.end())
            if not sep:
                return found
            pos = sep.end()
            continue
        if not group:
            lone = LONE_PART.match(sentence, pos)
            if lone is None:
                return found
            found.append(_Found(lone.start(), lone.end(), "", lone.group("g"), (1, 1), "", lone.group("det"), "breakdown"))
            sep = _BREAKDOWN_SEP.match(sentence, lone.end())
            if not sep:
                return found
            pos = sep.end()
            continue
        qualifier = normalise_qualifier(match.group("q") or "")
        found.append(_Found(match.start(), group[1], "", group_label(group[0]), bounds, qualifier,
                            match.group("n"), "breakdown"))
        sep = _BREAKDOWN_SEP.match(sentence, group[1])
        if not sep:
            return found
        pos = sep.end()


def _comparisons(sentence: str, total: _Found, end: int) -> list[_Found]:
    """Elided counts compared with a total: "34 deaths in September compared to four in August"."""
    found = []
    passive = PASSIVE.match(sentence, end)
    pos = passive.end() if passive else end
    for _ in range(2):
        match = COMPARISON.match(sentence, pos)
        if not match or read_group(sentence, match.end()) is not None:
            return found
        bounds = parse_number(match.group("n"))
        if bounds is None or bounds[1] == 0:
            return found
        qualifier = normalise_qualifier(match.group("q") or "")
        found.append(_Found(match.start("n") if not match.group("q") else match.start("q"), match.end(),
                            total.outcome, total.group, bounds, qualifier, match.group("n"), "comparison"))
        pos = match.end()
    return found


def _counts(sentence: str):
    """Count matches in order; a range that is really "<date> to <count>" is read from its second number."""
    pos = 0
    while True:
        number = _NUMBER_SCAN.search(sentence, pos)
        if number is None:
            return
        match = _Count(number, _QUALIFIER_BEFORE.search(sentence, max(0, number.start() - 30), number.start()))
        yield match
        words = match.group("n")
        changed = re.search(r"\bfrom\s+$", sentence[max(0, match.start() - 6):match.start()])
        if is_range_text(words) and (parse_number(words) is None or changed):  # "rose from 30 to 45"
            split = re.search(r"\s(?:to|or)\s+", words)
            pos = match.start("n") + (split.end() if split else len(words))
        else:
            pos = match.end()


def find_casualties(sentence: str, memory: dict[str, str] | None = None) -> list[tuple[_Found, list[_Found]]]:
    """Totals (each with its breakdowns and comparisons) stated in one sentence."""
    if not mentions_outcome(sentence.lower()):
        told = _part_of_last_count(sentence, memory)
        return [(told, [])] if told else []
    results: list[tuple[_Found, list[_Found]]] = []
    consumed = -1
    for match in _counts(sentence):
        if match.start() < consumed:
            continue
        total = _read_count(sentence, match, results[-1][0] if results else None)
        if total is None:
            continue
        parts = [_Found(p.start, p.end, p.outcome or total.outcome, p.group, p.bounds, p.qualifier, p.number_text, p.role)
                 for p in _breakdowns(sentence, total.end)]
        parts += _comparisons(sentence, total, max([total.end] + [p.end for p in parts]))
        consumed = max([total.end] + [p.end for p in parts])
        results.append((total, parts))
    taken = [(t.start, max([t.end] + [p.end for p in parts])) for t, parts in results]
    for total, _ in list(results):
        beside = lone_beside(sentence, total.start, total.end, total.active)
        if beside and not any(s <= beside[0] < e or beside[0] <= s < beside[1] for s, e in taken):
            start, end, group, det = beside
            results.append((_Found(start, end, total.outcome, group, (1, 1), "", det), []))
            taken.append((start, end))
    memory = {} if memory is None else memory
    for start, end, outcome, group, value, det in lone_victims(sentence, taken, memory):
        results.append((_Found(start, end, outcome, group, (value, value), "", det), []))
    results = _settle_care(results, counted_any(memory))
    for total, _ in results:
        remember_outcome(memory, total.outcome)
    return sorted(results, key=lambda item: item[0].start)


# A part of the count just told, in a sentence of its own: "Seventeen people were injured. Fourteen of them
# are children." The outcome is the latest count's; the part must be named as a group of people.
_NEXT_PART = re.compile(
    rf"^\W*(?:(?P<q>{QUALIFIER})\s+)?(?P<n>{NUMBER})\s+of\s+(?:them|those)\s+(?:were|are)(?:\s+(?:all|also))?", re.IGNORECASE
)


def _part_of_last_count(sentence: str, memory: dict[str, str] | None) -> _Found | None:
    outcome = last_outcome(memory) if memory else None
    part = _NEXT_PART.match(sentence) if outcome else None
    if part is None:
        return None
    group = read_group(sentence, part.end())
    bounds = parse_number(part.group("n"))
    if not _is_people_group(group) or bounds is None or bounds[1] == 0:
        return None
    return _Found(part.start("n"), group[1], outcome, group_label(group[0]), bounds,
                  normalise_qualifier(part.group("q") or ""), part.group("n"))


def _settle_care(results: list, counted_before: bool) -> list:
    """Keep "taken to hospital"-style counts as injured only when nothing else is counted yet."""
    if not any(total.outcome == WEAK_INJURED for total, _ in results):
        return results
    counted = counted_before or any(total.outcome != WEAK_INJURED for total, _ in results)
    kept = []
    for total, parts in results:
        if total.outcome == WEAK_INJURED:
            if counted:
                continue
            total = replace(total, outcome="injured")
            parts = [replace(p, outcome="injured") for p in parts]
        kept.append((total, parts))
    return kept


def casualty_claims(sentence: str, index: int, places: dict[str, str]) -> list[Claim]:
    """Casualty claims for one sentence.

    `places` is the article's memory, carried from sentence to sentence: toll places
    for restatements, and which outcomes were already counted (for back-references).
    """
    claims: list[Claim] = []
    attribution = ""
    for total, parts in find_casualties(sentence, places):
        attribution = attribution or find_attribution(sentence)
        place = find_place(sentence, total.start, total.end)
        event = find_event(sentence, total.end)
        base = f"{total.outcome}:{group_key(total.group)}"
        where = place.lower() or places.get(base, "") or event
        if place:
            places[base] = place.lower()
        key = f"casualty:{base}" + (f":{where}" if where else "")
        key = lone_key(places, total.outcome, total.group, total.number_text, key, index)
        extra = (("place", place), ("event", event), ("attribution", attribution))
        claims.append(_claim(sentence, index, total, key, (("role", "total"),) + extra))
        for part in parts:
            part_key = f"{key}/" + (group_key(part.group) if part.role == "breakdown" else part.role)
            part_extra = (("role", part.role), ("parent", key)) + extra
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
