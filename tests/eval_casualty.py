"""Casualty counts on news the project did not write: FA-KES toll recall and hand-labelled pages.

Run: .venv/bin/python tests/eval_casualty.py        (importable: evaluate() -> dict)

Two data sets, each split with a fixed seed into a part the rules may be tuned on
("tune") and a part that is only measured ("held-out"); floors in
tests/test_claims_external_casualty.py sit on the held-out parts.

- FA-KES (../shared/external/fa-kes/fakes-dev.csv): an article counts as found when
  any killed-outcome casualty value equals the labelled total (nb_civilians +
  nb_noncivilians) or one of the non-zero counts (see ../shared/external/README.md).
  Precision cannot be measured there; claims per article are reported to watch for floods.
- Real pages (../shared/corpus): PAGE_LABELS below lists every casualty count in each
  article's main text, as (outcome, value), written down by reading the text before
  the engine was run on it. Only labels live here; the text is read from the corpus.
  Conventions: the README's (vague counts, a lone victim is 1); a named victim
  ("Zoe died") and a back-reference ("the man died", "one of the wounded") are not
  counts; projections ("could die") and percentages are not counts; an ordinal toll
  ("a 6th fatality", "the third lawmaker to die") is the count it implies.
- FA-KES pages: FA-KES articles read whole the same way (FAKES_PAGE_LABELS), twenty-eight from the
  tune side of the FA-KES split and six from the held-out side, scored like the corpus pages; eight
  more from the held-out side (FAKES_PAGE_LABELS_HELDOUT2) and eight more again (..._HELDOUT3) are
  scored as sets of their own.
"""

from __future__ import annotations

import csv
import json
import random
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from factwatch.claims import extract_claims  # noqa: E402

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
FAKES = SHARED / "external" / "fa-kes" / "fakes-dev.csv"
CORPUS = SHARED / "corpus"
SEED = 20240208  # fixed: the split must never move, or held-out text leaks into tuning

K, I, H = "killed", "injured", "hostage"
_BENCH = "article-extraction-benchmark/ground-truth.json#"
_MOZ = "mozilla-readability/test-pages/"
_TRAF = "trafilatura-eval/eval/"
_EDITS = "newsedits-notebook-pairs/pairs/"

