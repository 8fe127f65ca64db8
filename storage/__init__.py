"""DuckDB storage: schema (SQL files), connection handling, read/write functions."""

from factwatch.storage.db import DatabaseBusy, connect, default_db_path, transaction

__all__ = ["DatabaseBusy", "connect", "default_db_path", "transaction"]
