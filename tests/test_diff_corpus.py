"""Replays of real article versions (../shared/corpus) through extract_claims and diff_claims.

Skips when the corpus is absent: a user's clone does not have it.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from factwatch.changes.text import tokens
from factwatch.claims import extract_claims
from factwatch.changes.diff import CHANGE_KINDS, diff_claims

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
PAIRS = CORPUS / "newsedits-notebook-pairs"
WIKI = CORPUS / "wikipedia-post-mortem-revisions"
pytestmark = [pytest.mark.corpus, pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")]
_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@")
_DELETED = re.compile(r"<del>.*?</del>", re.S)


def _pair_stems() -> list[str]:
    if not PAIRS.is_dir():
        return []
    return [entry["stem"] for entry in json.loads((PAIRS / "pairs.json").read_text(encoding="utf-8"))]


def _diff_pair(stem: str):
    old = (PAIRS / "pairs" / f"{stem}.old.txt").read_text(encoding="utf-8")
    new = (PAIRS / "pairs" / f"{stem}.new.txt").read_text(encoding="utf-8")
    return diff_claims(extract_claims(old), extract_claims(new))


@pytest.mark.parametrize("stem", _pair_stems())
def test_newsedits_pair_changes_are_well_formed(stem):
    for change in _diff_pair(stem):
        assert change.change_kind in CHANGE_KINDS and 0.0 <= change.confidence <= 1.0


def test_newsedits_reworded_only_edit_raises_no_casualty_flag():
    # Peshawar bombing: spelling and wording edits, the tolls are restated unchanged.
    changes = _diff_pair("article695511_v1_to_v2")
    assert [c for c in changes if c.claim_type == "casualty"] == []


NEWSEDITS_FLAG_CEILING = 12


def test_newsedits_casualty_flags_only_where_a_toll_appears(capsys):
    stats, casualty = Counter(), set()
    for stem in _pair_stems():
        for change in _diff_pair(stem):
            stats[(change.claim_type, change.change_kind)] += 1
            if change.claim_type == "casualty":
                casualty.add((stem, change.change_kind))
    # Only the Kabul car bomb pair gains a toll between versions, and it must be seen.
    assert casualty == {("article515724_v0_to_v1", "added")}
    # Noise ceiling (only ever lowered): flags over all pairs when this was last measured.
    assert sum(stats.values()) <= NEWSEDITS_FLAG_CEILING, dict(stats)
    with capsys.disabled():
        print(f"\nNewsEdits pairs: flags by (type, kind): {dict(sorted(stats.items()))}")


def apply_unified_diff(base: list[str], diff_text: str) -> list[str]:
    """Apply a non-cumulative `diff -U0` to the base lines (the corpus stores one per revision)."""
    out, cursor, lines = [], 0, diff_text.splitlines()
    i = 0
    while i < len(lines):
        match = _HUNK.match(lines[i])
        i += 1
        if not match:
            continue
        start, count = int(match.group(1)), int(match.group(2) or 1)
        first = start - 1 if count else start  # a pure insertion is anchored after line `start`
        out += base[cursor:first]
        cursor = first + count
        while i < len(lines) and not lines[i].startswith("@@"):
            if lines[i].startswith("+"):
                out.append(lines[i][1:])
            i += 1
    return out + base[cursor:]


def _revision_texts(subject: str, limit: int) -> list[str]:
    from lxml import html as lxml_html

    base_file = next((WIKI / "data" / "content" / subject).glob("*.html"))
    base = base_file.read_text(encoding="utf-8").splitlines()
    texts = []
    for diff_file in sorted((WIKI / "data" / "diff" / subject).glob("*.diff"), key=lambda p: int(p.stem))[:limit]:
        page = _DELETED.sub("", "\n".join(apply_unified_diff(base, diff_file.read_text(encoding="utf-8"))))
        root = lxml_html.fromstring(page.replace("<ins>", "").replace("</ins>", ""))
        paragraphs = (" ".join(p.text_content().split()) for p in root.iter("p"))
        texts.append("\n\n".join(p for p in paragraphs if p))
    return texts


# Real fixes made by editors within the first 100 revisions (see the corpus SOURCE.md).
KNOWN_DATE_CORRECTIONS = {
    "Michael Jackson": ("2008-06-25", "2009-06-25"),  # "pronounced dead on June 25, 2008" fixed to 2009
    "Prince (musician)": ("2016-04-20", "2016-04-21"),  # death date fixed in the lede
    "David Bowie": None,
}


# Flags over the first 100 revisions when last measured (only ever lowered).
WIKIPEDIA_FLAG_CEILINGS = {"David Bowie": 21, "Michael Jackson": 13, "Prince (musician)": 29}


@pytest.mark.parametrize("subject", sorted(KNOWN_DATE_CORRECTIONS))
def test_wikipedia_revisions_replay(subject, capsys):
    if not (WIKI / "data" / "diff" / subject).is_dir():
        pytest.skip(f"no revisions for {subject}")
    texts = _revision_texts(subject, limit=100)
    versions = [extract_claims(text) for text in texts]
    stats, quiet_steps, corrections = Counter(), 0, set()
    for i in range(1, len(versions)):
        changes = diff_claims(versions[i - 1], versions[i], versions[max(0, i - 5):i - 1])
        if tokens(texts[i]) == tokens(texts[i - 1]):
            quiet_steps += 1
            assert changes == (), "a revision whose words did not change raised flags"
        same_casualty_sentences = (
            {c.sentence for c in versions[i - 1] if c.claim_type == "casualty"}
            == {c.sentence for c in versions[i] if c.claim_type == "casualty"}
        )
        if same_casualty_sentences:
            assert [c for c in changes if c.claim_type == "casualty"] == []
        stats.update(f"{c.claim_type}/{c.change_kind}" for c in changes)
        corrections |= {(c.old_value, c.new_value) for c in changes if c.change_kind == "correction"}
    if KNOWN_DATE_CORRECTIONS[subject]:
        assert KNOWN_DATE_CORRECTIONS[subject] in corrections
    # The only corrections are the editors' real fixes, and the replay gets no noisier.
    assert corrections == ({KNOWN_DATE_CORRECTIONS[subject]} if KNOWN_DATE_CORRECTIONS[subject] else set())
    assert sum(stats.values()) <= WIKIPEDIA_FLAG_CEILINGS[subject], dict(stats)
    with capsys.disabled():
        print(f"\n{subject}: {len(texts)} revisions, {quiet_steps} with unchanged words, "
              f"flags {dict(sorted(stats.items()))}")