# corpus item -> every casualty count in its main text, (outcome, value), in reading order.
PAGE_LABELS: dict[str, list[tuple[str, str]]] = {
    # wapo-1: the last two (21 beheaded, 20 of them Copts) were missed in the first reading, which skimmed
    # long pages by death words that did not include "beheaded"; added after a vocabulary re-read.
    _MOZ + "wapo-1": [(K, "19"), (K, "17"), (K, "1"), (K, "1"), (K, "2"), (I, "50"), (K, "19"), (K, "2"), (K, "20"),
                      (K, "21"), (K, "20")],
    _MOZ + "nytimes-1": [(K, "200"), (K, "20000-99999"), (K, "10")],
    _MOZ + "bbc-1": [(K, "2"), (I, "3-9"), (K, "100"), (K, "20000-99999"), (K, "9")],
    _MOZ + "webmd-2": [(K, "23000"), (K, "2")],
    _BENCH + "4a44ab3e4c41d56ce9b79eb07acb06aed1bc52aba68a950f06e7de7ef848400a": [(K, "3"), (K, "3"), (I, "30")],
    _BENCH + "7916ecca969ffdd8f6fc32d171fbe0dd63db40fe4c1d2ade02b1dec5929a162f": [(K, "2"), (H, "2"), (K, "2500")],
    _BENCH + "d90bda7ed14df19574f4ca8b1ccde5752a78f40058af1393e81cc99adb3e8756": [(K, "106"), (K, "200"), (K, "4")],
    _BENCH + "5caf91b8a4423735f866b089d2611ea14503584cf3b6f487c6d26eb7b9521fca": [(K, "1"), (K, "1")],
    _BENCH + "e372e42c0a3df7b86e1c0bacf7bc14d042144a01e88833bc5a643d61b3547090": [(I, "1")],
    _BENCH + "5fa3154ec031ab35411a457d78eb5aa92c0e803c5329bd05c001e6d64009e206": [(K, "1")],
    _BENCH + "374ac9a59a85196cdacc1679fb8993521a7b7d9d6533720f102300be1c7face4": [(K, "346")],
    _BENCH + "abd9d6291b6bfae0c3ffad8ab7623b482c6da46face0271dc42af6324d8f0ce5": [(K, "3"), (K, "3")],
    _BENCH + "8b194530308204139d9c8f7d495a26b117c78756ac1802cfc3c0a8bfdf2c0d50": [
        (K, "3-9"), (K, "2"), (K, "584"), (K, "50000000")],
    _BENCH + "ea25dd7edff4d27973600f35728f20aed5a3eedcc23257d9c3afc3d3e840c3de": [
        (K, "2000000-9999999"), (K, "584"), (K, "11")],
    _BENCH + "432362af0be43f6da757ea778bd7f2f000094a565bdebac5af7442987a5372f3": [(K, "25000000")],
    _BENCH + "c467d507551a836efa9cfe843ba5d7bafe519750e04d0c9ff0decf44f013f829": [(K, "6")],
    _BENCH + "a1fca19b884e0e946ad3fbe2a7f5031e5e3b23372702a76db302b6143c77cb31": [(H, "2")],
    _BENCH + "2c46804d9db4a85e8f8d31128ce0e11d02f25c7120c2faa5ec0664c604a47717": [(H, "1")],
    _BENCH + "16c30add7e96315e9cc957d85aa876ccb6b70055f0ddab51547a586117cc1f56": [(K, "9000000"), (K, "2500000")],
    _BENCH + "ba4dfe2d3e817ff7b8b01172ccc307850fc5469bcdd26c3c48ca046cb88ab7cf": [(K, "100000000")],
    "newspaper4k-tests/txt/cnn_article.txt": [(I, "2"), (K, "416"), (K, "12")],
    "newspaper4k-tests/txt/wired_001.txt": [(K, "1400"), (H, "200"), (K, "121"), (I, "2"), (K, "3")],
    _EDITS + "article695511_v1_to_v2.new.txt": [
        (K, "1"), (K, "9"), (K, "1"), (K, "9"), (I, "30"), (K, "3"), (K, "2")],
    _EDITS + "article515724_v0_to_v1.new.txt": [(K, "2-6")],
    _EDITS + "article957476_v0_to_v1.new.txt": [(K, "70")],
    _EDITS + "article745286_v0_to_v1.new.txt": [(K, "4")],
    _TRAF + "bbc.com.52241221.html": [(K, "7844"), (K, "16700"), (K, "97000"), (K, "777"), (K, "799")],
    _TRAF + "jamaica.gleaner.com-victims.html": [(K, "2"), (I, "1"), (I, "3")],
    _TRAF + "tribune242.com-gunned.html": [(K, "2"), (K, "22"), (K, "1")],
    _TRAF + "wsvn.com-crash.html": [(K, "1"), (I, "1")],
    _TRAF + "corkbeo.ie.level.html": [(K, "1"), (K, "34"), (K, "4")],
    _TRAF + "theintercept.com-Gaza.html": [(I, "3-9"), (K, "4")],
    _TRAF + "villagevoice.com-Party.html": [(K, "4"), (K, "16")],
    _TRAF + "jis.gov.jm-investment.html": [(K, "91"), (K, "110"), (K, "121")],
}


