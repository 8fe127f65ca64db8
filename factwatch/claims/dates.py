"""Date claims: absolute dates, vague periods and weekdays resolved against publication.

- value: ISO date "2024-01-28" or ISO interval "2024-01-21/2024-01-31". Early /
  mid / late <month> are days 1-10 / 11-20 / 21-end. "since <date>" is an
  interval ending at publication ("/.." when publication is unknown).
- A day and month with no year takes the latest such date on/before publication
  (past-tense reporting); with no publication date it is written "--01-28".
- Weekdays, "today" and "yesterday" resolve to the most recent such day on/before
  publication; with no publication date they are skipped.
- key: "date:" + up to three content words nearest the date in its clause, left
  side first ("date:troops-jordan" for "...killed three US troops in Jordan in late
  January"), so "late January" -> "28 January" for the same event keeps its key.
"""

from __future__ import annotations

import calendar
import datetime
import re

from factwatch.claims.model import Claim

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December" \
         r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"
_FULL_MONTH = r"(?:January|February|March|April|June|July|August|September|October|November|December)"
_YEAR = r"(?:1[89]|20)\d\d"
_DATE = re.compile(  # word start + first-letter lookahead: most positions fail on one test
    rf"(?<!\w)(?=[0-9JFMASONDTWYemltoysS])(?P<since>\b(?i:since)\s+)?(?:"
    rf"\b(?P<iy>{_YEAR})-(?P<im>[01]\d)-(?P<id>[0-3]\d)\b"
    rf"|\b(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m1>{_MONTH})\b\.?(?:,?\s+(?P<y1>{_YEAR})\b)?"
    rf"|\b(?P<m2>{_MONTH})\b\.?\s+(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?\b(?!:)(?:,?\s+(?P<y2>{_YEAR})\b)?"
    rf"|\b(?P<part>(?i:early|mid|late|the\s+end\s+of|the\s+start\s+of|the\s+beginning\s+of))[\s-]+"
    rf"(?P<m3>{_MONTH})\b(?:\s+(?P<y3>{_YEAR})\b)?"
    rf"|(?:(?<=\bin )|(?<=\bby )|(?<=\bsince ))(?P<m4>{_FULL_MONTH})\b(?:\s+(?P<y4>{_YEAR})\b)?"
    rf"|(?P<wpre>\b(?i:overnight\s+and\s+into|last|on)\s+)?\b(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday"
    rf"|Saturday|Sunday)\b(?:\s+(?P<wpart>morning|afternoon|evening|night))?"
    rf"|\b(?P<rel>[Tt]oday|[Yy]esterday)\b)"
)
_ANY_DATE_HINT = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Mon|Tue|Wed|Thu|Fri|Sat|Sun|[Tt]oday|[Yy]esterday)"
    r"|\d{4}-\d\d-\d\d"
)
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


def _month_end(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _infer_year(month: int, day: int, published: datetime.date | None) -> int | None:
    if published is None:
        return None
    year = published.year
    if (month, day) > (published.month, published.day):
        year -= 1
    return year


def _fmt(year: int | None, month: int, day: int) -> str:
    if year is None:
        return f"--{month:02d}-{day:02d}"
    datetime.date(year, month, day)  # raises ValueError on impossible dates
    return f"{year:04d}-{month:02d}-{day:02d}"


def _month_day(match: re.Match, published) -> str:
    if match.group("iy"):
        return _fmt(int(match.group("iy")), int(match.group("im")), int(match.group("id")))
    day = int(match.group("d1") or match.group("d2"))
    month = _MONTHS[(match.group("m1") or match.group("m2")).lower()]
    year_text = match.group("y1") or match.group("y2")
    year = int(year_text) if year_text else _infer_year(month, day, published)
    if year is None:
        datetime.date(2000, month, day)  # leap year: accepts every possible month-day
    return _fmt(year, month, day)


def _period(match: re.Match, published) -> str:
    month = _MONTHS[(match.group("m3") or match.group("m4")).lower()]
    year_text = match.group("y3") or match.group("y4")
    year = int(year_text) if year_text else _infer_year(month, 1, published)
    part = " ".join((match.group("part") or "").lower().split())
    last = _month_end(year or 2001, month)
    first_day, last_day = {
        "early": (1, 10), "mid": (11, 20), "late": (21, last), "the end of": (21, last),
        "the start of": (1, 10), "the beginning of": (1, 10),
    }.get(part, (1, last))
    return f"{_fmt(year, month, first_day)}/{_fmt(year, month, last_day)}"


_FUTURE = re.compile(
    r"\b(?:will|would|is\s+due|are\s+due|plans?\s+to|(?:is|are)\s+expected|scheduled|next|until)\b",
    re.IGNORECASE,
)


def _relative(match: re.Match, published: datetime.date, future: bool) -> str:
    if match.group("rel"):
        back = 0 if match.group("rel").lower() == "today" else 1
        return (published - datetime.timedelta(days=back)).isoformat()
    target = _WEEKDAYS.index(match.group("wd").lower())
    if future:
        ahead = (target - published.weekday()) % 7 or 7
        return (published + datetime.timedelta(days=ahead)).isoformat()
    day = published - datetime.timedelta(days=(published.weekday() - target) % 7)
    if match.group("wpre") and match.group("wpre").lower().startswith("last") and day == published:
        day -= datetime.timedelta(days=7)
    if match.group("wpre") and match.group("wpre").lower().startswith("overnight"):
        return f"{(day - datetime.timedelta(days=1)).isoformat()}/{day.isoformat()}"
    return day.isoformat()


def _value(match: re.Match, published: datetime.date | None, future: bool = False) -> str | None:
    try:
        if match.group("wd") or match.group("rel"):
            if published is None:
                return None
            value = _relative(match, published, future)
        elif match.group("m3") or match.group("m4"):
            value = _period(match, published)
        else:
            value = _month_day(match, published)
    except ValueError:
        return None
    if match.group("since"):
        start = value.split("/")[0]
        value = f"{start}/{published.isoformat() if published else '..'}"
    return value


def date_key(sentence: str, start: int, end: int) -> str:
    """Key from up to three content words nearest the date within its clause."""
    left_cut = max((m.end() for m in _CLAUSE.finditer(sentence, 0, start)), default=0)
    right = _CLAUSE.search(sentence, end)
    left_words = [w.lower() for w in _CONTENT.findall(sentence[left_cut:start]) if w.lower() not in _STOP]
    right_words = [w.lower() for w in _CONTENT.findall(sentence[end:right.start() if right else None])
                   if w.lower() not in _STOP]
    words = (left_words[-3:] + right_words)[:3] if left_words else right_words[:3]
    return "date:" + ("-".join(w.replace("’", "'") for w in words) or "undated")


def date_claims(sentence: str, index: int, published: datetime.date | None) -> list[Claim]:
    """Date claims in one sentence."""
    if not _ANY_DATE_HINT.search(sentence):
        return []
    claims = []
    for match in _DATE.finditer(sentence):
        future = bool(_FUTURE.search(sentence, 0, match.start()))
        value = _value(match, published, future)
        if value is None:
            continue
        text = match.group().rstrip(".") if match.group().endswith(".") and not match.group("y1") else match.group()
        start, end = match.start(), match.start() + len(text)
        claims.append(Claim(
            claim_type="date", key=date_key(sentence, start, end), value=value, text=text,
            sentence=sentence, start=start, end=end, sentence_index=index,
        ))
    return claims
