"""What happened to the people counted: the outcome words around a casualty count.

Four outcomes: killed, injured, missing, hostage. The vocabulary is general English
news usage for death, injury, disappearance and captivity (verbs, participles and
nouns as a dictionary lists them: "die", "perish", "slay", "martyr", "execute",
"slaughter", "massacre", "homicide", "fatality"), not words picked from any
evaluation text.

A count meets its outcome in one of four ways:
- active: the verb comes first ("killing 19 people", "claimed the lives of 12",
  "the deaths of three children");
- passive: the count and its group come first ("19 people were killed", "12 lost
  their lives"), possibly with an aside between ("16 civilians, including two
  children, were killed");
- nominal: the outcome is the counted noun ("34 deaths", "4 martyrs");
- toll: the count completes a toll ("the death toll rose to 17", "deaths ... was 777").

"were shot" or "was stabbed" without "dead"/"and killed" counts as injured, as casualty
reports usually mean it; "shot dead", "shot and killed" and "fatally shot" are killed.
"""

from __future__ import annotations

import re

from factwatch.claims.numbers import NUMBER, QUALIFIER

OUTCOME_WORDS = {
    "killed": "killed", "dead": "killed", "died": "killed", "die": "killed", "dies": "killed",
    "perished": "killed", "murdered": "killed", "slain": "killed", "deaths": "killed",
    "death": "killed", "fatalities": "killed", "fatality": "killed", "martyred": "killed",
    "martyrs": "killed", "executed": "killed", "homicides": "killed", "killings": "killed",
    "murders": "killed", "massacred": "killed", "slaughtered": "killed", "drowned": "killed", "succumbed": "killed",
    "deceased": "killed", "victims": "killed",  # "the number of victims rose to 30": the toll's word
    "beheaded": "killed", "assassinated": "killed", "lynched": "killed", "strangled": "killed",
    "injured": "injured", "wounded": "injured", "hurt": "injured", "injuries": "injured", "injury": "injured",
    "hospitalised": "injured", "hospitalized": "injured", "missing": "missing",
    "kidnapped": "hostage", "abducted": "hostage", "hostage": "hostage",
}
# Matched against the lowercased sentence: a literal alternation is much cheaper than IGNORECASE,
# and plain substring tests for the words a stem would over-match ("die" in "studies").
# Factored by first letter, which the regex engine scans much faster than a flat alternation.
_STEMS = re.compile(
    "a(?:bduct|ssassin)|b(?:od(?:ies|y of)|ehead)|captiv|d(?:ea[dt]|ied|rown|ecease)|execut|fatal|gunned|"
    "h(?:urt|ostage|ospital|omicid)|in(?:jur|tensive care)|k(?:ill|idnap)|l(?:ives|ynch)|m(?:urder|artyr|assacr|issing)|perish|"
    "s(?:l(?:ain|ay|aughter)|hot|tabb|uccumb|trangl)|t(?:oll|reat)|unaccounted|wound"
)


def mentions_outcome(lowered: str) -> bool:
    """Cheap test: could this lowercased sentence state a casualty count at all?"""
    return (bool(_STEMS.search(lowered)) or " die" in lowered or " victim" in lowered or " life of" in lowered
            or "lost " in lowered or "hospital" in lowered or " condition" in lowered or "burns" in lowered
            or "remains of" in lowered)
