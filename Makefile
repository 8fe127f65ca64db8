# factwatch: `make demo` and `make test` each set up everything they need on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench eval clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)  ## replay the bundled story through the real flow and show the flags
	PREFECT_SERVER_ANALYTICS_ENABLED=false $(BIN)/factwatch demo

test: $(STAMP)  ## run the test suite
	PREFECT_SERVER_ANALYTICS_ENABLED=false $(BIN)/python -m pytest

eval: $(STAMP)  ## print precision and recall of claims and flags
	$(BIN)/python tests/claims_eval.py
	$(BIN)/python tests/changes_eval.py
	$(BIN)/python tests/stories_eval.py

bench: $(STAMP)  ## the pipeline benchmark (about 2,000 pages on loopback)
	PREFECT_SERVER_ANALYTICS_ENABLED=false $(BIN)/python benchmarks/bench_pipeline.py

clean:
	rm -rf $(VENV) *.egg-info factwatch-demo.duckdb
