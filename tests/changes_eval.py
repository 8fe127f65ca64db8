"""Flag precision and recall of diff_claims over the project's multi-version scenario stories.

Run: .venv/bin/python tests/changes_eval.py [-v]
Each story in tests/fixtures/scenarios/<story>/ is run through the real
extract_claims then diff_claims, version after version; see that folder's README.
"""

from __future__ import annotations

import datetime
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from factwatch.changes.text import fold_key  # noqa: E402
from factwatch.claims import extract_claims  # noqa: E402
from factwatch.changes.diff import Change, diff_claims  # noqa: E402

SCENARIOS = Path(__file__).resolve().parent / "fixtures" / "scenarios"


@dataclass(frozen=True, slots=True)
class Step:
    """One version step of one story: the flags raised and the flags expected."""

    story: str
    version: str
    flags: tuple[Change, ...]
    expected: tuple[dict, ...]
    known_gaps: tuple[dict, ...] = ()


@dataclass
class Tally:
    """Counts for precision and recall."""

    flagged: int = 0
    expected: int = 0
    matched: int = 0

    def precision(self) -> float:
        """Share of raised flags that were expected (1.0 when nothing was raised)."""
        return self.matched / self.flagged if self.flagged else 1.0

    def recall(self) -> float:
        """Share of expected flags that were raised (1.0 when nothing was expected)."""
        return self.matched / self.expected if self.expected else 1.0


@dataclass
class Report:
    """Per-step results plus tallies overall, per change kind and per claim type."""

    steps: list[Step] = field(default_factory=list)
    overall: Tally = field(default_factory=Tally)
    by_kind: dict[str, Tally] = field(default_factory=dict)
    by_type: dict[str, Tally] = field(default_factory=dict)
    misses: list[tuple[str, str, dict]] = field(default_factory=list)
    gaps: list[tuple[str, str, dict, bool]] = field(default_factory=list)
    false_flags: list[tuple[str, str, Change]] = field(default_factory=list)


def _value_matches(label: str | None, value: str | None) -> bool:
    if label is None or value is None:
        return label is value
    if label.endswith("..."):
        return fold_key(value).startswith(fold_key(label[:-3]))
    return fold_key(label) == fold_key(value)


def flag_matches(label: dict, flag: Change) -> bool:
    """Return True when a raised flag is the labelled one (type, kind, old and new value)."""
    return (
        label["claim_type"] == flag.claim_type
        and label["change_kind"] == flag.change_kind
        and _value_matches(label.get("old_value"), flag.old_value)
        and _value_matches(label.get("new_value"), flag.new_value)
    )


def run_story(folder: Path) -> list[Step]:
    """Extract claims from each version of a story and diff each against the one before."""
    story = json.loads((folder / "story.json").read_text(encoding="utf-8"))
    seen: list = []
    steps = []
    for version in story["versions"]:
        text = (folder / version["file"]).read_text(encoding="utf-8")
        claims = tuple(extract_claims(text, datetime.date.fromisoformat(version["published"])))
        if seen:
            labels = version.get("expect", [])
            steps.append(Step(
                folder.name, version["file"], diff_claims(seen[-1], claims, seen[:-1]),
                tuple(x for x in labels if not x.get("engine_gap")), tuple(x for x in labels if x.get("engine_gap")),
            ))
        seen.append(claims)
    return steps


def _count(report: Report, step: Step) -> None:
    unmatched = list(step.flags)
    for label in step.expected:
        hit = next((f for f in unmatched if flag_matches(label, f)), None)
        for tally in (report.overall, report.by_kind.setdefault(label["change_kind"], Tally()),
                      report.by_type.setdefault(label["claim_type"], Tally())):
            tally.expected += 1
            tally.matched += hit is not None
        if hit is None:
            report.misses.append((step.story, step.version, label))
        else:
            unmatched.remove(hit)
    for gap in step.known_gaps:
        report.gaps.append((step.story, step.version, gap, any(flag_matches(gap, f) for f in step.flags)))
    for flag in step.flags:
        if any(flag_matches(gap, flag) for gap in step.known_gaps):
            continue
        for tally in (report.overall, report.by_kind.setdefault(flag.change_kind, Tally()),
                      report.by_type.setdefault(flag.claim_type, Tally())):
            tally.flagged += 1
    report.false_flags += [(step.story, step.version, f) for f in unmatched
                           if not any(flag_matches(gap, f) for gap in step.known_gaps)]


def evaluate(folder: Path = SCENARIOS) -> Report:
    """Run every story under `folder` and tally flag precision and recall."""
    report = Report()
    for story in sorted(p for p in folder.iterdir() if (p / "story.json").is_file()):
        for step in run_story(story):
            report.steps.append(step)
            _count(report, step)
    return report


def _line(name: str, tally: Tally) -> str:
    return (f"{name:<18} precision {tally.precision():.3f}  recall {tally.recall():.3f}"
            f"  (flagged {tally.flagged}, expected {tally.expected}, matched {tally.matched})")


def main(argv: list[str]) -> int:
    """Print the scenario eval: overall, per change kind, per claim type, then misses."""
    report = evaluate()
    stories = Counter(step.story for step in report.steps)
    print(f"scenario stories: {len(stories)}, version steps: {len(report.steps)}")
    print(_line("ALL", report.overall))
    for name, tally in sorted(report.by_kind.items()):
        print(_line(f"kind {name}", tally))
    for name, tally in sorted(report.by_type.items()):
        print(_line(f"type {name}", tally))
    missed_gaps = sum(not found for *_, found in report.gaps)
    if report.gaps:
        with_gaps = report.overall.matched / (report.overall.expected + missed_gaps)
        print(f"known claims-engine gaps: {len(report.gaps)} labels ({missed_gaps} still missed); "
              f"recall counting them as misses {with_gaps:.3f}")
    for story, version, gap, found in report.gaps:
        state = "now FOUND, drop the engine_gap marker" if found else "still missed"
        print(f"GAP   {story}/{version}: {gap['claim_type']} {gap['change_kind']} {state}: {gap['engine_gap']}")
    for story, version, label in report.misses:
        print(f"MISS  {story}/{version}: {label}")
    for story, version, flag in report.false_flags:
        print(f"FALSE {story}/{version}: {flag.claim_type} {flag.change_kind} {flag.old_value!r} -> "
              f"{flag.new_value!r} ({flag.reason})")
    if "-v" in argv:
        for step in report.steps:
            for flag in step.flags:
                print(f"  {step.story}/{step.version}: {flag.change_kind:<10} {flag.reason} [{flag.confidence}]")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
