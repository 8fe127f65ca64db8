"""`factwatch demo --db PATH` recreates only a database the demo made; any other file is left untouched."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from factwatch.cli.app import app
from factwatch.storage import connect
from factwatch.storage.demo import NotADemoDatabase, mark_demo_database, remove_demo_database
from writer_child import make_result

runner = CliRunner()


def _factwatch_database(path: str) -> None:
    from factwatch.storage.writer import record_results

    with connect(path) as con:
        record_results(con, [make_result("https://news.example/mine", 1)])


@pytest.mark.parametrize("kind", ["notes", "factwatch database"])
def test_demo_refuses_to_delete_a_file_it_did_not_make(prefect_harness, tmp_path, kind):
    path = tmp_path / "precious.duckdb"
    if kind == "notes":
        path.write_text("my notes, not a database\n", encoding="utf-8")
    else:
        _factwatch_database(str(path))
    before = path.read_bytes()

    result = runner.invoke(app, ["demo", "--db", str(path)])

    assert result.exit_code == 2, result.output
    assert "is not a database made by `factwatch demo`; it was left untouched" in " ".join(result.output.split())
    assert path.read_bytes() == before


def test_a_demo_database_is_removed_and_anything_else_is_refused(tmp_path):
    demo = str(tmp_path / "demo.duckdb")
    with connect(demo) as con:
        mark_demo_database(con)
    remove_demo_database(demo)
    assert not Path(demo).exists()
    remove_demo_database(demo)  # nothing there: nothing to do

    stray_wal = tmp_path / "gone.duckdb.wal"
    stray_wal.write_bytes(b"wal")
    with pytest.raises(NotADemoDatabase, match="exists without"):
        remove_demo_database(str(tmp_path / "gone.duckdb"))
    with pytest.raises(NotADemoDatabase, match="not a database made by"):
        remove_demo_database(str(tmp_path))  # a folder
    assert stray_wal.read_bytes() == b"wal"
