"""Alerts delivered end to end: a real `prefect server start` (its automation services on), the real CLI,
a served story whose toll rises, and a loopback HTTP receiver behind a custom webhook block.

The receiver must get exactly one notification for the rise (old and new values, the evidence
sentence), nothing for a noise-only version or a flip-flop, and the sample `alerts test` sends.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pytest

from factwatch.cli.storyserver import StoryServer, demo_story_versions
from prefect_server import prefect_server

pytestmark = pytest.mark.slow
PATH = "/world/ferry-capsizes"
FACTWATCH = [sys.executable, "-m", "factwatch.cli.launcher"]
QUIET_SECONDS = 15  # how long "nothing arrives" is waited for, once the pipeline is known to deliver


class Receiver:
    """A webhook endpoint on loopback that keeps every request body and when it arrived."""

    def __init__(self) -> None:
        self.received: list[tuple[float, dict]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (stdlib name)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                receiver.received.append((time.time(), json.loads(body or b"{}")))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/hook"

    def wait_for(self, count: int, timeout: float) -> list[dict]:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.2)
        return [body for _at, body in self.received]

    def __enter__(self) -> Receiver:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(tmp_path / "prefect-home"), PREFECT_SERVER_ANALYTICS_ENABLED="false",
               PREFECT_LOGGING_LEVEL="WARNING", FACTWATCH_ALLOW_PRIVATE_NETWORKS="1", FACTWATCH_HOST_DELAY="0",
               FACTWATCH_WORKERS="1", FACTWATCH_API_STARTUP_TIMEOUT="120")
    return env


def _cli(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*FACTWATCH, *args], env=env, capture_output=True, text=True, timeout=300)


def _save_webhook_block(api: str, url: str) -> None:
    from prefect.blocks.notifications import CustomWebhookNotificationBlock
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: api}):
        CustomWebhookNotificationBlock(name="receiver", url=url,
                                       json_data={"subject": "{{subject}}", "body": "{{body}}"}).save("receiver")


def _automation(api: str, name: str):
    from prefect.automations import Automation
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: api}):
        return Automation.read(name=name)


def _matched_at(db: Path) -> datetime:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT max(matched_at) FROM alerts_fired").fetchall()[0][0]
    finally:
        con.close()


def test_a_rising_toll_notifies_once_through_a_prefect_automation(tmp_path):
    db = tmp_path / "alerts.duckdb"
    env = _env(tmp_path)
    first = demo_story_versions()[0]
    risen = first.replace("least 13", "least 17")
    assert risen != first
    with prefect_server(env) as api, Receiver() as receiver, StoryServer({PATH: [first, risen]}) as story:
        env["PREFECT_API_URL"] = api
        _save_webhook_block(api, receiver.url)
        typo = _cli(env, "alerts", "add", "toll", "--when", "casualty rises by >= 20%", "--notify",
                    "custom-webhook/nobody", "--db", str(db))
        assert typo.returncode == 2 and "no notification block 'custom-webhook/nobody'" in typo.stderr
        added = _cli(env, "alerts", "add", "toll", "--when", "casualty rises by >= 20%", "--notify",
                     "custom-webhook/receiver", "--db", str(db))
        assert added.returncode == 0, added.stderr
        assert "Automation 'factwatch alert: toll'" in added.stdout
        busy = _cli(env, "alerts", "add", "busy", "--when", "casualty changes", "--digest", "60", "--notify",
                    "custom-webhook/receiver", "--db", str(db))
        assert busy.returncode == 0, busy.stderr
        assert _automation(api, "factwatch alert: busy").trigger.expect == {"factwatch.digest.busy"}
        automation = _automation(api, "factwatch alert: toll")
        assert automation.trigger.expect == {"factwatch.alert.toll"}
        assert automation.actions[0].type == "send-notification"

        url = story.url(PATH)
        check = lambda: _cli(env, "check", url, "--db", str(db))  # noqa: E731
        assert check().returncode == 0                      # v1: the baseline
        assert check().returncode == 0                      # v1 again, new ads and counters: noise only
        story.set_version(PATH, 1)
        done = check()                                      # the toll rises from 13 to 17
        assert done.returncode == 0 and "13 → 17" in done.stdout, done.stdout + done.stderr
        bodies = receiver.wait_for(2, 90)  # the toll rule's alert, and the first digest of the busy rule
        assert len(bodies) == 2, "the rise was not delivered within 90 s"
        arrived = min(at for at, body in receiver.received if body["subject"].startswith("factwatch: "))
        print(f"flag written -> webhook received: {arrived - _matched_at(db).timestamp():.1f} s")
        note = next(b for b in bodies if b["subject"].startswith("factwatch: "))
        digest = next(b for b in bodies if b["subject"].startswith("factwatch digest for busy"))
        assert digest["subject"] == "factwatch digest for busy: 1 new"
        assert "- death toll at 127.0.0.1 rose from 13 to 17 (+31%)" in digest["body"]

        assert note["subject"] == "factwatch: death toll at 127.0.0.1 rose from 13 to 17 (+31%)"
        assert "Evidence: KIGOMA, Tanzania — At least 17 people were killed" in note["body"] or \
            "Evidence: Ferry capsizes on Lake Tanganyika, killing at least 17" in note["body"]
        assert f"Article: {url}" in note["body"] and "Rule: toll (casualty rises by >= 20%)" in note["body"]

        story.set_version(PATH, 0)
        assert check().returncode == 0                      # back to 13: flagged, but not a rise
        story.set_version(PATH, 1)
        again = check()                                     # 17 again: a flip-flop, already alerted
        assert again.returncode == 0 and "17" in again.stdout
        time.sleep(QUIET_SECONDS)
        # one alert for the rise; the busy rule's fall (17 -> 13) waits for its next digest, an hour on
        assert len(receiver.received) == 2, [b["subject"] for _t, b in receiver.received]

        tested = _cli(env, "alerts", "test", "toll", "--db", str(db))
        assert tested.returncode == 0, tested.stderr
        bodies = receiver.wait_for(3, 90)
        assert len(bodies) == 3, "alerts test was not delivered within 90 s"
        assert bodies[2]["subject"].startswith("factwatch: [test] death toll at news.example rose from 13 to 17")

        removed = _cli(env, "alerts", "remove", "toll", "--db", str(db))
        assert removed.returncode == 0 and "and the Automation" in removed.stdout
        with pytest.raises(ValueError):
            _automation(api, "factwatch alert: toll")
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT rule, old_value, new_value, digested_at IS NULL FROM alerts_fired "
                           "ORDER BY rule, detected_at").fetchall() == [
            ("busy", "13", "17", False), ("busy", "17", "13", True), ("toll", "13", "17", True)]  # toll: no digest
        assert con.execute("SELECT count(*) FROM change_flags WHERE claim_type = 'casualty'").fetchall()[0][0] >= 3
    finally:
        con.close()
