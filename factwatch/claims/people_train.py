"""Train the person tagger (factwatch/claims/people_tagger.json.gz) on the tune part of CoNLL-2003.

Run: python -m factwatch.claims.people_train [CONLL_FOLDER]
(default: ../shared/external/conll2003 beside the repository). Only the seeded
*tune* part of eng.train is used (see people_data.py); the *measure* part and
eng.testa are never seen. Training is deterministic: same data, same weights.

Word lists for the gazetteer features come from general published sources and are
stored in the model file, so running needs none of them: given names and surnames from
the US Census Bureau's 1990 frequently-occurring names lists (public domain, shipped by
the `names` package), place words from ISO 3166 country and subdivision names (shipped
by `pycountry`), common words from Webster's Second International dictionary (public
domain, shipped by `english-words`). Install them with `pip install factwatch[train]`.
"""

from __future__ import annotations

import gzip
import json
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

from factwatch.claims.people import person_candidates
from factwatch.claims.people_data import Document, gold_people, normal, split_documents
from factwatch.claims.people_gate import fit_gate
from factwatch.claims.sentences import split_sentences
from factwatch.claims.tagger import (
    MODEL_PATH, TAGS, Scorer, best_tag, candidates, features, lowercase_words, tokenise, use_gazetteers, use_scorer,
)

EPOCHS = 8
TRAIN_SEED = 7
WORD_DROPOUT = 0.15  # chosen by 4-fold CV in the tune part (tests/cv_people.py); share of training tokens whose own-word feature is hidden (see _lexical_dropout)
CONTEXT_DROPOUT = 0.0  # the same for the neighbouring words' identity features
MIN_WORD_COUNT = 1  # a word seen fewer times than this in training gets no own-word feature
MIN_WEIGHT = 0.05  # averaged weights smaller than this (for every tag) are dropped to keep the file small
GATE_FOLDS = 4  # the gate learns from people found by taggers trained without their document
GATE_SEED = 4
DEFAULT_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "external" / "conll2003"

Example = tuple[list[str], list[str], frozenset[str]]  # words, gold tags, the document's lowercase words


def gold_tags(line: str, spans: tuple[tuple[int, int, str], ...]) -> tuple[list[str], list[str]]:
    """Tokenise a line the way real text is tokenised and tag tokens from the gold character spans.

    Person words get B/I; words of other entities get their type when it is one of TAGS,
    else O.
    """
    tokens = tokenise(line)
    tags = []
    for token in tokens:
        inside = [(a, kind) for a, b, kind in spans if a <= token.start() and token.end() <= b]
        if not inside:
            tags.append("O")
        elif inside[0][1] != "PER":
            tags.append(inside[0][1] if inside[0][1] in TAGS else "O")
        else:
            tags.append("B" if token.start() == inside[0][0] else "I")
    return [t.group() for t in tokens], tags


def examples(documents: list[Document]) -> list[Example]:
    """One example per sentence, with its document's lowercase words."""
    result = []
    for doc in documents:
        sentences = [gold_tags(line, spans) for line, spans in zip(doc.lines, doc.entities)]
        seen = lowercase_words(list(doc.lines))
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


def _lexical_dropout(feats: list[str], rng: random.Random) -> list[str]:
    """Hide the word identity features some of the time, so the weights learn to lean on shape,
    affix, gazetteer and context features too: at run time most names are words training never saw."""
    hide_word = rng.random() < WORD_DROPOUT
    hide_context = rng.random() < CONTEXT_DROPOUT
    return [f for f in feats if not ((hide_word and f[:2] == "w=")
                                     or (hide_context and f[:3] in ("p1=", "n1=", "p2=", "n2=")))]


def train(data: list[Example]) -> dict[str, list[float]]:
    """Greedy left-to-right training with the predicted previous tag, as at run time."""
    model = AveragedPerceptron()
    order = list(range(len(data)))
    rng = random.Random(TRAIN_SEED)
    drop = random.Random(TRAIN_SEED + 1)
    counts = Counter(w.lower() for words, _, _ in data for w in words)
    rare = {f"w={w}" for w, n in counts.items() if n < MIN_WORD_COUNT}
    for _ in range(EPOCHS):
        rng.shuffle(order)
        for index in order:
            words, gold, seen = data[index]
            tags = ["O"] * len(words)
            for i in candidates(words, seen):
                prev = tags[i - 1] if i else "O"
                feats = features(words, i, prev, seen)
                if rare:
                    feats = [f for f in feats if f not in rare]
                if WORD_DROPOUT or CONTEXT_DROPOUT:
                    feats = _lexical_dropout(feats, drop)
                guess = best_tag(model.weights, feats, prev)
                truth = "B" if gold[i] == "I" and prev not in ("B", "I") else gold[i]
                model.update(TAGS.index(truth), TAGS.index(guess), feats)
                tags[i] = guess
    return model.averaged()


