"""Person extraction on Reuters news (CoNLL-2003 development files): precision and recall.

Run: python tests/eval_people.py [-v]   (importable: evaluate() -> dict | None)

Documents are split with a fixed seed into a *tune* part and a held-out *measure*
part (see factwatch/claims/people_data.py); floors in
tests/test_claims_external_people.py are on the measure part only.

Scoring, per document: the gold people are the distinct PER entities after folding
case and accents and dropping leading titles ("Prince", "Mr"), where a name whose words all occur in a longer gold name of
the same document ("Blackburn" after "Peter Blackburn") is the same person. A person
claim is right when its value (the fullest form) equals a gold person's fullest
form; anything else is a false positive, and a gold person no claim equals is
missed. "prose" runs the extractor on the prose sentences of each document
only, "lists" on the rest (headlines, datelines, tables and result lists).
Skips with a note when ../shared/external is absent.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from factwatch.claims import extract_claims  # noqa: E402
from factwatch.claims.people_data import gold_people, normal, split_documents  # noqa: E402

EXTERNAL = Path(__file__).resolve().parents[1].parent / "shared" / "external"
CONLL = EXTERNAL / "conll2003"
PARTS = ("tune", "measure")
KINDS = ("all", "prose", "lists")


@dataclass
class Tally:
    """Counts for one part and kind of text."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def score_document(text: str, gold: list[str], tally: Tally, label: str) -> None:
    """Add one document's person matches to the tally."""
    expected = gold_people(gold)
    found = {normal(c.value) for c in extract_claims(text) if c.claim_type == "person"}
    tally.tp += len(expected & found)
    tally.fp += len(found - expected)
    tally.fn += len(expected - found)
    tally.errors.extend(f"{label}: spurious {n!r}" for n in sorted(found - expected))
    tally.errors.extend(f"{label}: missed {n!r}" for n in sorted(expected - found))


def tallies() -> dict[tuple[str, str], Tally] | None:
    """Tallies per (part, kind); None when the data is absent."""
    if not (CONLL / "eng.train").exists():
        return None
    parts = split_documents(CONLL)
    result = {}
    for part in PARTS:
        for kind in KINDS:
            tally = Tally()
            for doc in parts[part]:
                text = doc.text(kind)
                if text.strip() or doc.gold(kind):
                    score_document(text, doc.gold(kind), tally, doc.name)
            result[(part, kind)] = tally
    return result


def evaluate() -> dict | None:
    """Figures per part and kind: {"measure": {"prose": {"precision": .., "recall": ..}, ..}, ..}."""
    result = tallies()
    if result is None:
        return None
    figures: dict = {part: {} for part in PARTS}
    for (part, kind), tally in result.items():
        figures[part][kind] = {"precision": round(tally.precision, 4), "recall": round(tally.recall, 4),
                               "tp": tally.tp, "fp": tally.fp, "fn": tally.fn}
    return figures


def main(argv: list[str] | None = None) -> int:
    """Print the table; -v also lists every error on the tune part."""
    argv = sys.argv[1:] if argv is None else argv
    result = tallies()
    if result is None:
        print(f"person eval: {CONLL} is absent, skipped")
        return 0
    print(f"  {'part':<8} {'kind':<6} {'P':>6} {'R':>6}    tp    fp    fn")
    for (part, kind), t in result.items():
        print(f"  {part:<8} {kind:<6} {t.precision:6.3f} {t.recall:6.3f} {t.tp:5d} {t.fp:5d} {t.fn:5d}")
    if "-v" in argv:
        for kind in KINDS:
            for line in result[("tune", kind)].errors:
                print(f"  [{kind}] {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
