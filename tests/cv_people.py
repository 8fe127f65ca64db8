"""K-fold cross-validation of the person tagger inside the tune part of CoNLL-2003.

Run: python tests/cv_people.py [--gate [THRESHOLD ...]] [--set module.NAME=value ...]
e.g. --set people_train.WORD_DROPOUT=0.2 --set people.MIN_MARGIN_NAME=4

The tune documents are dealt into folds with a fixed seed; for each fold a tagger is
trained (people_train.train_model, with the gazetteers built from the other folds, as the
shipped model is built from the whole tune part) and the person claims of the held fold
are scored as tests/eval_people.py scores them. The measure part is never read. This is
how training settings and the thresholds in people.py are chosen.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import pickle
import tempfile
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
for path in (REPO, REPO / "tests"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

import eval_people  # noqa: E402
from factwatch.claims import people_gate, people_train, tagger  # noqa: E402
from factwatch.claims.people_data import split_documents  # noqa: E402

CACHE = Path(tempfile.gettempdir()) / "factwatch-people-cv"  # fold models, so threshold sweeps skip training
KINDS = ("all", "prose", "lists")
SOURCE = b"".join(Path(m.__file__).read_bytes() for m in (people_train, tagger))


def _apply(settings: list[str]) -> None:
    for setting in settings:
        target, value = setting.split("=", 1)
        module, name = target.rsplit(".", 1)
        mod = importlib.import_module(f"factwatch.claims.{module}")
        old = getattr(mod, name)
        setattr(mod, name, type(old)(value) if not isinstance(old, bool) else value.lower() in ("1", "true"))


def _use_model(weights: dict, lists: dict) -> None:
    tagger.use_scorer(tagger.Scorer({f: tuple(w) for f, w in weights.items()},
                                    {name: frozenset(words) for name, words in lists.items()}))


def _fold_model(documents: list, held: set[int], fold: str) -> tuple[dict, dict]:
    """Weights and word lists trained without the held documents (cached by the training code and settings)."""
    settings = {f"{m.__name__}.{k}": v for m in (people_train, tagger) for k, v in vars(m).items()
                if k.isupper() and isinstance(v, (int, float, str))}
    digest = hashlib.sha256(SOURCE + repr(sorted(settings.items())).encode() + fold.encode()).hexdigest()[:16]
    path = CACHE / f"{digest}.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    weights, lists = people_train.train_model([d for i, d in enumerate(documents) if i not in held])
    CACHE.mkdir(exist_ok=True)
    path.write_bytes(pickle.dumps((weights, lists)))
    return weights, lists


def cross_validate() -> dict[str, eval_people.Tally]:
    """Summed tallies over the held folds, per kind of text (the evidence rule as the gate)."""
    documents = split_documents(eval_people.CONLL)["tune"]
    totals = {kind: eval_people.Tally() for kind in KINDS}
    for k, held in enumerate(people_train.gate_folds(len(documents))):
        weights, lists = _fold_model(documents, held, f"{k}-{people_train.GATE_FOLDS}")
        _use_model(weights, lists)
        for kind in KINDS:
            for i in sorted(held):
                doc = documents[i]
                text = doc.text(kind)
                if text.strip() or doc.gold(kind):
                    eval_people.score_document(text, doc.gold(kind), totals[kind], doc.name)
    tagger.use_scorer(None)
    return totals


def cross_validate_gate(thresholds: list[float]) -> None:
    """Print the learned gate's precision and recall per kind and threshold: for each fold, the gate
    is fitted on the other folds' out-of-fold candidates and scores this fold's."""
    documents = split_documents(eval_people.CONLL)["tune"]
    rows, gold = people_train.gate_rows(documents, _fold_model)
    scored = []
    for k in range(people_train.GATE_FOLDS):
        gate = people_gate.fit_gate([(x, label) for fold, _, x, label in rows if fold != k])
        scored += [(people_gate.gate_score(x, gate), kind, label) for fold, kind, x, label in rows if fold == k]
    for kind in gold:
        for threshold in thresholds:
            tp = sum(1 for s, kd, label in scored if kd == kind and s > threshold and label)
            fp = sum(1 for s, kd, label in scored if kd == kind and s > threshold and not label)
            p, r = tp / max(tp + fp, 1), tp / gold[kind]
            print(f"gate {kind:<6} >{threshold:5.2f}  P {p:.3f} R {r:.3f} F {2 * p * r / (p + r):.3f}  tp {tp} fp {fp}")


def main(argv: list[str] | None = None) -> int:
    """Print cross-validated precision and recall per kind of text."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--gate", type=float, nargs="*", help="cross-validate the learned gate at these thresholds")
    parser.add_argument("--set", action="append", default=[])
    parser.add_argument("-v", action="store_true", help="also list the held folds' prose errors")
    args = parser.parse_args(argv)
    _apply(args.set)
    if args.gate is not None:
        cross_validate_gate(args.gate or [0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5])
        return 0
    totals = cross_validate()
    label = " ".join(args.set) or "defaults"
    for kind, t in totals.items():
        f1 = 2 * t.precision * t.recall / (t.precision + t.recall)
        print(f"cv {kind:<6} P {t.precision:.3f} R {t.recall:.3f} F {f1:.3f}  tp {t.tp} fp {t.fp} fn {t.fn}  [{label}]")
    if args.v:
        print("\n".join(totals["prose"].errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