# FA-KES articles read whole like the pages above: every count in the text, written down before
# the engine was run on them: random.Random(SEED).sample(rows sorted by unit_id, k) on each side
# of the FA-KES split (k=12 on the tune side, read in two rounds of six; k=6 on the held-out side),
# and they stay on that side. Conventions as above; "killed or wounded" together ("175 killed injured", "killing and
# injuring dozens") is no count of either, and gas "suffocation cases" are injuries.
FAKES_PAGE_LABELS: dict[str, list[tuple[str, str]]] = {
    # tune side
    "1924058164": [(K, "35"), (K, "30"), (K, "5")],
    "1926479384": [(K, "500-1000"), (K, "40-199"), (K, "100000")],
    "1924058066": [(K, "4"), (K, "1"), (K, "4"), (K, "1"), (I, "21"), (K, "2"), (K, "11"), (K, "6"), (K, "330000")],
    "1923848214": [(K, "30"), (K, "30"), (K, "270")],
    "1962495668": [(K, "75"), (K, "30"), (I, "100"), (K, "29")],
    "1965511156": [(K, "6"), (I, "22"), (K, "6"), (I, "22"), (K, "6"), (I, "22")],
    "1919191766": [(K, "24"), (K, "24-99"), (K, "64"), (I, "24-99")],
    "1918150026": [(K, "24-99"), (I, "200-999"), (K, "58"), (K, "11"), (K, "100"), (K, "25"), (K, "15"), (I, "400")],
    "1923848284": [(K, "69"), (K, "19")],
    "1965511204": [(K, "20"), (K, "1"), (K, "20"), (K, "1"), (K, "20"), (K, "1"), (K, "20"), (K, "1")],
    "1926479264": [(K, "700"), (K, "700"), (K, "300"), (K, "300"), (K, "170000")],
    "1923102880": [(K, "3"), (K, "87"), (K, "31")],
    # round three: the first ten of random.Random(7).shuffle(tune rows not yet read, shorter than 3,500 characters)
    "1923848256": [(K, "4"), (K, "4"), (I, "7"), (K, "2"), (I, "9"), (I, "4"), (K, "330000"), (K, "2"), (K, "17")],
    "1923848136": [(K, "11")],
    "1926479226": [(K, "27"), (I, "200-999")],
    "1923102890": [(K, "35"), (K, "22"), (K, "75"), (I, "150")],
    "1923848252": [(K, "29"), (K, "29"), (K, "3"), (K, "330000")],
    "1923848268": [(K, "17"), (K, "17"), (K, "8"), (K, "280000"), (K, "15")],
    "1965495364": [(K, "120"), (K, "120"), (K, "1"), (K, "3")],
    "1965511172": [(K, "21"), (K, "21"), (K, "21"), (K, "15"), (K, "6")],
    "1924058172": [(K, "44"), (I, "24-99")],
    "1923848182": [(K, "9"), (K, "9"), (K, "9"), (I, "12")],
    # round five: the next nine of round three's shuffle
    "1919191772": [(K, "100"), (I, "3-9"), (I, "24-99"), (K, "400000")],
    "1924058212": [(K, "10"), (K, "6"), (K, "43"), (K, "7"), (K, "5"), (K, "1"), (K, "37"), (K, "24-99"), (K, "3"),
                   (K, "6"), (K, "330000")],
    "1962495702": [(K, "10"), (I, "40"), (K, "10"), (I, "40")],
    "1918398776": [(K, "16"), (K, "210000"), (K, "5"), (I, "18")],
    "1926479066": [(K, "13"), (K, "13")],
    "1926479102": [(K, "56"), (K, "1000"), (I, "2000-9999")],
    "1965511222": [(K, "7"), (K, "7"), (K, "1"), (K, "2"), (I, "9"), (K, "8"), (I, "12")],
    "1923848298": [(K, "20"), (K, "20"), (K, "3-9"), (K, "20")],
    "1923848140": [(K, "15"), (K, "4"), (K, "15"), (K, "4")],
    # round six: the next nine of round three's shuffle
    "1923848248": [(K, "20"), (K, "20")],
    "1926479142": [(K, "1"), (K, "1"), (K, "19")],
    "1914947530": [(K, "70"), (K, "200-999")],
    "1962495732": [(K, "50")],
    "1926478916": [(K, "10"), (I, "15"), (K, "6"), (K, "1"), (K, "2"), (I, "12"), (K, "4"), (K, "4"), (I, "3")],
    "1924058166": [(K, "23"), (K, "23"), (K, "20"), (I, "70")],
    "1962495662": [(K, "80"), (K, "80"), (K, "80")],
    "1965511124": [(K, "50"), (K, "50"), (K, "50"), (K, "5"), (K, "11"), (K, "11"), (K, "1")],
    "1915433692": [(K, "287"), (K, "26"), (K, "120"), (K, "24-99")],
    # round seven: the next nine of round three's shuffle
    "1918150034": [(K, "8"), (I, "89")],
    "1926479274": [(K, "1400")],
    "1965495330": [(K, "18"), (K, "10"), (K, "18"), (K, "10"), (K, "191000")],
    "1962495716": [(K, "20"), (K, "20"), (K, "18"), (K, "62"), (I, "100")],
    "1926478942": [(K, "8"), (I, "58"), (K, "8"), (I, "58"), (K, "8"), (I, "55"), (I, "3")],
    "1962495656": [(K, "100"), (K, "100")],
    "1923848170": [(K, "18"), (K, "18"), (K, "11"), (K, "4"), (K, "7"), (K, "1")],
    "1923102952": [(K, "3"), (K, "3"), (I, "5"), (K, "3"), (I, "5"), (K, "1"), (I, "1")],
    "1965511170": [(K, "44"), (I, "140"), (K, "44"), (I, "140"), (K, "44"), (I, "140")],
    # round four: the first six of random.Random(7).shuffle(tune rows not yet read, 3,500 to 6,000 characters)
    "1962495704": [(K, "20-99"), (K, "60"), (K, "60"), (K, "3-9"), (K, "50"), (K, "50"), (K, "90"), (I, "100")],
    "1926479352": [(K, "200"), (K, "213"), (K, "213"), (K, "90"), (K, "12"), (K, "5"), (K, "16"), (K, "3"), (K, "80"),
                   (K, "24-99")],
    "1924058178": [(K, "58"), (K, "25"), (K, "24-99"), (K, "82"), (K, "58"), (K, "58"), (K, "24"), (K, "250000"),
                   (K, "470000"), (K, "2000-9999"), (K, "12000"), (K, "12679"), (K, "60000"), (K, "20000"),
                   (K, "14456"), (K, "110"), (K, "6786")],
    "1965495324": [(K, "130")],
    "1924058046": [(K, "44"), (I, "24-99"), (K, "44"), (I, "140"), (K, "48"), (K, "56"), (K, "280000"), (K, "18")],
    "1924058038": [(K, "24-99"), (K, "45"), (K, "22"), (K, "9"), (K, "290000"), (H, "2000"), (I, "1")],
    # round eight (2026-12-08): three tune-side rows read while drawing held-out round three with the wrong
    # split (all rows instead of fakes_split's); read before running, kept on the tune side where they belong
    "1923102912": [(K, "22"), (K, "22"), (K, "22"), (K, "20"), (I, "24-99"), (K, "40")],
    "1923848198": [(K, "7"), (I, "20"), (K, "7"), (I, "20"), (K, "4"), (I, "19"), (K, "200000")],
    "1923848144": [(K, "86"), (K, "86"), (K, "30"), (K, "20")],
    # held-out side
    "1926478934": [(I, "6"), (I, "6")],
    "1962495650": [(K, "5"), (K, "5"), (K, "2"), (K, "5"), (K, "2")],
    "1924058162": [(K, "30")],
    "1923848254": [(K, "65"), (K, "65"), (K, "35")],
    "1962495672": [(K, "30"), (K, "30"), (K, "30"), (K, "24-99")],
    "1965511136": [(K, "32"), (K, "32"), (I, "115"), (I, "3-9"), (K, "32"), (I, "115"), (I, "3-9"), (K, "40-199")],
}
# Held-out round two, read on 2026-11-28 to measure the rules as they stand, on a bigger sample
# (never listed, never tuned on): the first eight of random.Random(7).shuffle(held-out rows not yet
# read, shorter than 3,500 characters). Scored apart from the first six, so each keeps its own floor.
FAKES_PAGE_LABELS_HELDOUT2: dict[str, list[tuple[str, str]]] = {
    "1924058184": [(K, "31"), (K, "10"), (K, "21"), (K, "8"), (K, "280000")],
    "1923102948": [(K, "25"), (K, "47"), (K, "82"), (K, "58"), (K, "24-99")],
    "1923848164": [(K, "31"), (K, "31"), (K, "31"), (I, "170")],
    "1926479260": [(K, "1400")],
    "1923848226": [(K, "14"), (K, "5"), (K, "14"), (K, "5"), (K, "1")],
    "1926478966": [(K, "10"), (K, "10"), (K, "3"), (K, "6"), (K, "1")],
    "1962495730": [(K, "4"), (I, "4"), (K, "4"), (I, "4"), (K, "2"), (I, "2")],
    "1915433682": [(K, "2"), (K, "2"), (K, "200-999"), (K, "25"), (K, "40-199"), (K, "40-199")],
}
# Held-out round three, read on 2026-12-08 (before the engine was run on them) to measure the rules as
# they stand: the first eight of random.Random(7).shuffle(sorted held-out rows of fakes_split() in
# neither list above, shorter than 3,500 characters). Scored as a set of its own.
FAKES_PAGE_LABELS_HELDOUT3: dict[str, list[tuple[str, str]]] = {
    "1923848250": [(K, "20"), (K, "20"), (I, "30")],
    "1924058186": [(K, "14"), (K, "50")],
    "1914947536": [(K, "16"), (K, "16"), (I, "3-9")],
    "1923848316": [(K, "2"), (K, "2"), (K, "2"), (I, "5"), (I, "3"), (I, "22")],
    "1923848218": [(K, "30"), (K, "30")],
    "1965495366": [(K, "8"), (K, "14")],
    "1926479140": [(K, "1127")],  # "a third of them women and children" is a share, not a count
    "1918398796": [(K, "16"), (I, "25"), (K, "250000"), (K, "470000")],
}