# Transitive outcome verbs: after a bare "who"/"that" they make the group the doer, not the victim.
TRANSITIVE = frozenset(
    "killed murdered slain injured wounded hurt kidnapped abducted executed massacred slaughtered beheaded "
    "assassinated lynched strangled".split()
)
_MODALS = frozenset("may might could would will can should".split())
AUX = (
    r"(?:(?:who|that|have|has|had|were|was|are|is|been|be|being|reportedly|also|all|later|since|now|found|pronounced|"
    r"(?!(?:early|family|daily|weekly|likely|nearly|rally|ally|reply|supply)\b)[a-z]{3,}ly|"  # briefly, instantly
    r"estimated|thought|said|understood|presumed|identified|counted|listed|brought|declared|recovered|"
    r"confirmed|reported|recorded|believed|feared|known|to|may|might|could|would|will|critically|seriously|"
    r"badly|slightly|fatally|severely|either|both|allegedly|still|more|others|remain|remained|remains|"
    r"already|just|then|ever|so\s+far|thus\s+far|too|went|gone|go|goes|"  # "three people have already died"
    r"today|yesterday|tonight|again|earlier|left|"  # "18 people were today killed", "were left in intensive care"
    r"as(?=\s+(?:dead|killed|wounded|injured|missing)\b))\s+){0,6}"  # "200 children went missing", "listed 92 people as wounded"
)
# A place or affiliation between a group and its verb ("10 rebels from the Kurdistan Workers
# Party (PKK) were killed", '33 members of the "Islamic State" and "Nusra Front" groups were
# killed'); it never crosses into another clause or another count ("and two").
_HOP_WORD = (
    r"(?:\"[^\"]{1,40}\"|“[^”]{1,40}”|and(?!\s+(?:[\d]|one|two|three|four|five|six|seven|eight|nine|ten)\b)"
    r"|(?!(?:but|and|or|he|she|they|it|who|which|that|when|while|after|before|were|was|are|is|have|has|had|"
    r"not|no|never|been)\b)[\w'’().-]+)"
)
_PLACE_HOP = (rf"(?:\s+(?:aboard|on\s+board|onboard|inside|underground|nearby))?"  # "all 9 people aboard died"
              # what they were doing: "seven people who were travelling on the bus died"
              r"(?:\s+(?:who\s+(?:were|was|are|is|had\s+been|have\s+been)\s+)?[a-z]{3,}ing\b(?:\s+[\w'’-]+){0,6}?(?=\s+(?:were|was|died|are|have|had)\b))?"
              # up to two places: "seven people in the village of Hroze near the city of Kupyansk were wounded"
              rf"(?:\s+(?:in|from|across|at|of|on|aboard|near)\s+(?:{_HOP_WORD}\s+){{0,4}}?{_HOP_WORD}){{0,2}}")
