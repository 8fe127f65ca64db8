"""Count expressions in news prose: digits, number words, scales, ranges, vague plurals.

Values are always plain digits ("27840") or a digit range ("2-6"). Vague plural
counts become ranges by a fixed convention, so a value can always be compared:

    a dozen -> 12           dozens -> 24-99        scores -> 40-199
    half a dozen -> 6       two dozen -> 24        a quarter of a million -> 250000
    several -> 3-9          hundreds -> 200-999    thousands -> 2000-9999
    several dozen, a few dozen -> 24-99           several hundred -> 200-999
    tens of thousands -> 20000-99999               hundreds of thousands -> 200000-999999

Qualifiers are normalised to a small vocabulary: "at least", "more than", "over",
"nearly", "about", "up to", "an estimated", "fewer than" (or "").
"""

from __future__ import annotations

import re

from text_to_num import text2num

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
_VAGUE = {
    "dozens": (24, 99), "tens": (20, 99), "scores": (40, 199), "several": (3, 9), "hundreds": (200, 999),
    "thousands": (2000, 9999), "tens of thousands": (20000, 99999),
    "hundreds of thousands": (200000, 999999), "millions": (2_000_000, 9_999_999),
    # "several dozen", "a few hundred": the plural's range
    "several dozen": (24, 99), "a few dozen": (24, 99), "several hundred": (200, 999), "a few hundred": (200, 999),
    "several thousand": (2000, 9999), "a few thousand": (2000, 9999),
}
_QUALIFIERS = {
    "at least": "at least", "atleast": "at least", "more than": "more than", "upwards of": "more than",
    "over": "over", "well over": "over", "just over": "over",
    "nearly": "nearly", "almost": "nearly", "close to": "nearly",
    "about": "about", "around": "about", "approximately": "about", "roughly": "about",
    "some": "about", "up to": "up to", "as many as": "up to", "as high as": "up to", "at most": "up to",
    "an estimated": "an estimated", "estimated": "an estimated",
    "fewer than": "fewer than", "less than": "fewer than", "a total of": "",
}

_UNIT_WORDS = "|".join(sorted(_UNITS, key=len, reverse=True))
_TENS_WORDS = "|".join(_TENS)
_BELOW_100 = (
    rf"(?:(?:{_TENS_WORDS})(?:[-\s](?:one|two|three|four|five|six|seven|eight|nine)\b)?|(?:{_UNIT_WORDS})\b)"
)
_BELOW_1000 = rf"(?:(?:{_BELOW_100}|a)\s+hundred(?:\s+(?:and\s+)?{_BELOW_100})?|{_BELOW_100})"
# "one hundred and twelve", "two thousand five hundred", "three million": one expression, one value.
_WORD_NUMBER = (
    rf"{_BELOW_1000}(?:\s+(?:thousand|million|billion)(?:,?\s+(?:and\s+)?{_BELOW_1000}(?!\s+(?:thousand|million)))?)?"
)
_DIGITS = (
    r"\d{1,3}(?:(?:,|[ \u00a0\u202f\u2009])\d{3})+(?![\d,.]\d)"
    r"|\d+(?:\.\d+)?(?:\s+(?:million|billion|thousand))?"
)
_SINGLE = (
    rf"(?:a\s+dozen|half\s+a\s+dozen|(?:a\s+quarter\s+of\s+|half\s+)a\s+(?:million|billion)|(?:{_BELOW_100})\s+dozen\b|a\s+(?:thousand|million)|tens\s+of\s+thousands"
    rf"|hundreds\s+of\s+thousands"
    rf"|(?:several|a\s+few)\s+(?:dozen|hundred|thousand)\b"
    rf"|dozens|tens|scores|several|hundreds|thousands|millions|{_DIGITS}|{_WORD_NUMBER})"
)
# One number expression: a range first (so "between two and six" wins), then a single.
NUMBER = (
    rf"(?<![\w$£€.,-])(?:between\s+{_SINGLE}\s+and\s+{_SINGLE}|{_SINGLE}\s+(?:to|or)\s+{_SINGLE}"
    rf"|\d+\s*[-–]\s*\d+|{_SINGLE})(?:(?<=\d)(?=[a-z]{{4,}})|(?![\w-]|[.,]\d))"  # "12people": markup glued them
)
QUALIFIER = "|".join(sorted((q.replace(" ", r"\s+") for q in _QUALIFIERS), key=len, reverse=True))

