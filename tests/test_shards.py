"""The store split in two files, each with its own writer, read together by attaching both read-only."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import duckdb
import pytest

from factwatch.storage import connect
from factwatch.storage.shards import open_shards, shard_names
from factwatch.storage.writer import record_results
from test_alerts_storage import page


def _write_story(path, url: str, tolls: tuple[int, ...]) -> None:
    with connect(path) as con:
        for step, toll in enumerate(tolls):
            record_results(con, [page(toll, step, url=url)])


def test_two_files_attached_read_only_answer_one_query(tmp_path):
    world, local = tmp_path / "world.duckdb", tmp_path / "local.duckdb"
    _write_story(world, "https://world.example/ferry", (13, 17))
    _write_story(local, "https://local.example/fire", (2, 3, 5))

    with open_shards([world, local]) as con:
        flags = con.execute("SELECT shard, url, old_value, new_value FROM change_flags "
                            "ORDER BY url, to_version_no").fetchall()
        latest = con.execute("SELECT shard, url, value FROM latest_claims ORDER BY url").fetchall()
        with pytest.raises(duckdb.Error):  # attached read-only: a reader cannot change a shard
            con.execute("INSERT INTO world.main.watches VALUES ('https://x.example/', now(), NULL)")
    assert flags == [("local", "https://local.example/fire", "2", "3"), ("local", "https://local.example/fire", "3", "5"),
                     ("world", "https://world.example/ferry", "13", "17")]
    assert latest == [("local", "https://local.example/fire", "5"), ("world", "https://world.example/ferry", "17")]


def test_a_shard_held_by_its_writer_is_refused_in_plain_words(tmp_path):
    world = tmp_path / "world.duckdb"
    _write_story(world, "https://world.example/ferry", (13,))
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, duckdb
        con = duckdb.connect({str(world)!r})
        print("held", flush=True)
        sys.stdin.read()
    """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(duckdb.IOException, match="lock"), open_shards([world]):
            pass
    finally:
        holder.communicate("")


def test_shard_names_are_identifiers_and_unique():
    assert shard_names(["/a/world.duckdb", "/b/world.duckdb", "/c/2024-desk.duckdb"]) == [
        "world", "world_1", "s_2024_desk"]
