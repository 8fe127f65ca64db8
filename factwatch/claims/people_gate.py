"""The person gate: whether a name the tagger found is sure enough to become a person claim.

The tagger looks at one word and its neighbours; the gate looks at the whole person found in
the article: how sure the tagger was of its best mention and of its first word, whether the
text cues a person (a title, an honorific, "said" before it, ", who" after it), whether its
words are name words the model learned or the census lists hold, place or common words,
how often it is mentioned, and the hand-written evidence rule. A logistic regression over
these features is trained by people_train.py on *out-of-fold* people: each tune document's
candidates come from a tagger trained without that document, so the gate learns how far to
trust the tagger on words it has not seen, which is the case on text nobody here wrote.
Its weights ship in the model file.
"""

from __future__ import annotations

import math
import operator

from factwatch.claims import tagger

# Score above which a candidate becomes a person, chosen by 4-fold cross-validation inside the
# tune part of CoNLL-2003 (tests/cv_people.py --gate); see PEOPLE_MODEL.md.
GATE_THRESHOLD = 0.75
FEATURES = ("bias", "conf", "lead", "cued", "honorific", "one", "two", "three", "weight_first", "weight_last",
            "known_first", "known_last", "name_first", "name_last", "given_first", "surname_last", "place",
            "common_first", "common_last", "caps", "mentions", "role", "rule", "initial", "no_name", "initial_no_name")


def person_features(names: tuple[str, ...], confidence: float, lead: float, cued: bool, honorific: bool,
                    mentions: int, role: bool, rule: bool, initial: bool) -> tuple[float, ...]:
    """The gate's features of one candidate person, in FEATURES order. `initial`: every mention
    starts a prose sentence, where a capital letter says nothing."""
    scorer = tagger.shipped_scorer()
    weight_first, known_first, name_first, given, _, _, common_first = scorer.word_facts(names[0])
    weight_last, known_last, name_last, _, surname, _, common_last = scorer.word_facts(names[-1])
    no_name = not (given or surname or name_first or name_last)
    return (
        1.0, min(confidence, 30.0) / 10, min(lead, 30.0) / 10, float(cued), float(honorific),
        float(len(names) == 1), float(len(names) == 2), float(len(names) >= 3), weight_first, weight_last,
        known_first, known_last, name_first, name_last, given, surname,
        float(any(scorer.word_facts(w)[5] for w in names)), common_first, common_last,
        float(any(w.isupper() and len(w) > 1 for w in names)), math.log(max(mentions, 1)), float(role), float(rule),
        float(initial), float(no_name), float(initial and no_name),
    )


def gate_score(features: tuple[float, ...], weights: tuple[float, ...]) -> float:
    """The gate's score (log-odds that the candidate is a person)."""
    return sum(map(operator.mul, weights, features))


def fit_gate(rows: list[tuple[tuple[float, ...], bool]], epochs: int = 300, rate: float = 0.5,
             l2: float = 1e-3) -> tuple[float, ...]:
    """Logistic regression by full-batch gradient descent (deterministic; a few thousand rows)."""
    weights = [0.0] * len(FEATURES)
    n = max(len(rows), 1)
    for _ in range(epochs):
        grad = [0.0] * len(FEATURES)
        for x, label in rows:
            z = max(-30.0, min(30.0, gate_score(x, weights)))
            error = 1 / (1 + math.exp(-z)) - float(label)
            for j, value in enumerate(x):
                if value:
                    grad[j] += error * value
        weights = [w - rate * (g / n + l2 * w) for w, g in zip(weights, grad)]
    return tuple(round(w, 4) for w in weights)