_NUMBER_RE = re.compile(NUMBER, re.IGNORECASE)
_SPACE = re.compile(r"\s+")
_RANGE_SPLIT = re.compile(r"^between\s+(.+?)\s+and\s+(.+)$|^(.+?)\s*(?:-|–|\bto\b|\bor\b)\s*(.+)$")


def _single_value(words: str) -> tuple[int, int] | None:
    text = _SPACE.sub(" ", words.strip().lower())
    if text in _VAGUE:
        return _VAGUE[text]
    if text == "a dozen":
        return 12, 12
    if text == "half a dozen":
        return 6, 6
    if text.endswith(("a million", "a billion")) and text.startswith(("half", "a quarter")):
        scale = _SCALES[text.split()[-1]]
        value = scale // 2 if text.startswith("half") else scale // 4
        return value, value
    if text.endswith(" dozen"):  # "two dozen"
        times = _word_value(text[:-6])
        return (times[0] * 12, times[1] * 12) if times else None
    if text[:1].isalpha():
        return _word_value(text)
    parts = text.split(" ")
    scale = _SCALES.get(parts[-1], 1) if len(parts) > 1 else 1
    head = " ".join(parts[:-1]) if scale > 1 else text
    number = _head_value(head)
    if number is None:
        return None
    value = round(number * scale)
    return value, value


def _head_value(head: str) -> float | None:
    digits = re.sub(r"[,\u00a0\u202f\u2009 ]", "", head)
    if re.fullmatch(r"\d+(?:\.\d+)?", digits):
        return float(digits)
    return None


def _word_value(text: str) -> tuple[int, int] | None:
    """Value of number words ("one hundred and twelve"); text2num knows the English grammar."""
    if text in _UNITS:  # the common case, without a library call
        return _UNITS[text], _UNITS[text]
    try:
        value = text2num(re.sub(r"^a ", "one ", text.replace(",", "")), "en")
    except ValueError:
        return None
    return value, value


def parse_number(words: str) -> tuple[int, int] | None:
    """Return (low, high) for a number expression matched by NUMBER, or None."""
    text = _SPACE.sub(" ", words.strip().lower())
    single = _single_value(text)
    if single is not None:
        return single
    split = _RANGE_SPLIT.match(text)
    if not split:
        return None
    left, right = (split.group(1), split.group(2)) if split.group(1) else (split.group(3), split.group(4))
    low, high = _single_value(left), _single_value(right)
    if low is None or high is None or not _plausible_range(text, low[0], high[0]):
        return None
    return min(low[0], high[0]), max(low[1], high[1])


def _plausible_range(text: str, low: int, high: int) -> bool:
    """A "to"/"or" range spans one order of magnitude at most: "7 to 27,840" is a date, then a toll."""
    if "-" in text or "–" in text:
        return low <= high  # "2-6"; a score ("2-1") runs the other way
    if text.startswith("between"):
        return True
    return high <= 10 * max(low, 1)


def format_value(bounds: tuple[int, int]) -> str:
    """Render (low, high) as "27840" or "2-6"."""
    low, high = bounds
    return str(low) if low == high else f"{low}-{high}"


def normalise_qualifier(words: str) -> str:
    """Map a surface qualifier ("Almost", "as many as") onto the house vocabulary."""
    return _QUALIFIERS.get(_SPACE.sub(" ", words.strip().lower()), "")


def is_vague(words: str) -> bool:
    """True for counts given as a vague plural ("dozens", "hundreds")."""
    text = _SPACE.sub(" ", words.strip().lower())
    return any(vague in text for vague in _VAGUE)


def is_range_text(words: str) -> bool:
    """True when a number expression is written as a range ("7 to 27,840", "two or three")."""
    return bool(re.search(r"\s(?:to|or|and)\s|[-–]", words))


def find_numbers(text: str) -> list[re.Match]:
    """Every number expression in text (useful for tests and debugging)."""
    return list(_NUMBER_RE.finditer(text))
