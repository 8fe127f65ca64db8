"""Pure: story clusters (which articles report one event) and the HTML report of a story.

This package imports no prefect, requests, duckdb or trafilatura.
"""
