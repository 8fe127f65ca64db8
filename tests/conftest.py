"""Shared test setup: a real Prefect test harness, loopback servers, temp DuckDB files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

# Shared 2-core machines: a per-example time limit measures the load, not the code.
hypothesis_settings.register_profile("factwatch", deadline=None)
hypothesis_settings.load_profile("factwatch")

os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ["FACTWATCH_HOST_DELAY"] = "0"
os.environ["FACTWATCH_RETRY_DELAYS"] = "0.1,0.2"
os.environ["FACTWATCH_WORKERS"] = os.environ.get("FACTWATCH_TEST_WORKERS", "2")

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
SEED = Path(__file__).resolve().parents[1].parent / "shared" / "seed"


@pytest.fixture(scope="session")
def prefect_harness():
    """One temporary Prefect API for the whole session (starting one costs seconds)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=60):
        yield


@pytest.fixture
def db_path(tmp_path) -> str:
    """A fresh DuckDB file path in tmp_path."""
    return str(tmp_path / "factwatch.duckdb")


@pytest.fixture
def corpus() -> Path:
    """The shared corpus of real pages; tests using it skip when it is absent."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    return CORPUS


@pytest.fixture(scope="session", autouse=True)
def person_tagger_loaded():
    """Load the person tagger's model once, before any test: its one-time load (a fraction of a
    second) must not land inside a Hypothesis example and trip the per-example deadline."""
    from factwatch.claims.tagger import shipped_scorer

    shipped_scorer()