# An aside between a group and its verb: "16 civilians, including two children, were killed".
_ASIDE = (
    r"(?:,?\s+(?:including|mostly|most\s+of\s+them|many\s+of\s+them|among\s+them|among\s+whom|of\s+whom)"
    r"\s+[^,.;:()]{1,60}?,?|,\s+[^,.;:()]{1,60},|\s*(?:--|[—–])\s*[^—–.;:]{1,80}?\s*(?:--|[—–]))?"
)
PASSIVE = re.compile(
    # "Eleven people—ten of them children—were", '"At least 15 people" were killed' (a quote ends first)
    rf"{_PLACE_HOP}{_ASIDE}(?:\s*(?:--|[—–])(?=\s*\w))?(?:[\"”’]?\s+|(?<=[—–]))(?P<aux>{AUX})"  # "-- four women and two men -- were"
    r"(?P<o>killed|dead|died|dies|die|perished|murdered|slain|injured|wounded|hurt|missing|kidnapped|abducted|"
    r"martyred|executed|massacred|slaughtered|drowned|beheaded|assassinated|lynched|strangled|succumbed|deceased|hospitali[sz]ed|"
    r"(?:taken|held)\s+hostage|(?:taken|held)\s+(?:into\s+)?captiv(?:e|ity)|"
    r"(?:stabbed|beaten|burned|burnt|crushed|hacked|trampled|tortured|starved|shot)\s+to\s+death|"
    r"among\s+the\s+(?:dead|killed|"
    r"injured|wounded|missing)|among\s+those\s+(?:killed|dead|injured|wounded|missing)|"
    r"among\s+(?:the\s+)?[\d,]+\s+(?:[\w-]+\s+)?(?:killed|dead|injured|wounded)|"
    r"(?:sustained|suffered)\s+(?:[\w-]+\s+){0,3}?(?:injuries|wounds|burns)|unaccounted\s+for|shot\s+dead|"
    # "five others sustained various degrees of injury" ("suffered a head injury" is one person's)
    r"(?:sustained|suffered)\s+(?:(?!an?\b)[\w-]+\s+){0,3}?injury|"
    r"shot\s+and\s+(?:killed|wounded|injured)|gunned\s+down|lost\s+their\s+lives|fatally\s+(?:shot|stabbed|wounded|injured|struck|hit)|"
    r"(?:struck|hit|run\s+over|stabbed|beaten|attacked|crushed|trapped)\s+and\s+(?:killed|injured|wounded)|"
    r"(?:taken|rushed|airlifted|flown|transported|admitted)\s+to\s+(?:a\s+|the\s+|local\s+|nearby\s+)*hospitals?|"
    r"treated\s+(?:[\w-]+\s+){0,4}?for\s+(?:[\w-]+\s+){0,2}?(?:injuries|wounds|burns|smoke\s+inhalation)|"
    r"in\s+(?:a\s+)?(?:critical|serious|stable|grave|life-threatening)\s+condition|in\s+intensive\s+care|"
    # care that tells of an injury: "46 victims are still undergoing treatment", "were in hospital"
    r"(?:undergoing|receiving|getting)\s+(?:medical\s+|hospital\s+)?treatment|being\s+treated|"
    r"(?:(?<=\bwere\s)|(?<=\bare\s)|(?<=\bremain\s)|(?<=\bremained\s)|(?<=\bstill\s))"
    r"in\s+(?:(?:a|the|local|nearby)\s+)?hospitals?|"
    r"(?:(?<=\bwere\s)|(?<=\bwas\s)|(?<=\bbeen\s))(?:shot|stabbed)(?!\s+(?:at|by\s+(?:a\s+)?camera|on\s+film)))\b",
    re.IGNORECASE,
)
NOMINAL = re.compile(
    r"\s+(?:(?!and\b|or\b|\d)[\w-]+\s+){0,2}?"
    r"(?P<o>deaths|fatalities|dead|injuries|martyrs|homicides|(?<!mass\s)killings|murders)\b",  # mass killings are events
    re.IGNORECASE,
)
SINGULAR_NOMINAL = re.compile(r"\s+(?P<o>death|fatality|injury)\b(?!\s+of\b)", re.IGNORECASE)
# "among the dead were", "among those killed in the blast were": a toll named, then its parts.
AMONG_THE_DEAD = r"among\s+(?:the|those)\s+(?:dead|killed|injured|wounded|missing|martyrs)"
ACTIVE = re.compile(
    # bare forms too, as headlines write them: "Gunmen Kill 11, Injure 6"
    r"\b(?P<v>kill(?:ed|ing|s)?|injur(?:e[ds]?|ing)|wound(?:ed|ing|s)?|abduct(?:ed|ing|s)?|"
    r"kidnap(?:s|p(?:ed|ing))?|execut(?:e[ds]?|ing)|massacr(?:e[ds]?|ing)|slaughter(?:ed|ing|s)?|"
    r"behead(?:ed|ing|s)?|assassinat(?:e[ds]?|ing)|lynch(?:ed|ing|es)?|strangl(?:e[ds]?|ing)|"
    r"shoot(?:ing|s)?\s+dead|shot\s+dead|gunn(?:ed|ing)\s+down|"
    r"(?:shot|stabbed|beat(?:en)?|hacked|burned|burnt|clubbed|stoned|bludgeoned)\s+to\s+death|"
    r"(?:claim|cost|t(?:a|oo)k)\w*\s+(?:the\s+)?lives\s+of|(?:deaths?|killings?|slayings?|murders?|executions?|bodies|remains|(?<=the\s)body)\s+of|"
    r"(?:injury|injuries|injuring|wounding)\s+of|"
    rf"{AMONG_THE_DEAD}(?:\s+(?:in|during|by|at|on)\s+[^,.;]{{1,50}}?)?"
    r"\s+(?:were|was|are|is)|"
    r"(?:the\s+)?(?:dead|killed|injured|wounded|missing|deaths|fatalities|injuries|(?:death\s+)?toll)\s+includ(?:e|es|ed)|"
    r"\bthe\s+(?:dead|injured|wounded)\s+(?:were|are|numbered|number|totall?ed|totals?))"
    r"\s+(?:(?:a\s+total\s+of|all|another|an\s+additional|a\s+further|the|(?:a|an\s+entire)\s+family\s+of)\s+)?$",
    re.IGNORECASE,
)
# The outcome first, then its count: "Killed in the attack were 12 soldiers", "Also killed were", "Dead are 4".
INVERTED = re.compile(
    r"^\W*(?:also\s+)?(?P<o>killed|injured|wounded|dead|missing|hurt)\b(?:\s+(?:in|during|by|at|on)\s+[^,.;]{1,60}?)?"
    r"\s+(?:were|was|are|is)\s+(?:(?:a\s+total\s+of|another|the)\s+)?$",
    re.IGNORECASE,
)
# A second object of the same verb: "killed a police officer and at least six civilians".
ACTIVE_OVER_OBJECT = re.compile(
    r"\b(?P<v>kill(?:ed|ing|s)?|injur(?:ed|ing)|wound(?:ed|ing)|execut(?:ed|ing)|"
    rf"{AMONG_THE_DEAD}\s+(?:were|are))\s+"
    r"(?:(?:an?|one|the|his|her|their)\s+)?(?:[\w-]+\s+){1,4}?and\s+(?:(?:his|her|their|its)\s+)?$",
    re.IGNORECASE,
)
TOLL = re.compile(
    r"\b(?:(?:death\s+|casualty\s+)?toll|(?:death|casualty)\s+count|deaths|fatalities|(?P<w2>injuries)|number\s+"
    r"(?:of\s+(?:[\w-]+\s+){0,2}?)?(?P<w>dead|deaths|fatalities|victims|killed|injured|wounded|injuries|missing|martyrs))"
    r",?\s+(?:[\w'’-]+(?:,\d+[\w'’-]*)*,?\s+){0,16}?(?:to|at|of|reached|hit|is|was|were|are|be|stands\s+at|stood\s+at|above|past|beyond|"
    r"surpass\w*|exceed\w*|top(?:s|ped)|pass(?:es|ed)|near(?:s|ed))\s+$",
    re.IGNORECASE,
)
# The toll named after its count: "bringing to 30 the number of people killed", "raising to 9 the toll".
TOLL_AFTER = re.compile(
    r"\s+the\s+(?:overall\s+|total\s+|new\s+)?(?:(?:death|casualty)\s+toll|number\s+of\s+(?:[\w.-]+\s+){0,2}?"
    r"(?:(?:who|that)\s+(?:were|have\s+been|had\s+been)\s+)?"  # "the number of civilians who were killed"
    r"(?P<w>dead|deaths|fatalities|victims|killed|injured|wounded|injuries|missing|martyrs))\b",
    re.IGNORECASE,
)
_RAISING = r"\b(?:bring|rais|push|tak|increas|lift|rose|ris[ei])\w*\s+"  # "rose to 13 the number of civilians killed"
TOLL_AFTER_LEAD = re.compile(rf"{_RAISING}to\s+$", re.IGNORECASE)
# A running total that continues the sentence's toll: "..., bringing the total this month to 40".
TOTAL_TO = re.compile(
    rf"{_RAISING}(?:the|its|their)\s+(?:overall\s+|running\s+)?(?:total|tally)\s+(?:[\w'’-]+\s+){{0,6}}?to\s+$",
    re.IGNORECASE,
)
# A side's losses: "the army lost 40 soldiers" (a count of armed men only; "lost 200 jobs" is not).
LOST = re.compile(r"\blos(?:t|es|ing)\s+(?:(?:another|an\s+additional|a\s+further)\s+)?$", re.IGNORECASE)
# Counts of lives and bodies: "claimed 12 lives", "cost 40 lives", "recovered 15 bodies".
REMAINS = re.compile(
    r"\b(?:claim\w*|cost\w*|t[ao]ok|tak\w+|recover\w*|retriev\w*|found|pull\w*|exhum\w*|identif\w*)\s+"
    r"(?:the\s+)?$",
    re.IGNORECASE,
)
REMAINS_NOUN = re.compile(r"\s+(?:[\w-]+\s+){0,2}?(?:lives|bodies)\b", re.IGNORECASE)
# "another five bodies", "scores of bodies" count the dead; "25 bodies a week" is a rate.
# The adjectives before "bodies" are general English, written for this project (no evaluation text).
BODIES = re.compile(r"\s+(?:of\s+)?(?:(?:burned|burnt|charred|decomposed|mutilated|dead|more|other|male|female|human|unidentified)\s+)?bodies\b(?!\s+(?:a|an|per|each|every)\s+(?:day|week|month|year)\b)", re.IGNORECASE)
# Killed by a verb before the count and "to death" after it: "shot 15 of the villagers to death".
TO_DEATH_VERB = re.compile(
    r"\b(?:shot|shoot(?:s|ing)?|stabb(?:ed|ing)|stabs?|beat(?:en|ing|s)?|hack(?:ed|ing|s)?|burn(?:ed|t|ing|s)?|"
    r"club(?:bed|bing|s)?|ston(?:ed|ing|es)|bludgeon(?:ed|ing|s)?|starv(?:ed|ing|es)|tortur(?:ed|ing|es))\s+$",
    re.IGNORECASE,
)
TO_DEATH = re.compile(r"(?:\s+of\s+(?:the|those|them)\b(?:\s+[\w-]+){0,2}?)?\s+to\s+death\b", re.IGNORECASE)
RESULT = re.compile(r"\b(?:leaving|left|leave|leaves)\s+$", re.IGNORECASE)  # "leaving eight people injured"
# "34 deaths in September compared to four in August", "... down from 799": the same outcome, elided.
COMPARISON = re.compile(
    r"(?:\s+(?:in|on|during|last|this|the|a)\b(?:\s+[\w-]+){0,3}?)?"  # the period of the first figure
    r"\s*[,-]?\s*(?:compared\s+(?:to|with)|versus|vs\.?|(?:up|down)\s+(?:\w+\s+)?from|"
    r"and\s+in\s+(?:[\w-]+\s+){0,2}?[\w-]+)\s+(?:(?:the|a)\s+(?:[\w-]+\s+){0,2}?of\s+)?"
    rf"(?:(?P<q>{QUALIFIER})\s+)?(?P<n>{NUMBER})(?!\s*(?:%|per\s*cent|percent|times))",
    re.IGNORECASE,
)


