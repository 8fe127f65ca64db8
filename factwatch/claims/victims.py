"""Victim groups, places, events and attributions around a casualty count.

Group names are kept readable for the `group` attribute ("members of Kataib
Hezbollah", "US troops") and reduced for keys to capitalised modifiers + the
plural head noun + any "of <Name>" phrase ("us troops", "members of kataib
hezbollah", "passengers"), so "a passenger" and "two passengers" share a key.
"""

from __future__ import annotations

import re

# General English nouns for groups of people, written for this project (not taken from any
# evaluation text). Nationalities and other capitalised plurals need no entry: is_group_head
# accepts any capitalised plural ("Palestinians", "Americans").
GROUP_HEADS = frozenset(
    "people persons civilians soldiers troops members servicemen servicemembers children kids women men boys girls babies infants protesters demonstrators officers "
    "policemen police passengers workers migrants refugees students militants fighters insurgents "
    "rebels residents pilgrims miners firefighters journalists reporters staffers staff motorists "
    "drivers locals foreigners tourists villagers prisoners inmates patients adults teenagers crew "
    "sailors pilots guards doctors nurses others victims hostages settlers personnel "
    "worshippers shoppers spectators fans cyclists pedestrians commuters hikers climbers "
    "climbers swimmers gunmen attackers suspects detainees officials lawmakers ministers guests "
    "males females youths colleagues schoolchildren schoolboys schoolgirls pupils teens recruits conscripts "
    # kin (general English kinship nouns)
    "siblings relatives brothers sisters sons daughters parents grandchildren cousins families".split()
)
# The singulars of general English person nouns, written for this project.
SINGULAR_HEADS = {
    "man": "men", "woman": "women", "child": "children", "person": "people", "boy": "boys",
    "girl": "girls", "baby": "babies", "passenger": "passengers", "driver": "drivers",
    "pedestrian": "pedestrians", "soldier": "soldiers", "officer": "officers",
    "civilian": "civilians", "worker": "workers", "student": "students", "teenager": "teenagers",
    "resident": "residents", "journalist": "journalists", "cyclist": "cyclists",
    "motorcyclist": "motorcyclists", "hunter": "hunters", "pilot": "pilots", "nurse": "nurses",
    "doctor": "doctors", "firefighter": "firefighters", "guard": "guards", "hostage": "hostages",
    "toddler": "toddlers", "infant": "infants", "protester": "protesters", "tourist": "tourists",
    "migrant": "migrants", "fighter": "fighters", "militant": "militants", "rider": "riders",
    "bystander": "bystanders", "farmer": "farmers", "fisherman": "fishermen", "miner": "miners",
    "prisoner": "prisoners", "inmate": "inmates", "policeman": "policemen", "motorist": "motorists",
    "teacher": "teachers", "commander": "commanders", "patient": "patients", "victim": "victims",
    "official": "officials", "lawmaker": "lawmakers", "minister": "ministers", "politician": "politicians",
    "citizen": "citizens", "employee": "employees", "visitor": "visitors", "guest": "guests",
    "suspect": "suspects", "attacker": "attackers", "assailant": "assailants", "bomber": "bombers",
    "climber": "climbers", "hiker": "hikers", "swimmer": "swimmers", "diver": "divers", "skier": "skiers",
    "sailor": "sailors", "player": "players", "fan": "fans", "adult": "adults", "classmate": "classmates",
    "colleague": "colleagues", "youth": "youths", "schoolchild": "schoolchildren", "schoolboy": "schoolboys",
    "schoolgirl": "schoolgirls", "pupil": "pupils", "teen": "teens", "camper": "campers", "counselor": "counselors",
    "counsellor": "counsellors", "participant": "participants", "volunteer": "volunteers", "recruit": "recruits",
    "conscript": "conscripts", "medic": "medics", "paramedic": "paramedics", "rescuer": "rescuers",
    "herder": "herders", "trader": "traders", "vendor": "vendors", "labourer": "labourers", "laborer": "laborers",
    "shopkeeper": "shopkeepers", "worshipper": "worshippers", "pilgrim": "pilgrims", "villager": "villagers",
    "refugee": "refugees", "detainee": "detainees", "traveller": "travellers", "traveler": "travelers",
    "commuter": "commuters", "spectator": "spectators", "settler": "settlers",
    "attendant": "attendants", "crewman": "crewmen", "crewmember": "crewmembers", "engineer": "engineers",
    "technician": "technicians", "contractor": "contractors", "photographer": "photographers",
    "cameraman": "cameramen", "reporter": "reporters", "correspondent": "correspondents",
    "peacekeeper": "peacekeepers", "ranger": "rangers", "bodyguard": "bodyguards", "jogger": "joggers",
    "shepherd": "shepherds", "marine": "marines", "airman": "airmen",
    # kin (general English kinship nouns)
    "wife": "wives", "husband": "husbands", "son": "sons", "daughter": "daughters", "mother": "mothers",
    "father": "fathers", "brother": "brothers", "sister": "sisters", "grandmother": "grandmothers",
    "grandfather": "grandfathers", "friend": "friends", "neighbour": "neighbours", "neighbor": "neighbors",
    "relative": "relatives", "cousin": "cousins", "nephew": "nephews", "niece": "nieces",
}
_PLURAL_HEADS = frozenset(SINGULAR_HEADS.values())
# General English plurals that count things, not people (units, money, places, events), written
# for this project; animals need no entry, as no animal plural has a person-noun suffix.
_NON_GROUP = frozenset(
    "hours days weeks months years minutes seconds decades centuries comments cases times points "
    "percent dollars euros pounds cents sites homes houses buildings vehicles cars miles kilometres "
    "kilometers metres meters feet votes seats rounds rockets missiles drones tons tonnes acres "
    "cities towns villages countries states shots bullets doses tests deaths fatalities injuries "
    "casualties others' phases items pages shares bodies attacks strikes raids incidents martyrs homicides "
    "killings murders "
    "crashes hospitals schools units".split()
)
_GROUP_SUFFIXES = ("ers", "ors", "ists", "ians", "ants", "ents", "ees", "ards", "ics")
_DROP_MODIFIERS = frozenset("other more additional the further fellow".split())
_STOP_WORDS = frozenset(
    "were was have has had are is be been being who that which and or in on at of to from by "
    "with for as after before during including when while killed dead died injured wounded hurt "
    "missing kidnapped abducted".split()
)
_TOKEN = re.compile(r"[^\W\d_][\w'’.-]*|\d[\w-]*")
_NEXT_HEAD = re.compile(r" ([a-z][\w-]*)")
_OF_NAME = re.compile(
    r"\s+of\s+(?:the\s+)?(?:[a-z][\w-]*\s+){0,2}?(?:((?:[A-Z](?:[\w'’-]|\.(?=\w))*(?:\.(?=\s+[a-z]))?)"
    r"(?:\s+[A-Z](?:[\w'’-]|\.(?=\w))*(?:\.(?=\s+[a-z]))?){0,4})"
    r"(?:\s+(?:militia|group|movement|forces|force|army|military|navy|party|family|tribe|clan|team|crew|mission|delegation))?"
    # or a body named in plain words: "members of the security forces", "members of the armed forces"
    r"|(?<=\s)(?:forces|army|military|police|navy|militia|security\s+services|family|crew))\b"
)
_PLACE = re.compile(
    r"\b(?:in|near|at|outside|across|off)\s+(?:the\s+)?(?:(?:northern|southern|eastern|western|"
    r"central|north|south|east|west|occupied|wider)\s+)?"
    r"((?:[A-Z][\w'’-]+)(?:\s+(?:of\s+)?[A-Z][\w'’-]+){0,3})(?:\s+([a-z]+))?"
)
_EVENT = re.compile(
    r"\b(?:in|during|from)\s+(?:(?:a|an|the|two|three|separate)\s+)?((?:[\w-]+\s+){0,2}?"
    r"(?:crash|crashes|explosion|blast|attack|strike|strikes|bombing|shooting|stabbing|fire|"
    r"earthquake|flood|floods|flooding|collision|clashes|protests|storm|stampede|landslide|"
    r"rebellion|raid|ambush|incidents?|accident|derailment|hurricane|typhoon|cyclone|tsunami|"
    r"eruption|war|assault))\b",
    re.IGNORECASE,
)
_ATTRIBUTION_TO = re.compile(r"\baccording\s+to\s+(?:the\s+)?([^,.;:]+?)(?=\s*(?:,|\.|;|\s+which\b|\s+who\b|$))")
_ATTRIBUTION_SAID = re.compile(
    r",\s*(?:the\s+)?((?:[\w'’-]+\s+){0,5}?[\w'’-]+)\s+(?:said|says|reported|reports|confirmed|announced)\b"
)
_ATTRIBUTION_LEAD = re.compile(r"^(?:the\s+)?([A-Z][\w'’-]*(?:\s+[\w'’-]+){0,5}?)\s+(?:said|says|reported)\s+(?:that\s+)?", re.IGNORECASE)
_FUNCTION_WORDS = frozenset(
    "in on at and of after when where which near during to as from for with by overnight since "
    "late early last this the a an but or while including on said says alone".split()
)
_TIME_WORDS = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday".split()
)


