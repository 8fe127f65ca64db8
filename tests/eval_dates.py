"""Date extraction scored on TimeBank 1.2 (TempEval-3 TBAQ-cleaned), tuned and held-out parts.

Run: PYTHONPATH=. .venv/bin/python tests/eval_dates.py [--errors tune|measure]

Data: ../shared/external/timebank/*.tml (see ../shared/external/README.md). The file names are
split with a fixed seed into a tune part (60%, rules may be fitted to it) and a measure part
(40%, only ever measured; the floors in test_claims_external_dates.py sit on it).

How a document is run, as the pipeline would: the creation time goes into a minimal HTML page as
`<meta name="date">`, `extract_article` reads it back as the publication date (counted as
`dct_read`), and `extract_claims(text, published or today)` runs on the TimeML text with the tags
stripped, so every claim maps back to character offsets of the gold TIMEX3 spans.

Scoring, on DATE timexes whose value is a day (1998-02-13) or a month (1998-02):
- span recall: a gold timex overlapped by some predicted date claim;
- value recall: ... overlapped by a claim whose value is right;
- value accuracy: of the gold timexes with a span match, how many have a right value;
- precision: predicted dates that overlap a DATE timex of any value (day, month, year, quarter,
  `*_REF`), or a TIME timex that names a calendar day ("Friday night" is 1998-02-13TNI), over all
  predicted dates. A claim overlapping only a DURATION or SET timex, or no timex, is a false positive.
A value is right when it equals the gold day; for a gold month, when it is the whole month or a
part of it (TimeML cannot say "late January", factwatch can). For "since <date>" claims the start
of the interval is compared. Years, quarters and `*_REF` timexes are counted separately
(`other_gold`, and how many of them a claim overlaps); factwatch does not make claims of them.
"""

from __future__ import annotations

import argparse
import datetime
import html
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from factwatch.claims import extract_claims  # noqa: E402

