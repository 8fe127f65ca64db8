"""Train the person tagger (factwatch/claims/people_tagger.json.gz) on the tune part of CoNLL-2003.

Run: python -m factwatch.claims.people_train [CONLL_FOLDER]
(default: ../shared/external/conll2003 beside the repository). Only the seeded
*tune* part of eng.train is used (see people_data.py); the *measure* part and
eng.testa are never seen. Training is deterministic: same data, same weights.
"""

from __future__ import annotations

import gzip
import json
import random
import sys
from collections import defaultdict
from pathlib import Path

from factwatch.claims.people_data import Document, split_documents
from factwatch.claims.tagger import MODEL_PATH, TAGS, best_tag, candidates, features, lowercase_words, tokenise

EPOCHS = 8
TRAIN_SEED = 7
MIN_WEIGHT = 0.05  # averaged weights smaller than this (for every tag) are dropped to keep the file small
DEFAULT_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "external" / "conll2003"

Example = tuple[list[str], list[str], frozenset[str]]  # words, gold tags, the document's lowercase words


def gold_tags(line: str, spans: tuple[tuple[int, int], ...]) -> tuple[list[str], list[str]]:
    """Tokenise a line the way real text is tokenised and tag tokens from the gold character spans."""
    tokens = tokenise(line)
    tags = []
    for token in tokens:
        inside = [a for a, b in spans if a <= token.start() and token.end() <= b]
        tags.append("O" if not inside else "B" if token.start() == inside[0] else "I")
    return [t.group() for t in tokens], tags


def examples(documents: list[Document]) -> list[Example]:
    """One example per sentence, with its document's lowercase words."""
    result = []
    for doc in documents:
        sentences = [gold_tags(line, spans) for line, spans in zip(doc.lines, doc.people)]
        seen = lowercase_words([words for words, _ in sentences])
        result.extend((words, tags, seen) for words, tags in sentences)
    return result


class AveragedPerceptron:
    """Multiclass perceptron over sparse string features, with weight averaging."""

    def __init__(self) -> None:
        self.weights: dict[str, list[float]] = defaultdict(lambda: [0.0] * len(TAGS))
        self._totals: dict[str, list[float]] = defaultdict(lambda: [0.0] * len(TAGS))
        self._stamps: dict[str, list[int]] = defaultdict(lambda: [0] * len(TAGS))
        self.instances = 0

    def update(self, truth: int, guess: int, feats: list[str]) -> None:
        """Move weights towards the true tag and away from the guess."""
        self.instances += 1
        if truth == guess:
            return
        for feat in feats:
            for tag, delta in ((truth, 1.0), (guess, -1.0)):
                weights = self.weights[feat]
                self._totals[feat][tag] += (self.instances - self._stamps[feat][tag]) * weights[tag]
                self._stamps[feat][tag] = self.instances
                weights[tag] += delta

    def averaged(self) -> dict[str, list[float]]:
        """The averaged weights, rounded, small ones dropped."""
        result = {}
        for feat, weights in self.weights.items():
            averaged = []
            for tag, weight in enumerate(weights):
                total = self._totals[feat][tag] + (self.instances - self._stamps[feat][tag]) * weight
                averaged.append(round(total / max(self.instances, 1), 3))
            if max(abs(w) for w in averaged) >= MIN_WEIGHT:
                result[feat] = averaged
        return result


def train(data: list[Example]) -> dict[str, list[float]]:
    """Greedy left-to-right training with the predicted previous tag, as at run time."""
    model = AveragedPerceptron()
    order = list(range(len(data)))
    rng = random.Random(TRAIN_SEED)
    for _ in range(EPOCHS):
        rng.shuffle(order)
        for index in order:
            words, gold, seen = data[index]
            tags = ["O"] * len(words)
            for i in candidates(words, seen):
                prev = tags[i - 1] if i else "O"
                feats = features(words, i, prev, seen)
                guess = best_tag(model.weights, feats, prev)
                truth = "B" if gold[i] == "I" and prev == "O" else gold[i]
                model.update(TAGS.index(truth), TAGS.index(guess), feats)
                tags[i] = guess
    return model.averaged()


def main(argv: list[str]) -> int:
    """Train on the tune part and write the model file."""
    folder = Path(argv[0]) if argv else DEFAULT_DATA
    data = examples(split_documents(folder)["tune"])
    weights = train(data)
    with gzip.GzipFile(MODEL_PATH, "wb", mtime=0) as handle:
        payload = {"tags": list(TAGS), "epochs": EPOCHS, "seed": TRAIN_SEED, "weights": weights}
        handle.write(json.dumps(payload, sort_keys=True, separators=(",", ":")).encode("utf-8"))
    print(f"{len(data)} sentences, {len(weights)} features -> {MODEL_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