def is_group_head(word: str) -> bool:
    """True when a plural word can name a group of victims."""
    lower = word.lower()
    if lower in GROUP_HEADS or lower in _PLURAL_HEADS:
        return True
    if len(lower) >= 6 and lower.endswith("men") and not lower.endswith(("omen", "imen")):
        return True  # airmen, tribesmen, militiamen (not abdomen, specimen)
    if lower in _NON_GROUP or len(lower) < 4 or not lower.endswith("s") or lower.endswith("ss"):
        return False
    if word.isupper():
        return False  # an acronym ("ISIS", "SANA"), not a plural
    return word[0].isupper() or lower.endswith(_GROUP_SUFFIXES)


def read_group(sentence: str, pos: int, allow_of: bool = False) -> tuple[str, int] | None:
    """Read a victim group starting at pos; return (surface group, end offset) or None."""
    cursor = pos
    if allow_of:
        lead = re.match(r"[\"”’']?\s+of\s+", sentence[pos:])  # '"dozens" of rebels'
        if lead:
            cursor = pos + lead.end()
    words: list[re.Match] = []
    for match in _TOKEN.finditer(sentence, cursor):
        gap = sentence[(words[-1].end() if words else cursor):match.start()]
        lower = match.group().lower()
        common_noun = lower in _NON_GROUP and match.group()[0].islower()  # "months", but "United States"
        inner_and = lower == "and" and words  # "regime and rebel fighters"
        stop = lower in _STOP_WORDS and not inner_and and not _acronym_before_head(sentence, match)  # "287 IS fighters"
        if gap.strip() or len(words) >= 4 or stop or common_noun or lower[0].isdigit():
            break
        words.append(match)
        if is_group_head(match.group().rstrip(".")):
            following = _NEXT_HEAD.match(sentence, match.end())
            if following and not match.group().endswith("s") and is_group_head(following.group(1)) \
                    and following.group(1).lower() not in _STOP_WORDS:
                match = following  # a compound head: "police officers", "crew members" (not "others activists")
            end = match.end() - (1 if match.group().endswith(".") else 0)
            of_name = _OF_NAME.match(sentence, end) if match.group().lower() == "members" else None
            if of_name:
                end = of_name.end()
            return sentence[words[0].start():end], end
    return None


