"""Commands that only read (watch list, changes, history, export) open the file read-only, never migrate it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from factwatch.cli.app import app
from factwatch.storage import connect, repo
from writer_child import make_result

runner = CliRunner()


def test_read_only_commands_run_while_another_process_reads_the_file(db_path, tmp_path):
    from datetime import datetime, timezone

    from factwatch.storage.writer import record_results

    with connect(db_path) as con:
        record_results(con, [make_result("https://news.example/a", 1), make_result("https://news.example/a", 2)])
        repo.add_watch(con, "https://news.example/a", 1800, datetime.now(timezone.utc))
    # A reader elsewhere (a notebook, the duckdb CLI) shuts out writers, not other readers.
    reader = subprocess.Popen([sys.executable, "-c", "import duckdb,sys,time; c=duckdb.connect(sys.argv[1], "
                               "read_only=True); print('reading', flush=True); time.sleep(60)", db_path],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout.readline().strip() == "reading"
        env = {"FACTWATCH_LOCK_WAIT": "1"}
        listing = runner.invoke(app, ["watch", "list", "--db", db_path], env=env)
        changes = runner.invoke(app, ["changes", "--db", db_path, "--csv"], env=env)
        history = runner.invoke(app, ["history", "https://news.example/a", "--db", db_path], env=env)
        export = runner.invoke(app, ["export", "--parquet", str(tmp_path / "out"), "--db", db_path], env=env)
    finally:
        reader.kill()
        reader.wait()
    assert [r.exit_code for r in (listing, changes, history, export)] == [0, 0, 0, 0], listing.output
    assert "https://news.example/a" in listing.output and "fixed" in listing.output
    assert len(changes.output.splitlines()) == 41  # a header and the 40 flags


def test_watch_list_of_a_missing_database_creates_nothing(tmp_path):
    missing = tmp_path / "none.duckdb"
    result = runner.invoke(app, ["watch", "list", "--db", str(missing)])
    assert result.exit_code == 0 and "empty" in result.output
    assert not Path(missing).exists()