def _split(items: list[str]) -> tuple[list[str], list[str]]:
    """(tune, held-out): a seeded shuffle of the sorted items, halved."""
    order = sorted(set(items))
    random.Random(SEED).shuffle(order)
    half = len(order) // 2
    return sorted(order[:half]), sorted(order[half:])


class _TextParser(HTMLParser):
    """Visible text of an HTML fragment, one line per block element."""

    BLOCKS = frozenset("p div h1 h2 h3 h4 h5 h6 li br blockquote tr section article figure figcaption".split())

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("script", "style")
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        self.skip -= tag in ("script", "style") and self.skip > 0
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def html_text(markup: str) -> str:
    """Readability's expected.html as plain text paragraphs."""
    parser = _TextParser()
    parser.feed(markup)
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def page_text(item: str) -> str:
    """Main text of one corpus item: the corpus's own gold text, else the project's extractor."""
    from factwatch.extract.article import extract_article

    if item.startswith(_BENCH):
        gold = json.loads((CORPUS / _BENCH.rstrip("#")).read_text(encoding="utf-8"))
        return gold[item.split("#", 1)[1]]["articleBody"]
    if item.startswith(_MOZ):
        return html_text((CORPUS / item / "expected.html").read_text(encoding="utf-8"))
    if item.startswith(_TRAF):
        return extract_article((CORPUS / item).read_text(encoding="utf-8", errors="replace")).text
    return (CORPUS / item).read_text(encoding="utf-8")


