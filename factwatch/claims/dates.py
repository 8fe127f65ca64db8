"""Date claims: absolute dates, months, vague periods and weekdays resolved against publication.

- value: ISO date "2024-01-28" or ISO interval "2024-01-21/2024-01-31". Early /
  mid / late <month> are days 1-10 / 11-20 / 21-end; a month alone ("in December",
  "May 2010", "last month", "this month", "from June", "the April figures") is the whole
  month; a month joined to it ("in February and March", "from October to January") is
  one too, in the same year unless the list wraps round the new year. "since <date>" is an
  interval ending at publication ("/.." when publication is unknown).
- A date without a year, a month without a year and a weekday are placed on the side
  of publication their tense points to ("was signed on May 2" before it, "will begin
  on April 7", "set to resume Monday", "until 30 April" after it; see
  `factwatch.claims.tense` and `factwatch.claims.datevalue`). With no cue a weekday is
  the latest one on or before publication, a date or month the nearest one. With no
  publication date a day is written "--01-28" and weekdays and relative words are skipped.
- "today", "tonight", "this morning" are the publication day; "yesterday", "last night" the
  day before; "tomorrow" the day after.
- Not dates: years alone, weekdays that recur ("every Monday", "Tuesday nights"), and
  "Today" or "Yesterday" capitalised inside a sentence, which name a show or a paper
  ("told NBC's Today show", "USA Today").
- key: "date:" + up to three content words nearest the date in its clause, left
  side first ("date:troops-jordan" for "...killed three US troops in Jordan in late
  January"), so "late January" -> "28 January" for the same event keeps its key.
"""

from __future__ import annotations

import dataclasses
import datetime
import re

from factwatch.claims.datevalue import (
    day_in_year, day_iso, month_end, month_in_year, shift_month, span_iso, weekday_date,
)
from factwatch.claims.model import Claim
from factwatch.claims.tense import FUTURE, PAST, tense_near

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December" \
         r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"
# "May" alone is a verb far more often than a month: it needs a preposition or a year.
_FULL_MONTH = r"(?:January|February|March|April|June|July|August|September|October|November|December)"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_YEAR = r"(?:1[89]|20)\d\d"
# Prepositions that make a capitalised month name a date ("in May", "from June", "after March").
_IN_MONTH = "".join(f"(?<=\\b{word} )" + "|" for word in (
    "in", "In", "by", "By", "since", "Since", "until", "Until", "till", "through", "Through",
    "during", "During", "for", "For", "from", "From", "after", "After", "before", "Before",
    "between", "Between"))[:-1]
# Determiners before a month used as a modifier: "the April trade figures", "a July coup",
# "Russia's September poll" (English grammar; the noun after it is checked by lookahead).
_DET_MONTH = "".join(f"(?<=\\b{word} )" + "|" for word in (
    "the", "The", "a", "A", "its", "Its", "their", "Their", "his", "her", "our"))[:-1] + "|(?<='s )|(?<=’s )"
