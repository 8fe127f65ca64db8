"""Pure claim extraction: text (+ publication date) in, claims out.

This package imports no prefect, requests, duckdb or trafilatura.
"""

from __future__ import annotations

from factwatch.claims.engine import extract_claims
from factwatch.claims.model import CLAIM_TYPES, Claim

__all__ = ["CLAIM_TYPES", "Claim", "extract_claims"]
