"""DuckDB storage: schema (SQL files), connection handling, read/write functions."""

from factwatch.storage.db import DatabaseBusy, connect, transaction

__all__ = ["DatabaseBusy", "connect", "transaction"]