# "in September, 1946." takes the year after a comma when punctuation follows it, unlike
# "in May, 2000 people marched".
_COMMA_YEAR = rf"(?:,(?=\s+{_YEAR}(?:[.,;:)]|$)))"
_DATE = re.compile(  # word start + first-letter lookahead: most positions fail on one test
    rf"(?<!\w)(?=[0-9JFMASONDTWYELaeflmnosty])(?P<since>\b(?i:since)\s+)?(?:"
    rf"\b(?P<iy>{_YEAR})-(?P<im>[01]\d)-(?P<id>[0-3]\d)\b"
    rf"|(?:(?P<wdd>{_WEEKDAY}),?\s+)?(?:\b(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m1>{_MONTH})\b\.?"
    rf"|\b(?P<m2>{_MONTH})\b\.?\s+(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?\b(?!:\d))"
    rf"(?:,?\s+(?P<y1>{_YEAR})\b|\s+(?:of\s+)?(?P<yr1>(?i:this|last|next))\s+year\b)?"
    rf"|\b(?P<part>(?i:early|mid|late|the\s+end\s+of|the\s+start\s+of|the\s+beginning\s+of|the\s+middle\s+of))"
    rf"[\s-]+(?P<m3>{_MONTH})\b(?:\s+(?P<y3>{_YEAR})\b)?"
    rf"|\b(?P<mmod>(?i:last|this|next|this\s+coming))\s+(?P<m5>{_FULL_MONTH}|May)\b"
    rf"|\b(?P<mrel>(?i:(?:(?P<mpart>earlier|later|early|late)\s+)?(?P<which>this|last|next)"
    rf"|(?P<mend>the\s+end\s+of\s+th(?:e|is)))\s+month)\b"
    rf"|\b(?P<agon>\d{{1,2}}|(?i:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve))"
    rf"\s+(?P<agou>(?i:days?|weeks?|months?))(?:\s+or\s+so)?\s+ago\b"
    rf"|(?=[JFMASOND])(?:{_IN_MONTH})(?P<m4>{_FULL_MONTH}|May)\b(?:{_COMMA_YEAR}?\s+(?:of\s+)?(?P<y4>{_YEAR})\b"
    rf"|\s+(?:of\s+)?(?P<yr4>(?i:this|last|next))\s+year\b)?"
    rf"|\b(?P<m6>{_MONTH})\b\.?{_COMMA_YEAR}?\s+(?:of\s+)?(?P<y6>{_YEAR})\b"
    rf"|\b(?P<m7>{_FULL_MONTH})(?=['’]s\b)"
    rf"|(?=[JFMASOND])(?:{_DET_MONTH})(?P<m8>{_FULL_MONTH}|May)\b(?:\s+(?P<y8>{_YEAR})\b)?(?=\s+[a-z])"
    rf"|(?P<wpre>\b(?i:overnight\s+and\s+into|last|next|this\s+coming|this|on)\s+)?\b(?P<wd>{_WEEKDAY})\b"
    rf"(?!,?\s+(?:{_MONTH}\b|[0-3]?\d(?:st|nd|rd|th)?\s+{_MONTH}\b))"
    rf"(?:\s+(?P<wpart>morning|afternoon|evening|night)\b(?!s))?"
    rf"|\b(?P<rel>[Tt]oday|[Yy]esterday|[Tt]omorrow|[Tt]onight|[Ll]ast\s+(?:night|evening)"
    rf"|[Tt]his\s+(?:morning|afternoon|evening))\b)"
)
# A cheap first test per sentence: a word that starts every date but a bare ISO one. Each
# branch starts with its literal first letter, so the regex engine jumps from one such letter
# to the next instead of trying a match at every position; the lookbehind after the letter
# is the word boundary before it.
_HINT_WORDS = {
    "J": r"an|u[nl]", "F": r"eb|ri", "M": r"a[ry]|on", "A": r"pr|ug", "S": r"ep|at|un", "O": r"ct", "N": r"ov",
    "D": r"ec", "T": r"ue|hu|o(?:day|morrow|night)|his\s+(?:morn|aft|even)", "W": r"ed",
    "t": r"o(?:day|morrow|night)|his\s+(?:morn|aft|even)", "Y": r"esterday", "y": r"esterday", "m": r"onth",
    "a": r"go\b", "L": r"ast\s+(?:night|evening)", "l": r"ast\s+(?:night|evening)",
}
_DATE_WORD_HINT = re.compile("|".join(f"{first}(?<!\\w{first})(?:{rest})" for first, rest in _HINT_WORDS.items()))
_ISO_HINT = re.compile(r"\d\d\d\d-\d\d-\d\d")  # not "\d{4}": see above
_RECURRING_BEFORE = re.compile(r"\b(?:every|each|on\s+alternate)\s+$", re.IGNORECASE)
_RECURRING_AFTER = re.compile(
    rf"(?:s\b|\s+(?:and|or|to|through)\s+{_WEEKDAY}s?\b)?(?:\s+(?:mornings|afternoons|evenings|nights)\b)")