def outcome_of(word: str) -> str:
    """Outcome for an outcome word or phrase ("were killed", "taken hostage", "lost their lives")."""
    word = " ".join(word.lower().split())
    if word in OUTCOME_WORDS:
        return OUTCOME_WORDS[word]
    if word.endswith(("hostage", "captive", "captivity")):
        return "hostage"
    if word.startswith("among"):
        return outcome_of(word.split()[-1])  # "among the dead", "among 21 people killed"
    if word.startswith(("sustained", "suffered")) or word.endswith(("wounded", "injured")) or word in ("shot", "stabbed"):
        return "injured"
    if word.endswith(("hospital", "hospitals", "condition", "injuries", "wounds", "burns", "inhalation", "treatment",
                      "treated")):
        return "injured"  # "taken to hospital", "treated for burns", "in critical condition"
    if word.startswith("unaccounted"):
        return "missing"
    if any(stem in word for stem in ("death", "dead", "kill", "lives", "gunned", "fatally", "drown")):
        return "killed"
    return "injured"


def active_outcome(verb: str) -> str:
    """Outcome of an active construction ("killing", "claimed the lives of", "among the wounded were")."""
    verb = verb.lower()
    if verb.startswith("among"):
        return outcome_of(verb.split()[2])
    if "includ" in verb:
        word = verb.split()[-2]
        return "killed" if word == "toll" else outcome_of(word)
    if verb.startswith("the "):
        return outcome_of(verb.split()[1])  # "the injured were", "the dead numbered"
    if verb.startswith(("injur", "wound")):
        return "injured"
    if verb.startswith(("abduct", "kidnap")):
        return "hostage"
    return "killed"