def _casualties(text: str) -> list:
    return [c for c in extract_claims(text) if c.claim_type == "casualty"]


def score_pages(items: list[str], verbose: bool = False, texts: dict[str, str] | None = None,
                labels: dict[str, list[tuple[str, str]]] = PAGE_LABELS) -> dict:
    """Precision and recall of (outcome, value) pairs over the labelled pages (corpus items, or given texts)."""
    tp = fp = fn = 0
    for item in items:
        got = Counter((c.attr("outcome"), c.value) for c in _casualties(texts[item] if texts else page_text(item)))
        expected = Counter(labels[item])
        hit = sum((got & expected).values())
        tp, fp, fn = tp + hit, fp + sum(got.values()) - hit, fn + sum(expected.values()) - hit
        if verbose and got != expected:
            print(f"  {item}: missed {sorted((expected - got).elements())} extra {sorted((got - expected).elements())}")
    return {
        "pages": len(items), "counts": tp + fn, "tp": tp, "fp": fp, "fn": fn,
        "precision": tp / (tp + fp) if tp + fp else 1.0, "recall": tp / (tp + fn) if tp + fn else 1.0,
    }


def fakes_rows() -> list[dict]:
    """FA-KES rows with a non-zero toll."""
    csv.field_size_limit(sys.maxsize)
    with FAKES.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [r for r in rows if _int(r["nb_civilians"]) + _int(r["nb_noncivilians"]) > 0]


def _int(value: str) -> int:
    try:
        return int(float(value or 0))
    except ValueError:
        return 0


def _targets(row: dict) -> set[str]:
    counts = [_int(row[k]) for k in ("nb_civilians", "nb_noncivilians", "nb_children", "nb_women")]
    return {str(counts[0] + counts[1])} | {str(c) for c in counts if c}


def score_fakes(rows: list[dict], verbose: bool = False) -> dict:
    """Toll recall: the share of articles whose labelled toll is among the killed values."""
    found, claims = 0, []
    for row in rows:
        casualties = _casualties(row["article_content"])
        claims.append(len(casualties))
        values = {c.value for c in casualties if c.attr("outcome") == "killed"}
        if values & _targets(row):
            found += 1
        elif verbose:
            print(f"  fa-kes {row['unit_id']}: toll {sorted(_targets(row))} got {sorted(values)}")
    claims.sort()
    return {
        "articles": len(rows), "found": found, "recall": found / len(rows) if rows else 1.0,
        "claims_mean": sum(claims) / len(claims) if claims else 0.0,
        "claims_max": claims[-1] if claims else 0,
    }