# Named days and titles are not dates: "Black Friday", "Super Tuesday" (named days of the
# shopping and church calendars), "the Sunday Times", "Saturday Night Live" (newspaper and
# programme titles).
_NAMED_DAY_BEFORE = re.compile(r"\b(?:Black|Good|Super|Cyber|Ash|Maundy|Holy|Easter|Palm|Bloody|Shrove|Fat|Giving)\s+$")
_TITLE_AFTER = re.compile(r"\s+(?:Night|Times|Telegraph|Mail|Mirror|Express|Post|Herald|Star|Tribune|Sport)\b")
_WEEK_AFTER = re.compile(r",?\s+(next|last|this)\s+week\b", re.IGNORECASE)  # "on Monday next week"
_SENTENCE_OPENING = re.compile(r"^[\s\"“‘'`(\[—_-]*$")
_GENERIC_TODAY = re.compile(r"(?<!\bas )\bof\s+$", re.IGNORECASE)  # "the people of tomorrow", not "as of today"
_CONTENT = re.compile(r"[^\W\d_][\w'’-]{2,}")
_CLAUSE = re.compile(r"[,;:“”\"()—]")
_STOP = frozenset(
    """
    the and for that with from this have has had was were are been being will would could should
    into onto over under after before since until during late early mid overnight last next
    this its their his her our they them then than when while where which who whom whose what
    also just only said says say told according more most about around some any all such very
    january february march april may june july august september october november december jan
    feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday
    saturday sunday morning afternoon evening night today yesterday end start beginning
    one two three four five six seven eight nine ten dozen dozens hundreds year years month
    months week weeks day days not but out off per via can may
    """.split()
)
_PARTS = {"early": (1, 10), "mid": (11, 20), "late": (21, 31), "the end of": (21, 31), "the start of": (1, 10),
          "the beginning of": (1, 10), "the middle of": (11, 20)}


def _year_offset(word: str | None) -> int | None:
    return None if not word else {"this": 0, "last": -1, "next": 1}[word.lower()]


def _month_day(match: re.Match, published, tense) -> str:
    if match.group("iy"):
        return day_iso(int(match.group("iy")), int(match.group("im")), int(match.group("id")))
    day = int(match.group("d1") or match.group("d2"))
    month = _MONTHS[(match.group("m1") or match.group("m2")).lower()]
    if match.group("y1"):
        return day_iso(int(match.group("y1")), month, day)
    if published is None:
        return day_iso(None, month, day)
    offset = _year_offset(match.group("yr1"))
    if offset is not None:
        return day_iso(published.year + offset, month, day)
    weekday = _WEEKDAYS.index(match.group("wdd").lower()) if match.group("wdd") else None
    found = day_in_year(month, day, published, tense, weekday)
    if found is None:
        raise ValueError("impossible date")
    return found.isoformat()


def _month_year(month: int, year_text: str | None, offset: int | None, published, tense) -> int | None:
    if year_text:
        return int(year_text)
    if published is None:
        return None
    if offset is not None:
        return published.year + offset
    return month_in_year(month, published, tense)


def _named_month(match: re.Match, published, tense) -> str:
    """"in December", "late January", "May 2010", "last April", "December's"."""
    name = next(match.group(g) for g in ("m3", "m4", "m5", "m6", "m7", "m8") if match.group(g))
    month = _MONTHS[name.lower().rstrip(".")]
    year_text = match.group("y3") or match.group("y4") or match.group("y6") or match.group("y8")
    offset = _year_offset(match.group("yr4"))
    modifier = " ".join((match.group("mmod") or "").lower().split())
    if modifier == "this":
        offset = 0  # "this September": the current year's
    elif modifier == "last":
        tense, offset = PAST, None
        if published is not None and month >= published.month:
            offset = -1  # "last April" in April or later is a year back, not this month
    elif modifier in ("next", "this coming"):
        tense = FUTURE
        if published is not None and month <= published.month:
            offset = 1
    year = _month_year(month, year_text, offset, published, tense)
    first, last = _PARTS.get(" ".join((match.group("part") or "").lower().split()), (1, 31))
    return span_iso(year, month, first, min(last, month_end(year or 2001, month)))


def _relative_month(match: re.Match, published: datetime.date) -> str:
    """"this month", "last month", "earlier this month", "the end of the month"."""
    if match.group("mend"):
        return span_iso(published.year, published.month, 21)
    which = match.group("which").lower()
    year, month = shift_month(published.year, published.month, {"this": 0, "last": -1, "next": 1}[which])
    part = (match.group("mpart") or "").lower()
    if which == "this" and part == "earlier":
        return span_iso(year, month, 1, published.day)
    if which == "this" and part == "later":
        return span_iso(year, month, published.day)
    first, last = _PARTS.get(part, (1, 31))
    return span_iso(year, month, first, min(last, month_end(year, month)))


def _ago(match: re.Match, published: datetime.date) -> str:
    """"two weeks ago" (a day), "five months ago" (a month)."""
    text = match.group("agon").lower()
    count = int(text) if text.isdigit() else _NUMBERS[text]
    unit = match.group("agou").lower().rstrip("s")
    if unit == "month":
        year, month = shift_month(published.year, published.month, -count)
        return span_iso(year, month, 1)
    return (published - datetime.timedelta(days=count * (7 if unit == "week" else 1))).isoformat()