_BE = frozenset("were was are is been be being".split())
# What follows an active transitive verb: its object ("killed three people", "killed his wife").
_OBJECT = re.compile(
    rf"\s+(?:\d|(?:a|an|the|his|her|their|its|him|them|one|two|three|four|five|six|seven|eight|nine|ten|"
    rf"dozens|scores|hundreds|thousands|several|some|{QUALIFIER})\b)",
    re.IGNORECASE,
)


# A headline's list of tolls, not an object: "10 Civilians killed 40 injured in rocket fire".
LISTED_TOLL = re.compile(
    rf"\s+(?:(?:{QUALIFIER})\s+)?(?:{NUMBER})(?:\s+[a-z]+)??\s+(?P<o>injured|wounded|hurt|dead|missing|killed)"
    r"(?=\s*(?:[,.;:]|$|(?:in|on|at|near|after|during|by|as|and|from|when|while)\b))",
    re.IGNORECASE,
)


def _active_voice(aux: list[str], match: re.Match) -> bool:
    """ "who kidnapped the child", "have killed three people", "gunmen killed five": the group did it."""
    if aux and aux[-1] in ("who", "that"):
        return True
    if _BE.isdisjoint(aux) and ("have" in aux or "has" in aux or "had" in aux):
        return True
    return not aux and bool(_OBJECT.match(match.string, match.end())) and not LISTED_TOLL.match(match.string, match.end())


def passive_outcome(match: re.Match) -> str:
    """Outcome of a PASSIVE match, or "" when the group did it or it may yet happen.

    "the man who kidnapped the child" names the kidnapper, and "could die" is a projection.
    """
    aux = match.group("aux").lower().split()
    verb = match.group("o").lower()
    if verb in TRANSITIVE and _active_voice(aux, match):
        return ""
    if verb in ("die", "dies") and "to" in aux:
        return ""  # "two men to die for the killings": a sentence, not a death
    if any(word in _MODALS for word in aux) and "have" not in aux and verb not in ("dead", "missing"):
        return ""
    if _CARE.search(verb):
        return WEAK_INJURED
    return outcome_of(verb)


# Care rather than harm: "taken to hospital", "treated for burns", "in critical condition". Said first,
# it counts the injured; said after the story has counted anyone, it mostly tells more of the same
# people ("all five crash victims were taken to a hospital"), so casualty.py keeps it only then.
WEAK_INJURED = "injured?"
_CARE = re.compile(r"hospitals?$|condition$|^treated|treatment$|^being\s+treated")  # intensive care tells of harm
