"""Pairwise precision and recall of story clustering on a labelled set of multi-outlet stories.

Run: .venv/bin/python tests/stories_eval.py [-v]
Two sets: the project's own multi-outlet stories (tests/fixtures/stories/labelled.json), split by event with a
fixed seed into a part the thresholds were tuned on and a held-out part they are only measured on; and, when
../shared/corpus is present, the NewsEdits before/after pairs (each pair one story, every pair another event),
measured only. Articles go through the real claims engine and are clustered one at a time, oldest first, as
the writer does.
"""

from __future__ import annotations

import json
import random
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from factwatch.claims import extract_claims  # noqa: E402
from factwatch.stories.cluster import cluster_all, pairwise_scores  # noqa: E402
from factwatch.stories.features import ArticleFeatures, article_features  # noqa: E402

LABELLED = ROOT / "tests" / "fixtures" / "stories" / "labelled.json"
PAIRS = ROOT.parent / "shared" / "corpus" / "newsedits-notebook-pairs" / "pairs.json"
SEED = 17


def _features(i: int, item: dict) -> ArticleFeatures:
    seen = datetime.fromisoformat(item["seen_at"])
    return article_features(i, item["url"], seen, item.get("title"), item["text"],
                            extract_claims(item["text"], seen.date()))


def split_events(items: list[dict]) -> tuple[set[str], set[str]]:
    """(tune events, held-out events): half the events each, chosen with a fixed seed."""
    events = sorted({item["event"] for item in items})
    random.Random(SEED).shuffle(events)
    return set(events[: len(events) // 2]), set(events[len(events) // 2:])


def labelled_parts() -> dict[str, list[tuple[ArticleFeatures, str]]]:
    """The project's labelled articles as (features, event), split into 'tune' and 'held-out'."""
    items = json.loads(LABELLED.read_text(encoding="utf-8"))["articles"]
    tune, _held = split_events(items)
    parts: dict[str, list] = {"tune": [], "held-out": []}
    for i, item in enumerate(items, 1):
        parts["tune" if item["event"] in tune else "held-out"].append((_features(i, item), item["event"]))
    return parts


def corpus_pairs() -> list[tuple[ArticleFeatures, str]] | None:
    """The NewsEdits pairs: each version an article of its own, one story per pair (None without the corpus)."""
    if not PAIRS.is_file():
        return None
    base = datetime(2024, 1, 1, tzinfo=timezone.utc)
    found = []
    for n, pair in enumerate(json.loads(PAIRS.read_text(encoding="utf-8"))):
        for side in ("old_text", "new_text"):
            i = 10_000 + len(found)  # ids apart from the labelled set's, so the two can be pooled
            url = f"https://outlet{i}.example/{pair['stem']}/{side}"
            features = article_features(i, url, base + timedelta(hours=n), None, pair[side],
                                        extract_claims(pair[side], base.date()))
            found.append((features, pair["stem"]))
    return found


def score(part: list[tuple[ArticleFeatures, str]]) -> tuple[float, float, int, int, int]:
    """Cluster a part oldest first and score it pairwise against its labels."""
    ordered = sorted(part, key=lambda fe: (fe[0].seen_at, fe[0].article_id))
    predicted = cluster_all([f for f, _e in ordered])
    return pairwise_scores(predicted, {f.article_id: e for f, e in part})


def evaluate() -> dict[str, tuple[float, float, int, int, int]]:
    """Scores per set: labelled tune, labelled held-out, and the corpus pairs when present."""
    parts = labelled_parts()
    results = {f"labelled {name}": score(part) for name, part in parts.items()}
    results["labelled all"] = score(parts["tune"] + parts["held-out"])
    pairs = corpus_pairs()
    if pairs is not None:
        results["newsedits pairs"] = score(pairs)
        results["labelled all + newsedits pairs"] = score(parts["tune"] + parts["held-out"] + pairs)
    return results


def main() -> None:
    for name, (p, r, tp, fp, fn) in evaluate().items():
        print(f"{name:32s} precision {p:.3f}  recall {r:.3f}  (same-story pairs: {tp} found, {fp} wrong, {fn} missed)")


if __name__ == "__main__":
    main()
