"""DuckDB storage: schema (SQL files), connection handling, read/write functions."""

from factwatch.storage.db import DatabaseBusy, DatabaseCorrupt, HeldOpen, connect, transaction

__all__ = ["DatabaseBusy", "DatabaseCorrupt", "HeldOpen", "connect", "transaction"]