def _census_file(key: str) -> list[str]:
    import names  # the US Census 1990 lists (public domain) as the `names` package ships them

    lines = Path(names.FILES[key]).read_text(encoding="ascii").splitlines()
    return [line.split()[0].lower() for line in lines if line.strip()]


def census_given_names() -> list[str]:
    """US Census 1990 given names (male and female), lowercased; for training the tagger."""
    return sorted(set(_census_file("first:male") + _census_file("first:female")))


def census_surnames(limit: int) -> list[str]:
    """The `limit` most frequent US Census 1990 surnames, lowercased, most frequent first."""
    return _census_file("last")[:limit]


def place_words() -> list[str]:
    """Words of country and country-subdivision names from ISO 3166 (pycountry); for training."""
    import pycountry  # ISO 3166 names as pycountry ships them

    found = set()
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            found.update(getattr(country, attr, "").lower().split())
    for subdivision in pycountry.subdivisions:
        found.update(subdivision.name.lower().split())
    return sorted(w for w in found if w.isalpha())


def dictionary_words() -> set[str]:
    """Lowercase entries of Webster's Second International dictionary (public domain), as the
    `english-words` package ships it ("web2"): common words, where names are capitalised."""
    from english_words import get_english_words_set  # the `english-words` package

    return {w for w in get_english_words_set(["web2"], lower=False, alpha=True) if w[:1].islower()}


def gazetteers(data: list[Example]) -> dict[str, list[str]]:
    """The word lists behind the gazetteer features: general published lists, and in "lw" (common
    words) the dictionary's lowercase words plus those the training text writes in lowercase twice."""
    surnames = census_surnames(20000)
    given = census_given_names()
    lowercase = Counter(w for words, _, _ in data for w in words if w[:1].islower() and w.isalpha())
    common = dictionary_words() | {w for w, n in lowercase.items() if n >= 2}
    common -= set(given) | set(surnames)  # "amelia" and "smith" are in the dictionary too
    return {"gf": given, "gl1": sorted(surnames[:2000]), "gl2": sorted(surnames[2000:]),
            "gp": place_words(), "lw": sorted(common)}


def train_model(documents: list[Document]) -> tuple[dict[str, list[float]], dict[str, list[str]]]:
    """Tagger weights and gazetteer word lists trained on these documents."""
    data = examples(documents)
    lists = gazetteers(data)
    use_gazetteers({name: frozenset(words) for name, words in lists.items()})
    weights = train(data)
    use_gazetteers({})
    return weights, lists


def gate_folds(count: int) -> list[set[int]]:
    """Document indexes of each fold (a seeded deal of the tune documents)."""
    order = list(range(count))
    random.Random(GATE_SEED).shuffle(order)
    return [{order[i] for i in range(k, count, GATE_FOLDS)} for k in range(GATE_FOLDS)]


GateRow = tuple[int, str, tuple[float, ...], bool]  # fold, kind of text, gate features, is a gold person


def gate_rows(documents: list[Document], fold_model=None) -> tuple[list[GateRow], dict[str, int]]:
    """Out-of-fold candidate people of every document (prose and lists apart), labelled by the gold
    names, and the gold people counts per kind. `fold_model(documents, held, label)` gives a fold's
    (weights, lists); by default it is trained here."""
    rows: list[GateRow] = []
    gold_count = {"prose": 0, "lists": 0}
    for k, held in enumerate(gate_folds(len(documents))):
        if fold_model is None:
            weights, lists = train_model([d for i, d in enumerate(documents) if i not in held])
        else:
            weights, lists = fold_model(documents, held, f"{k}-{GATE_FOLDS}")
        use_scorer(Scorer({f: tuple(w) for f, w in weights.items()}, {n: frozenset(w) for n, w in lists.items()}))
        for i in sorted(held):
            for kind in gold_count:
                gold = gold_people(documents[i].gold(kind))
                gold_count[kind] += len(gold)
                seen = set()
                for value, feats in person_candidates(split_sentences(documents[i].text(kind))):
                    if normal(value) not in seen:
                        seen.add(normal(value))
                        rows.append((k, kind, feats, normal(value) in gold))
    use_scorer(None)
    return rows, gold_count


def main(argv: list[str]) -> int:
    """Train on the tune part and write the model file."""
    folder = Path(argv[0]) if argv else DEFAULT_DATA
    documents = split_documents(folder)["tune"]
    rows, _ = gate_rows(documents)
    gate = fit_gate([(feats, label) for _, _, feats, label in rows])
    weights, lists = train_model(documents)
    with gzip.GzipFile(MODEL_PATH, "wb", mtime=0) as handle:
        payload = {"tags": list(TAGS), "epochs": EPOCHS, "seed": TRAIN_SEED, "weights": weights, "gate": list(gate),
                   "gazetteers": {name: "\n".join(words) for name, words in lists.items()}}
        handle.write(json.dumps(payload, sort_keys=True, separators=(",", ":")).encode("utf-8"))
    print(f"{len(documents)} documents, {len(weights)} features, gate from {len(rows)} candidates -> {MODEL_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