def _weekday(match: re.Match, published: datetime.date, tense) -> str:
    """A weekday: "on Monday", "last Friday", "overnight and into Thursday"."""
    prefix = " ".join((match.group("wpre") or "").lower().split())
    target = _WEEKDAYS.index(match.group("wd").lower())
    strict = prefix in ("last", "next")
    if prefix == "last":
        tense = PAST
    elif prefix in ("next", "this coming"):
        tense = FUTURE
    week = _WEEK_AFTER.match(match.string, match.end())
    if prefix == "this" or week:  # "this Friday": the Friday of publication's week (Monday to Sunday)
        shift = {"next": 7, "last": -7}.get(week.group(1).lower(), 0) if week else 0
        return (published + datetime.timedelta(days=target - published.weekday() + shift)).isoformat()
    day = weekday_date(target, published, tense, strict)
    if prefix.startswith("overnight"):
        return f"{(day - datetime.timedelta(days=1)).isoformat()}/{day.isoformat()}"
    return day.isoformat()


def _value(match: re.Match, published: datetime.date | None, tense: str | None) -> str | None:
    if match.group("rel"):
        if published is None:
            return None
        word = match.group("rel").lower().split()[0]
        shift = {"today": 0, "tonight": 0, "this": 0, "yesterday": -1, "last": -1, "tomorrow": 1}[word]
        value = (published + datetime.timedelta(days=shift)).isoformat()
    elif match.group("wd"):
        value = _weekday(match, published, tense) if published else None
    elif match.group("mrel"):
        value = _relative_month(match, published) if published else None
    elif match.group("agon"):
        value = _ago(match, published) if published else None
    elif match.group("iy") or match.group("m1") or match.group("m2"):
        value = _month_day(match, published, tense)
    else:
        value = _named_month(match, published, tense)
    if value and match.group("since"):
        start = value.split("/")[0]
        value = f"{start}/{published.isoformat() if published else '..'}"
    return value


def _not_a_date(sentence: str, match: re.Match) -> bool:
    """Recurring weekdays, a capitalised "Today" naming a show, "in today's world"."""
    before = sentence[:match.start()]
    if match.group("wd"):
        return bool(_RECURRING_BEFORE.search(before[-20:]) or _RECURRING_AFTER.match(sentence, match.end())
                    or _NAMED_DAY_BEFORE.search(before[-12:]) or _TITLE_AFTER.match(sentence, match.end()))
    rel = match.group("rel")
    if rel:
        if rel[0].isupper() and not _SENTENCE_OPENING.match(before):
            return True
        return not sentence.startswith(("'s", "’s"), match.end()) and bool(_GENERIC_TODAY.search(before[-10:]))
    if match.group("m4") == "May" and sentence.startswith(("'s", "’s"), match.end()):
        return True  # "in May's cabinet" names a person as often as a month, unlike "in May"
    part = match.group("part")
    if part and match.group("m3") == "May" and part[0].isupper() and not _SENTENCE_OPENING.match(before):
        return True  # a headline's "Peanuts Early May Avoid Allergy"
    return False


def date_key(sentence: str, start: int, end: int) -> str:
    """Key from up to three content words nearest the date within its clause."""
    left_cut = max((m.end() for m in _CLAUSE.finditer(sentence, 0, start)), default=0)
    right = _CLAUSE.search(sentence, end)
    left_words = [w.lower() for w in _CONTENT.findall(sentence[left_cut:start]) if w.lower() not in _STOP]
    right_words = [w.lower() for w in _CONTENT.findall(sentence[end:right.start() if right else None])
                   if w.lower() not in _STOP]
    words = (left_words[-3:] + right_words)[:3] if left_words else right_words[:3]
    return "date:" + ("-".join(w.replace("’", "'") for w in words) or "undated")


# A date between a determiner and a noun names an event by its date ("the Sept. 4 game", "a
# Dec. 15 vote"); a past verb in the clause is about something else ("picked players for the
# Sept. 4 game"), so distance decides; a future one still points ahead ("slated for a
# December sale"). The determiners and the function words that are not nouns are English
# grammar.
_ATTRIBUTIVE_BEFORE = re.compile(r"\b(?:the|a|an|its|their|his|her|our|this|that)\s+$|['’]s\s+$", re.IGNORECASE)
_FUNCTION_WORDS = (
    "and|or|but|to|of|in|on|at|by|for|from|with|as|than|that|which|when|is|are|was|were|will|would|"
    "has|have|had|after|before|until|through|last|next|this|the|a|an")
