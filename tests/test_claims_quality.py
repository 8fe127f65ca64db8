"""Quality floors for the claims engine (floors only ever rise; see tests/claims_eval.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import claims_eval

DEV_FLOORS = {  # (precision, recall, f1) floors on the labelled dev set
    "casualty": (0.97, 0.97, 0.97),
    "person": (0.95, 0.95, 0.95),
    "date": (0.95, 0.95, 0.95),
    "correction_notice": (0.95, 0.95, 0.95),
}
CORPUS_FLOOR = (0.95, 0.95)


@pytest.mark.parametrize("claim_type", sorted(DEV_FLOORS))
def test_dev_set_floors(claim_type):
    scores, _ = claims_eval.evaluate_dev_set()
    score = scores[claim_type]
    precision, recall, f1 = DEV_FLOORS[claim_type]
    assert score.precision >= precision and score.recall >= recall and score.f1 >= f1, f"{claim_type}: P {score.precision:.3f} R {score.recall:.3f} F1 {score.f1:.3f}"


def test_no_trap_claims_on_dev_set():
    _, traps = claims_eval.evaluate_dev_set()
    assert traps == []


def test_seed_article():
    result = claims_eval.evaluate_seed()
    if result is None:
        pytest.skip("../shared/seed is absent")
    scores, traps = result
    assert traps == []
    for claim_type, score in scores.items():
        assert score.precision == 1.0 and score.recall == 1.0, claim_type


def test_corpus_casualty_sentences():
    score = claims_eval.evaluate_corpus()
    if score is None:
        pytest.skip("../shared/corpus is absent")
    assert score.precision >= CORPUS_FLOOR[0] and score.recall >= CORPUS_FLOOR[1]


def test_claims_package_imports_no_io_library():
    code = (
        "import sys; import factwatch.claims, factwatch.claims.engine; "
        "bad = [m for m in ('prefect', 'requests', 'duckdb', 'trafilatura') if m in sys.modules]; "
        "print(','.join(bad))"
    )
    repo = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", code], cwd=repo, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