def fakes_split() -> tuple[list[dict], list[dict]] | None:
    """(tune rows, held-out rows) split by unit_id, so a repeated article stays on one side."""
    if not FAKES.exists():
        return None
    rows = fakes_rows()
    tune, _ = _split([r["unit_id"] for r in rows])
    tune_ids = set(tune)
    return [r for r in rows if r["unit_id"] in tune_ids], [r for r in rows if r["unit_id"] not in tune_ids]


def pages_split() -> tuple[list[str], list[str]] | None:
    """(tune items, held-out items) of the labelled pages; None when the corpus is absent."""
    if not CORPUS.exists():
        return None
    return _split(list(PAGE_LABELS))


def quiet_pages() -> dict | None:
    """Casualty claims on the benchmark pages that report no casualties (every one listed in
    PAGE_LABELS is left out): a precision check on ordinary news, where the right count is none
    but for a page's own asides (one sidebar headline, "3 Hospitalized After Wrong-Way Crash")."""
    gold_path = CORPUS / _BENCH.rstrip("#")
    if not gold_path.exists():
        return None
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    labelled = {item.split("#", 1)[1] for item in PAGE_LABELS if item.startswith(_BENCH)}
    pages = [page for key, page in gold.items() if key not in labelled]
    claims = sum(len(_casualties(page.get("articleBody", ""))) for page in pages)
    return {"pages": len(pages), "claims": claims}


def evaluate(verbose: bool = False) -> dict:
    """Figures for FA-KES and the labelled pages, tuned and held-out; absent data is left out.

    `verbose` lists the misses of the tune parts only.
    """
    result: dict = {}
    fakes = fakes_split()
    if fakes is not None:
        result["fakes_tune"] = score_fakes(fakes[0], verbose)
        result["fakes_heldout"] = score_fakes(fakes[1])  # never listed: misses there must not guide rules
        texts = {r["unit_id"]: r["article_content"] for part in fakes for r in part}
        sides = [sorted(u for u in FAKES_PAGE_LABELS if u in {r["unit_id"] for r in part}) for part in fakes]
        result["fakes_pages_tune"] = score_pages(sides[0], verbose, texts, FAKES_PAGE_LABELS)
        result["fakes_pages_heldout"] = score_pages(sides[1], False, texts, FAKES_PAGE_LABELS)
        result["fakes_pages_heldout2"] = score_pages(sorted(FAKES_PAGE_LABELS_HELDOUT2), False, texts,
                                                     FAKES_PAGE_LABELS_HELDOUT2)
        result["fakes_pages_heldout3"] = score_pages(sorted(FAKES_PAGE_LABELS_HELDOUT3), False, texts,
                                                     FAKES_PAGE_LABELS_HELDOUT3)
    pages = pages_split()
    if pages is not None:
        result["pages_tune"] = score_pages(pages[0], verbose)
        result["pages_heldout"] = score_pages(pages[1])
    quiet = quiet_pages()
    if quiet is not None:
        result["quiet_pages"] = quiet
    return result


def main(argv: list[str] | None = None) -> int:
    """Print the figures as a small table; -v lists the misses on the tune parts."""
    argv = sys.argv[1:] if argv is None else argv
    figures = evaluate("-v" in argv)
    if not figures:
        print("../shared/external and ../shared/corpus are absent: nothing to evaluate")
        return 0
    print(f"{'set':<21} {'n':>5} {'recall':>7} {'precision':>9}   detail")
    for name, f in figures.items():
        if "claims" in f:
            print(f"{name:<21} {f['pages']:5d} {'-':>7} {'-':>9}   {f['claims']} casualty claims on pages that report none")
        elif "articles" in f:
            print(f"{name:<21} {f['articles']:5d} {f['recall']:7.3f} {'-':>9}   found {f['found']}, "
                  f"claims/article mean {f['claims_mean']:.1f} max {f['claims_max']}")
        else:
            print(f"{name:<21} {f['pages']:5d} {f['recall']:7.3f} {f['precision']:9.3f}   "
                  f"{f['counts']} counts: tp {f['tp']} fp {f['fp']} fn {f['fn']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
