"""Pure helpers for change classification: text folding, alignment, verdicts.

Imports no prefect, requests, duckdb or trafilatura; `factwatch.changes.diff` is the entry point.
"""
