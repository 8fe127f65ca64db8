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
"""

from __future__ import annotations

import csv
import gzip
import json
import random
import sys
from collections import Counter
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
    _MOZ + "wapo-1": [(K, "19"), (K, "17"), (K, "1"), (K, "1"), (K, "2"), (I, "50"), (K, "19"), (K, "2"), (K, "20")],
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
