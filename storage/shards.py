"""Reading several factwatch files as one: the store split by source group, queried together.

Each file keeps its own single writer (one `watch` deployment or worker per
file); a reader attaches them all read-only to one in-memory connection, where
each public view is the union of that view in every file, with a `shard`
column naming the file it came from. DuckDB refuses to attach a file another
process holds for writing, so query shards between their writers' runs (a run
lets go of its file after a write once it has held it 10 s, storage.db.HOLD_SECONDS), or query
their `factwatch export --parquet` copies.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import duckdb

# The views the README documents; each becomes the union of its shards.
PUBLIC_VIEWS = ("change_flags", "fetch_log", "silent_corrections", "latest_versions", "latest_claims",
                "casualty_timeline", "article_activity", "alerts_fired", "source_activity", "source_health")


UNION_CATALOG = "all_shards"


def shard_names(paths: Sequence[str | os.PathLike]) -> list[str]:
    """A name per file: its stem made an SQL identifier, numbered when two stems are the same."""
    names: list[str] = []
    for path in paths:
        name = re.sub(r"\W", "_", Path(path).stem) or "shard"
        name = name if name[0].isalpha() else f"s_{name}"
        names.append(name if name not in names and name != UNION_CATALOG else f"{name}_{len(names)}")
    return names


@contextmanager
def open_shards(paths: Sequence[str | os.PathLike]) -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory connection with every file attached read-only and the public views unioned across them."""
    missing = [str(p) for p in paths if not Path(p).exists()]
    if missing:
        raise FileNotFoundError(f"no factwatch database at {', '.join(missing)}")
    con = duckdb.connect()
    try:
        names = shard_names(paths)
        for name, path in zip(names, paths):
            literal = str(path).replace("'", "''")
            con.execute(f"ATTACH '{literal}' AS {name} (READ_ONLY)")
        # The unions live in a database of their own, made the default: a temporary view would shadow the
        # shards' own views (silent_corrections reads change_flags) and mix the shards inside them.
        con.execute(f"ATTACH ':memory:' AS {UNION_CATALOG}")
        con.execute(f"USE {UNION_CATALOG}")
        for view in PUBLIC_VIEWS:
            union = " UNION ALL BY NAME ".join(f"SELECT '{name}' AS shard, * FROM {name}.main.{view}" for name in names)
            con.execute(f"CREATE VIEW {UNION_CATALOG}.main.{view} AS {union}")
        yield con
    finally:
        con.close()
