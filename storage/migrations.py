"""Schema migrations, one function per version step, run by db.migrate in one transaction.

A step never deletes a user's row: where old data breaks a new rule (a
repeated id), the offending rows get new ids. If a step fails, the whole
migration is rolled back and the file stays as it was.
"""

from __future__ import annotations

import logging

import duckdb

log = logging.getLogger(__name__)

# table -> its id column and the sequence that hands out its ids (schema version 2 on).
ID_SEQUENCES = {"articles": ("article_id", "article_ids"), "versions": ("version_id", "version_ids"),
                "claims": ("claim_id", "claim_ids"), "changes": ("change_id", "change_ids"),
                "fetches": ("fetch_id", "fetch_ids")}


def _rebuild_with_primary_key(con: duckdb.DuckDBPyConnection, table: str, column: str) -> int:
    """Recreate a table with `column` as its primary key, keeping every row; return how many were renumbered.

    DuckDB cannot add a key in a transaction that also changed the rows, so the
    table is copied: the first row with an id keeps it, a repeat gets a fresh id
    past the maximum (no other table refers to these ids).
    """
    old = f"{table}_v1"
    con.execute(f"ALTER TABLE {table} RENAME TO {old}")
    columns = con.execute(
        "SELECT column_name, data_type, is_nullable FROM duckdb_columns() "
        "WHERE schema_name = 'main' AND table_name = ? ORDER BY column_index", [old]).fetchall()
    body = ", ".join(f"{name} {kind}" + (" PRIMARY KEY" if name == column else "" if nullable else " NOT NULL")
                     for name, kind, nullable in columns)
    con.execute(f"CREATE TABLE {table} ({body})")
    con.execute(
        f"""INSERT INTO {table} BY NAME
            SELECT * EXCLUDE (_nth, _rid, _top, _extra)
                     REPLACE (CASE WHEN _nth = 1 THEN {column} ELSE _top + _extra END AS {column})
            FROM (SELECT n.*, sum((n._nth > 1)::INTEGER) OVER (ORDER BY n._rid) AS _extra
                  FROM (SELECT *, rowid AS _rid,
                               row_number() OVER (PARTITION BY {column} ORDER BY rowid) AS _nth,
                               max({column}) OVER () AS _top
                        FROM {old}) AS n)""")
    moved = con.execute(f"SELECT count(*) FROM {table} t ANTI JOIN {old} o ON t.{column} = o.{column}"
                        ).fetchall()[0][0]
    con.execute(f"DROP TABLE {old}")
    if moved:
        log.warning("schema migration: %s rows of %s had a repeated %s and were given new ids", moved, table, column)
    return moved


def to_v2(con: duckdb.DuckDBPyConnection) -> None:
    """Version 2: primary keys on claims, changes and fetches; id sequences (schema.sql adds the rest)."""
    for table in ("claims", "changes", "fetches"):
        _rebuild_with_primary_key(con, table, ID_SEQUENCES[table][0])
    for table, (column, sequence) in ID_SEQUENCES.items():
        start = con.execute(f"SELECT coalesce(max({column}), 0) + 1 FROM {table}").fetchall()[0][0]
        con.execute(f"CREATE SEQUENCE IF NOT EXISTS {sequence} START {int(start)}")


def to_v3(con: duckdb.DuckDBPyConnection) -> None:
    """Version 3: alert rules and their matches. Only new tables (schema.sql creates them); no row changes."""


def to_v4(con: duckdb.DuckDBPyConnection) -> None:
    """Version 4: sources, source_checks and discoveries (issue 13).

    Only new tables and sequences, which schema.sql creates right after the
    steps; no existing table or row changes, so there is nothing to move here.
    The step exists so the version history says what each version added.
    """
    log.info("schema migration to version 4: adding the sources, source_checks and discoveries tables")


# Columns version 5 added to version 4 tables, in the order schema.sql lists them (last).
V5_COLUMNS = {"sources": (("include_pattern", "VARCHAR"), ("exclude_pattern", "VARCHAR"), ("every_seconds", "INTEGER"))}


def to_v5(con: duckdb.DuckDBPyConnection) -> None:
    """Version 5: per-source URL filters and cadence (and a new source_activity, which views.sql recreates).

    A version 4 file has the sources table without the new columns; they are
    added, NULL for every existing source (no filter). An older file has no
    sources table yet: schema.sql creates it whole right after the steps.
    """
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'").fetchall()}
    for table, columns in V5_COLUMNS.items():
        if table not in tables:
            continue
        for name, kind in columns:
            con.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {name} {kind}")
    log.info("schema migration to version 5: per-source URL filters and cadence")


def to_v6(con: duckdb.DuckDBPyConnection) -> None:
    """Version 6: stories, story_articles, story_events and story_flags (issue 17), and the story views.

    Only new tables and a sequence (schema.sql creates them, views.sql the views);
    no existing row changes. Nothing is clustered here: the first batch written
    after the upgrade places the articles first seen within the story window
    (3 days) along with its own; older articles stay outside stories.
    """
    log.info("schema migration to version 6: adding the story tables")


def to_v7(con: duckdb.DuckDBPyConnection) -> None:
    """Version 7 (issue 16, scale): smaller pages and views that stay fast on large tables.

    Raw pages stored from now on are zstd frames, a later version's made against
    its article's first page (versions.page_base_version_id, added here, NULL for
    every existing row: its page is stored whole). Existing zlib pages keep their
    bytes and stay readable (runtime.pipeline.page_html), so no page is rewritten
    and none can be lost. source_activity counts per article before summing per
    source (views.sql, recreated right after the steps).
    """
    con.execute("ALTER TABLE versions ADD COLUMN IF NOT EXISTS page_base_version_id BIGINT")
    log.info("schema migration to version 7: pages against their article's first page, faster views")


# STEPS[n - 1] takes a database from version n to n + 1.
STEPS = (to_v2, to_v3, to_v4, to_v5, to_v6, to_v7)
