"""Issue 17 end to end: three outlets on three loopback ports report one event through the real check flow;
story_tolls reconciles them, `factwatch report` renders the story, and headless Chromium shows it."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from contextlib import ExitStack

import duckdb
import pytest
from typer.testing import CliRunner

from factwatch.cli.app import app
from factwatch.cli.storyserver import StoryServer
from factwatch.flows.check import check_articles

from story_outlets import OUTLETS, RUNS

PATH = "/africa/ferry"


@pytest.fixture(scope="module")
def story(tmp_path_factory, prefect_harness):
    """The database after the four runs, the URL of each outlet, and each run's summary."""
    db = str(tmp_path_factory.mktemp("stories") / "factwatch.duckdb")
    with ExitStack() as stack:
        servers = {name: stack.enter_context(StoryServer({PATH: versions}, chrome_noise=False))
                   for name, versions in OUTLETS.items()}
        urls = {name: server.url(PATH) for name, server in servers.items()}
        summaries = []
        for run in RUNS:
            for name, version in run.items():
                servers[name].set_version(PATH, version)
            summaries.append(check_articles(list(urls.values()), db, timeout=5, allow_private_networks=True,
                                            host_delay=0, return_state=True))
    return db, urls, summaries


def _query(db, sql, *params):
    con = duckdb.connect(db, read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def test_three_outlets_are_one_story_with_reconciled_tolls(story):
    db, urls, _ = story
    placed = dict(_query(db, "SELECT url, story_id FROM story_articles"))
    assert len({placed[u] for u in urls.values()}) == 1
    assert len({u.split("/")[2] for u in urls.values()}) == 3  # three ports: three outlets
    killed = _query(db, "SELECT outlets, low, best, high, latest, disagree, lagging_outlets FROM story_tolls "
                        "WHERE outcome = 'killed' AND victim_group = 'people'")
    assert killed == [(3, 13, 17, 17, "17", True, 0)]
    current = dict(_query(db, "SELECT url, trim(qualifier || ' ' || value) FROM story_outlet_tolls "
                              "WHERE outcome = 'killed'"))
    assert current == {urls["lakepost"]: "at least 17", urls["dailyeast"]: "at least 17", urls["coastnews"]: "13"}
    assert _query(db, "SELECT url, old_value, new_value FROM silent_corrections") == [(urls["coastnews"], "14", "13")]
    # Raised once, on the run where lakepost went to 17, and still standing: not raised again on later runs.
    assert _query(db, "SELECT kind, low, high, resolved_at FROM story_flags") == [("disagreement", 13, 17, None)]


def test_the_run_artifact_shows_the_story_and_its_reconciled_tolls(story):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    db, urls, summaries = story
    run_id = summaries[1].state_details.flow_run_id
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[run_id])))
    summary = next(a.data for a in artifacts if a.key == "factwatch-run-summary")
    story_id = _query(db, "SELECT DISTINCT story_id FROM story_articles")[0][0]
    assert f"### Story {story_id}:" in summary and f"factwatch report {story_id}" in summary
    assert f"({urls['coastnews']})" in summary
    assert "| killed (people) | 3 | 13 | 14 | 17 | 17 | **yes** |" in summary
    assert "**disagreement**: outlets disagree on the killed (people)" in summary
    # And one Prefect event for the one flag, on the story as a resource, for Automations.
    query = {"filter": {"event": {"prefix": ["factwatch.story."]}}, "limit": 50}
    with get_client(sync_client=True) as client:
        stop = time.monotonic() + 15
        while not (found := client.request("POST", "/events/filter", json=query).json()["events"]) \
                and time.monotonic() < stop:
            time.sleep(0.3)  # the server persists events asynchronously
    mine = [e for e in found if e["resource"]["prefect.resource.id"] == f"factwatch.story.{story_id}"]
    assert [(e["event"], e["payload"]["low"], e["payload"]["high"]) for e in mine] == [
        ("factwatch.story.disagreement", 13, 17)]


def test_stories_cli_lists_shows_and_moves(story, tmp_path):
    db, urls, _ = story
    copy = str(tmp_path / "copy.duckdb")
    shutil.copy(db, copy)
    runner = CliRunner(env={"COLUMNS": "250"})  # tables not wrapped
    listed = runner.invoke(app, ["stories", "list", "--db", copy])
    assert listed.exit_code == 0 and "13–17" in listed.output and "yes" in listed.output
    shown = runner.invoke(app, ["stories", "show", urls["coastnews"], "--db", copy])
    assert shown.exit_code == 0 and "killed (people)" in shown.output
    moved = runner.invoke(app, ["stories", "move", urls["coastnews"], "new", "--db", copy])
    assert moved.exit_code == 0, moved.output
    after = dict(_query(copy, "SELECT url, story_id FROM story_articles"))
    assert after[urls["coastnews"]] != after[urls["lakepost"]] == after[urls["dailyeast"]]
    assert _query(copy, "SELECT disagree FROM story_tolls WHERE story_id = ? AND outcome = 'killed'",
                  after[urls["lakepost"]]) == [(False,)]
    missing = runner.invoke(app, ["stories", "move", "http://nowhere.example/x", "1", "--db", copy])
    assert missing.exit_code == 2 and "is in no story" in missing.output


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def test_the_report_renders_in_headless_chromium(story, tmp_path):
    db, urls, _ = story
    out = tmp_path / "report.html"
    made = CliRunner().invoke(app, ["report", urls["dailyeast"], "--out", str(out), "--db", db])
    assert made.exit_code == 0, made.output
    page = out.read_text(encoding="utf-8")
    markup = re.sub(r"<script>.*?</script>", "", page, flags=re.S)  # the inlined scripts themselves
    assert "<script" not in markup and "<link" not in markup and "src=" not in markup  # nothing to fetch
    assert '<span class="badge silent">silent correction</span>' in page
    assert "<del>Fourteen people</del> <ins" in page
    browser = _chromium()
    if browser is None:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    profile = tmp_path / "profile"
    done = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", "--window-size=390,844",
         "--virtual-time-budget=15000", "--dump-dom", out.as_uri()],
        capture_output=True, text=True, timeout=180, env={**os.environ, "HOME": str(tmp_path)})
    dom = done.stdout
    assert done.returncode == 0, done.stderr[-2000:]
    # Chromium logs every console message (errors, warnings, uncaught exceptions) as a CONSOLE line: none at all.
    assert [line for line in done.stderr.splitlines() if "CONSOLE" in line] == []
    # The chart was drawn: plotly replaced its placeholder with an SVG holding one trace per outlet.
    assert 'class="main-svg"' in dom
    assert dom.count('class="trace scatter') >= 3
    for url in urls.values():
        assert url.split("/")[2] in dom
    toll_row = dom.split('<tr class="toll">', 1)[1].split("</tr>", 1)[0]
    assert '<td class="low">13</td>' in toll_row and '<td class="high">17</td>' in toll_row
    assert "outlets disagree" in toll_row
    assert json.dumps("silent correction")[1:-1] in dom


def test_stories_commands_on_a_file_from_before_stories_say_how_to_upgrade(tmp_path):
    old = str(tmp_path / "old.duckdb")
    duckdb.connect(old).close()  # a file with no story tables, as a version 5 file is until it is next written
    for args in (["stories", "list"], ["report", "1", "--out", str(tmp_path / "r.html")]):
        result = CliRunner(env={"COLUMNS": "250"}).invoke(app, [*args, "--db", old])
        assert result.exit_code == 2 and "predates stories" in result.output, result.output
    assert not (tmp_path / "r.html").exists()