_NOUN_AFTER = re.compile(rf"\s+(?!(?:{_FUNCTION_WORDS})\b)[a-z][a-z-]+\b", re.IGNORECASE)  # "the Aug. 31 World Cup tie"

# A month joined to a month date by a conjunction or a dash.
_NEXT_MONTH = re.compile(
    rf"\s*(?:\b(?:and|or|to|through|until|till)\b|[-–])\s*(?P<m>{_FULL_MONTH}|May)\b"
    rf"(?:{_COMMA_YEAR}?\s+(?P<y>{_YEAR})\b)?")
_WHOLE_MONTH = re.compile(r"(\d{4})-(\d\d)-01/\1-\2-(?:28|29|30|31)")
_YEAR_WRITTEN = re.compile(r"\d{4}|\byear\b")

# Groups whose value does not depend on tense: a year is given, or the words fix the side.
_TENSELESS = ("iy", "y1", "yr1", "y3", "y4", "yr4", "y6", "y8", "rel", "mrel", "agon")


def _tense(sentence: str, match: re.Match, published: datetime.date | None) -> str | None:
    if match.group("since"):
        return PAST
    if published is None or any(match.group(g) for g in _TENSELESS):
        return None  # nothing to resolve: skip the (comparatively costly) cue search
    if match.group("mmod") or (match.group("wpre") or "").lower().startswith(("last", "next", "this")):
        return None  # "last Friday", "next March", "this September", "this Friday": the words decide
    tense = tense_near(sentence, match.start(), match.end(), weekday=bool(match.group("wd")))
    if tense == PAST and _ATTRIBUTIVE_BEFORE.search(sentence, max(0, match.start() - 8), match.start()) \
            and _NOUN_AFTER.match(sentence, match.end()):
        return None  # "picked players for the Sept. 4 game": the verb dates the picking, not the game
    return tense


def date_claims(sentence: str, index: int, published: datetime.date | None) -> list[Claim]:
    """Date claims in one sentence."""
    if not (_DATE_WORD_HINT.search(sentence) or ("-" in sentence and _ISO_HINT.search(sentence))):
        return []
    claims = []
    for match in _DATE.finditer(sentence):
        if _not_a_date(sentence, match):
            continue
        try:
            value = _value(match, published, _tense(sentence, match, published))
        except (ValueError, OverflowError):
            continue
        if value is None:
            continue
        text = match.group().rstrip(".") if match.group().endswith(".") and not match.group("y1") else match.group()
        start, end = match.start(), match.start() + len(text)
        claims.append(_claim(sentence, index, start, end, value))
    return _joined_months(sentence, index, claims)


def _claim(sentence: str, index: int, start: int, end: int, value: str) -> Claim:
    return Claim(claim_type="date", key=date_key(sentence, start, end), value=value,
                 text=sentence[start:end], sentence=sentence, start=start, end=end, sentence_index=index)


def _joined_months(sentence: str, index: int, claims: list[Claim]) -> list[Claim]:
    """Add the months joined to a month claim ("in February and March", "from October to
    January"): the same year, or the next when the list wraps round the new year. A year
    written after the last one ("between April and June 1995") is the first one's too; a
    joined month that is a claim already takes the first one's year unless it has its own."""
    i = 0
    while i < len(claims):
        first = claims[i]
        joined = _NEXT_MONTH.match(sentence, first.end) if _WHOLE_MONTH.fullmatch(first.value) else None
        i += 1
        if joined is None:
            continue
        year, month = int(first.value[:4]), int(first.value[5:7])
        later = _MONTHS[joined.group("m").lower()]
        if joined.group("y") and not _YEAR_WRITTEN.search(first.text):
            year = int(joined.group("y")) - (later < month)
            claims[i - 1] = dataclasses.replace(first, value=span_iso(year, month, 1))
        value = span_iso(year + (later < month), later, 1)
        same = next((k for k, c in enumerate(claims) if c.start == joined.start("m")), None)
        if same is None:
            claims.insert(i, _claim(sentence, index, joined.start("m"), joined.end(), value))
        elif not _YEAR_WRITTEN.search(claims[same].text) and _WHOLE_MONTH.fullmatch(claims[same].value):
            # "from April through June": the end takes the start's year, not its own "through" cue
            claims[same] = dataclasses.replace(claims[same], value=value)
    return claims