EXTERNAL = REPO.parent / "shared" / "external"
TIMEBANK = EXTERNAL / "timebank"
SEED = 20240128
TUNE_SHARE = 0.6
_TAG = re.compile(r"<(/?)(\w+)([^>]*)>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')
_DAY_OR_MONTH = re.compile(r"\d{4}-\d\d(?:-\d\d)?")


@dataclass(frozen=True, slots=True)
class Timex:
    """One gold TIMEX3 inside the text: offsets, type, normalised value and words."""

    start: int
    end: int
    type: str
    value: str
    text: str


@dataclass(frozen=True, slots=True)
class Document:
    """A TimeML document: creation date, plain text and the gold timexes in it."""

    name: str
    created: datetime.date
    text: str
    timexes: tuple[Timex, ...]


def load_document(path: Path) -> Document:
    """Parse one .tml file: strip the tags from <TEXT>, keeping timex offsets."""
    raw = path.read_text(encoding="utf-8")
    value = dict(_ATTR.findall(re.search(r'<TIMEX3[^>]*"CREATION_TIME"[^>]*>', raw).group()))["value"]
    body = raw[raw.index("<TEXT>") + len("<TEXT>"):raw.index("</TEXT>")]
    parts: list[str] = []
    length, open_timex, timexes = 0, None, []
    cursor = 0
    for tag in _TAG.finditer(body):
        chunk = html.unescape(body[cursor:tag.start()])
        parts.append(chunk)
        length += len(chunk)
        cursor = tag.end()
        if tag.group(2) != "TIMEX3":
            continue
        if tag.group(1):
            attrs, start = open_timex
            timexes.append(Timex(start, length, attrs.get("type", ""), attrs.get("value", ""),
                                 "".join(parts)[start:length]))
        else:
            open_timex = (dict(_ATTR.findall(tag.group(3))), length)
    parts.append(html.unescape(body[cursor:]))
    return Document(path.stem, datetime.date.fromisoformat(value[:10]), "".join(parts), tuple(timexes))


def split_names(names: list[str]) -> tuple[list[str], list[str]]:
    """Seeded shuffle of sorted names -> (tune, measure)."""
    shuffled = sorted(names)
    random.Random(SEED).shuffle(shuffled)
    cut = round(len(shuffled) * TUNE_SHARE)
    return sorted(shuffled[:cut]), sorted(shuffled[cut:])


def read_publication_date(created: datetime.date) -> datetime.date | None:
    """What extract_article reads from a page carrying the creation time as <meta name="date">."""
    from factwatch.extract.article import extract_article  # trafilatura is heavy: import on use

    page = (f'<html><head><meta name="date" content="{created.isoformat()}"><title>t</title></head>'
            "<body><article><p>" + "A wire story paragraph that is long enough to count as prose. " * 3
            + "</p></article></body></html>")
    return extract_article(page).published


def predicted_dates(doc: Document, published: datetime.date) -> list[tuple[int, int, str, str]]:
    """Date claims of a document as (start, end, value, text) in document offsets."""
    out, cursor = [], 0
    for claim in extract_claims(doc.text, published):
        if claim.claim_type != "date":
            continue
        where = doc.text.find(claim.sentence, cursor)
        if where < 0:
            where = doc.text.find(claim.sentence)
        cursor = max(cursor, where)
        out.append((where + claim.start, where + claim.end, claim.value, claim.text))
    return out


def value_right(predicted: str, text: str, gold: str) -> bool:
    """Does a predicted ISO date / interval say the gold day or month?"""
    first, _, last = predicted.partition("/")
    if text.lower().startswith("since") or not last:
        last = first
    if len(gold) == 10:
        return first == last == gold
    return first[:7] == gold and last[:7] == gold


def _overlaps(a_start: int, a_end: int, b: Timex) -> bool:
    return a_start < b.end and b.start < a_end


def _counts_for_precision(timex: Timex) -> bool:
    return timex.type == "DATE" or (timex.type == "TIME" and bool(re.match(r"\d{4}-\d\d-\d\d", timex.value)))


def score_documents(docs: list[Document], errors: list[str] | None = None) -> dict:
    """Span/value recall, value accuracy and precision over documents."""
    gold_n = span_hit = value_hit = pred_n = pred_ok = other_n = other_hit = dct_ok = 0
    for doc in docs:
        published = read_publication_date(doc.created)
        dct_ok += published == doc.created
        preds = predicted_dates(doc, published or datetime.date.today())
        for timex in doc.timexes:
            overlapping = [p for p in preds if p[0] < timex.end and timex.start < p[1]]
            if timex.type != "DATE":
                continue
            if not _DAY_OR_MONTH.fullmatch(timex.value):
                other_n += 1
                other_hit += bool(overlapping)
                continue
            gold_n += 1
            span_hit += bool(overlapping)
            right = any(value_right(p[2], p[3], timex.value) for p in overlapping)
            value_hit += right
            if errors is not None and not right:
                got = "; ".join(f"{p[3]!r}={p[2]}" for p in overlapping) or "-"
                errors.append(f"{doc.name} [{doc.created}] MISS {timex.text!r}={timex.value} got {got}"
                              f" | {_context(doc.text, timex.start, timex.end)}")
        for start, end, value, text in preds:
            pred_n += 1
            ok = any(_overlaps(start, end, t) and _counts_for_precision(t) for t in doc.timexes)
            pred_ok += ok
            if errors is not None and not ok:
                errors.append(f"{doc.name} [{doc.created}] FP {text!r}={value} | {_context(doc.text, start, end)}")
    return {
        "documents": len(docs), "gold": gold_n, "predicted": pred_n,
        "span_recall": span_hit / gold_n if gold_n else 1.0,
        "value_recall": value_hit / gold_n if gold_n else 1.0,
        "value_accuracy": value_hit / span_hit if span_hit else 1.0,
        "precision": pred_ok / pred_n if pred_n else 1.0,
        "dct_read": dct_ok / len(docs) if docs else 1.0,
        "other_gold": other_n, "other_overlapped": other_hit,
    }


def _context(text: str, start: int, end: int) -> str:
    return " ".join((text[max(0, start - 70):start] + "[[" + text[start:end] + "]]" + text[end:end + 50]).split())


def evaluate(errors: dict[str, list[str]] | None = None) -> dict | None:
    """Figures for the tune and measure parts; None when the TimeBank data is absent."""
    if not TIMEBANK.exists():
        return None
    paths = {p.name: p for p in TIMEBANK.glob("*.tml")}
    tune, measure = split_names(list(paths))
    result = {}
    for part, names in (("tune", tune), ("measure", measure)):
        docs = [load_document(paths[n]) for n in names]
        result[part] = score_documents(docs, errors.setdefault(part, []) if errors is not None else None)
    return result


def main() -> int:
    """Print the figures as a small table (and the errors of one part with --errors)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--errors", choices=["tune", "measure"])
    args = parser.parse_args()
    errors: dict[str, list[str]] | None = {} if args.errors else None
    result = evaluate(errors)
    if result is None:
        print(f"skipped: {TIMEBANK} is absent")
        return 0
    if errors is not None:
        print("\n".join(errors[args.errors]))
    columns = ["documents", "gold", "predicted", "span_recall", "value_recall", "value_accuracy",
               "precision", "dct_read", "other_gold", "other_overlapped"]
    widths = [len(c) + 2 for c in columns]
    print(f"{'part':8}" + "".join(f"{c:>{w}}" for c, w in zip(columns, widths)))
    for part, figures in result.items():
        print(f"{part:8}" + "".join(
            f"{figures[c]:>{w}.3f}" if isinstance(figures[c], float) else f"{figures[c]:>{w}}"
            for c, w in zip(columns, widths)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