def _acronym_before_head(sentence: str, match: re.Match) -> bool:
    """An acronym spelled like a stop word ("IS", "AT") that names the group's side: "287 IS fighters"."""
    if not match.group().isupper() or len(match.group()) < 2:
        return False
    following = _NEXT_HEAD.match(sentence, match.end())
    return following is not None and is_group_head(following.group(1))


def group_label(surface: str) -> str:
    """Readable group: drop determiners/"other" and descriptive words inside "of" phrases."""
    of_name = _OF_NAME.search(" " + surface)
    head = surface[: of_name.start() - 1] if of_name else surface
    words = [w for w in head.split() if w.lower() not in _DROP_MODIFIERS]
    label = " ".join(words)
    if of_name:
        named = of_name.group(1) or re.sub(r"^\s*of\s+(?:the\s+)?", "", of_name.group())
        label = f"{label} of {named}"
    return label or "people"


def group_key(label: str) -> str:
    """Key form of a group: capitalised modifiers + plural head (+ of-phrase), lowercased."""
    head, _, of_part = label.partition(" of ")
    words = head.split()
    if not words:
        return "people"
    noun = words[-1].lower()
    noun = SINGULAR_HEADS.get(noun, noun)
    modifiers = [w for w in words[:-1] if w[:1].isupper()]
    key = " ".join(modifiers + [noun]).lower()
    return f"{key} of {of_part.lower()}" if of_part else key


def find_place(sentence: str, start: int, end: int) -> str:
    """First named place after the claim (else before it) in the same sentence."""
    for region_start, region_end in ((end, _clause_end(sentence, end)), (0, start)):
        for match in _PLACE.finditer(sentence, region_start, region_end):
            name, follower = match.group(1), match.group(2)
            if name.split()[0].lower() in _TIME_WORDS:
                continue
            if follower and follower not in _FUNCTION_WORDS:
                continue
            return name
    return ""


def _clause_end(sentence: str, pos: int) -> int:
    cut = re.search(r";|\baccording to\b|,\s*(?:the\s+)?[\w\s'’-]{0,40}\bsaid\b", sentence[pos:])
    return pos + cut.start() if cut else len(sentence)


def find_event(sentence: str, end: int) -> str:
    """Event phrase after the claim ("helicopter crash", "explosion"), lowercased."""
    match = _EVENT.search(sentence, end, _clause_end(sentence, end))
    return " ".join(match.group(1).lower().split()) if match else ""


def find_attribution(sentence: str) -> str:
    """Who the sentence attributes its figures to, without a leading "the"."""
    for pattern in (_ATTRIBUTION_TO, _ATTRIBUTION_SAID, _ATTRIBUTION_LEAD):
        match = pattern.search(sentence)
        if match:
            source = match.group(1).strip()
            if source.lower() not in ("he", "she", "they", "it", "we", "i", "who"):
                return source
    return ""
