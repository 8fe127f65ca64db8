"""The CLI, driven in-process with typer's runner and once as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factwatch.cli.app import app
from factwatch.cli.storyserver import StoryServer, demo_story_versions

PATH = "/world/ferry-capsizes"
runner = CliRunner()


def invoke(*args, env=None):
    return runner.invoke(app, list(args), env={"FACTWATCH_ALLOW_PRIVATE_NETWORKS": "1", **(env or {})})


@pytest.fixture
def story():
    with StoryServer({PATH: demo_story_versions()}) as server:
        yield server


def test_claims_json_from_a_local_file_needs_no_database(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(demo_story_versions()[0], encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "factwatch.cli.app", "claims", str(page), "--json"],
                          capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout.splitlines()[0])
    assert record["source"] == str(page)
    assert record["title"].startswith("Ferry capsizes")
    tolls = [c for c in record["claims"] if c["claim_type"] == "casualty" and c["attributes"].get("outcome") == "killed"]
    assert {c["value"] for c in tolls} == {"13"}
    assert all({"claim_type", "key", "value", "text", "sentence"} <= set(c) for c in record["claims"])
    assert not list(tmp_path.glob("*.duckdb"))


def test_check_with_no_url_is_a_usage_error(db_path):
    result = runner.invoke(app, ["check", "--db", db_path])
    assert result.exit_code == 2
    assert not Path(db_path).exists()


def test_refused_urls_are_recorded_and_the_rest_are_checked(prefect_harness, story, db_path, tmp_path):
    urls = tmp_path / "urls.txt"
    urls.write_text("file:///etc/passwd\nhttp://169.254.169.254/latest/meta-data/\nftp://example.org/x\n"
                    f"{story.url(PATH)}\n", encoding="utf-8")
    result = invoke("check", "--from", str(urls), "--db", db_path)
    assert result.exit_code == 1, result.output
    import duckdb

    con = duckdb.connect(db_path, read_only=True)
    try:
        rows = dict(con.execute("SELECT url, outcome FROM fetch_log").fetchall())
        reasons = dict(con.execute("SELECT url, error FROM fetch_log WHERE outcome = 'refused'").fetchall())
    finally:
        con.close()
    assert rows == {"file:///etc/passwd": "refused", "http://169.254.169.254/latest/meta-data/": "refused",
                    "ftp://example.org/x": "refused", story.url(PATH): "new_version"}
    assert reasons == {"file:///etc/passwd": "refused: only http and https URLs are fetched, not file:",
                       "http://169.254.169.254/latest/meta-data/": "refused: 169.254.169.254 is a link-local address",
                       "ftp://example.org/x": "refused: only http and https URLs are fetched, not ftp:"}


def test_check_then_changes_history_and_exit_codes(prefect_harness, story, db_path):
    url = story.url(PATH)
    assert invoke("check", url, "--db", db_path).exit_code == 0
    story.set_version(PATH, 2)
    result = invoke("check", url, "--db", db_path)
    assert result.exit_code == 0, result.output
    assert "13 → 17" in result.output

    as_json = invoke("changes", "--db", db_path, "--json")
    flags = [json.loads(line) for line in as_json.output.splitlines()]
    toll = [f for f in flags if f["claim_type"] == "casualty"]
    assert [(f["change_kind"], f["old_value"], f["new_value"]) for f in toll] == [("update", "13", "17")]
    as_csv = invoke("changes", "--db", db_path, "--csv", "--url", url)
    assert as_csv.output.splitlines()[0].startswith("url,detected_at,claim_type,change_kind")
    assert invoke("changes", "--db", db_path, "--since", "not-a-date").exit_code == 2
    recent = invoke("changes", "--db", db_path, "--json", "--since", "1d")  # an age as well as a day
    assert [json.loads(line) for line in recent.output.splitlines()] == flags
    assert invoke("changes", "--db", db_path, "--json", "--since", "2999-01-01").output == ""

    history = invoke("history", url, "--db", db_path)
    assert history.exit_code == 0 and "at least 13" in history.output and "at least 17" in history.output

    failing = invoke("check", url, story.url("/gone"), "--db", db_path)
    assert failing.exit_code == 1
    assert "HTTP 404" in failing.output


def test_from_file_and_unreadable_file(prefect_harness, story, db_path, tmp_path):
    listing = tmp_path / "urls.txt"
    listing.write_text(f"# today's watch\n{story.url(PATH)}\n\n", encoding="utf-8")
    assert invoke("check", "--from", str(listing), "--db", db_path).exit_code == 0
    assert invoke("check", "--from", str(tmp_path / "missing.txt"), "--db", db_path).exit_code == 2


def test_watch_add_list_remove(db_path):
    url = "https://news.example/story"
    assert invoke("watch", "add", url, "--db", db_path).exit_code == 0
    assert invoke("watch", "add", url, "--every", "30m", "--db", db_path).exit_code == 0
    assert invoke("watch", "add", url, "--every", "soon", "--db", db_path).exit_code == 2
    listing = invoke("watch", "list", "--db", db_path)
    assert url in listing.output and "fixed" in listing.output
    assert invoke("watch", "remove", url, "--db", db_path).exit_code == 0
    assert invoke("watch", "remove", url, "--db", db_path).exit_code == 2
    assert "empty" in invoke("watch", "list", "--db", db_path).output


def _run_cli(*args, env_extra=None, tmp_path=None):
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect"), **(env_extra or {})}
    env.pop("PREFECT_API_URL", None)
    return subprocess.run([sys.executable, "-m", "factwatch.cli.launcher", *args], capture_output=True, text=True,
                          env=env, timeout=180, cwd=tmp_path)


def test_a_database_held_too_long_is_a_clear_error_not_a_traceback(tmp_path, story):
    db = str(tmp_path / "held.duckdb")
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb,sys,time; c=duckdb.connect(sys.argv[1]); "
                               "print('held', flush=True); time.sleep(60)", db], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        done = _run_cli("check", story.url(PATH), "--db", db, "--allow-private-networks",
                        env_extra={"FACTWATCH_LOCK_WAIT": "1"}, tmp_path=tmp_path)
    finally:
        holder.kill()
        holder.wait()
    assert done.returncode == 1, done.stderr[-2000:]
    assert "in use by another process" in done.stderr and "Traceback" not in done.stderr


def test_an_unknown_task_runner_is_a_usage_error(tmp_path, story):
    done = _run_cli("check", story.url(PATH), "--db", str(tmp_path / "x.duckdb"), "--allow-private-networks",
                    env_extra={"FACTWATCH_TASK_RUNNER": "ray"}, tmp_path=tmp_path)
    assert done.returncode == 2 and "local or dask" in done.stderr and "Traceback" not in done.stderr


def test_alerts_add_list_remove_without_a_server(db_path, tmp_path):
    added = invoke("alerts", "add", "toll", "--when", "casualty rises by >= 20%", "--db", db_path)
    assert added.exit_code == 0, added.output
    assert "added rule toll: casualty rises by >= 20%" in added.output
    # In a process of its own: the session's Prefect test harness would count as a server here.
    notify = _run_cli("alerts", "add", "fixes", "--when", "person correction", "--notify", "custom-webhook/desk",
                      "--db", db_path, tmp_path=tmp_path)
    assert notify.returncode == 0, notify.stderr
    assert "Automations need a Prefect server" in notify.stderr and "prefect server start" in notify.stderr
    assert invoke("alerts", "add", "toll", "--when", "casualty falls", "--db", db_path).output.startswith("updated")
    listing = invoke("alerts", "list", "--db", db_path).output
    assert "fixes: person correction | notify custom-webhook/desk | 0 matches" in listing
    assert "toll: casualty falls | events only" in listing
    assert invoke("alerts", "remove", "toll", "--db", db_path).exit_code == 0
    assert invoke("alerts", "remove", "toll", "--db", db_path).exit_code == 2
    tested = _run_cli("alerts", "test", "fixes", "--db", db_path, tmp_path=tmp_path)
    assert tested.returncode == 1 and "Automations need a Prefect server" in tested.stderr


@pytest.mark.parametrize("when, message", [
    ("casualty rises by >= x", "expected a number after '>=' at column 22"),
    ("persn correction", "did you mean 'person'?"),
    ("", "the rule is empty"),
])
def test_a_bad_rule_is_a_usage_error_that_says_where(db_path, when, message):
    result = invoke("alerts", "add", "toll", "--when", when, "--db", db_path)
    assert result.exit_code == 2 and message in " ".join(result.output.split())
    assert "Traceback" not in result.output
    assert "no alert rules" in invoke("alerts", "list", "--db", db_path).output
