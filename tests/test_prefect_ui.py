"""What a run shows in Prefect: artifacts, events, run names, and the prefect.yaml entrypoints."""

from __future__ import annotations

import importlib
import time
from pathlib import Path

import pytest
import yaml
from prefect import Flow
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId, FlowRunFilter, FlowRunFilterId

from factwatch.flows.check import check_articles
from factwatch.cli.storyserver import StoryServer, demo_story_versions

ROOT = Path(__file__).resolve().parents[1]
PREFECT_YAML = yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))
EVIDENCE = "Ferry capsizes on Lake Tanganyika, killing at least 17"  # the headline states the toll first


@pytest.mark.parametrize("deployment", PREFECT_YAML["deployments"], ids=lambda d: d["name"])
def test_every_prefect_yaml_entrypoint_imports_and_is_a_flow(deployment):
    module_path, name = deployment["entrypoint"].split(":")
    module = importlib.import_module(module_path.removesuffix(".py").replace("/", "."))
    assert isinstance(getattr(module, name), Flow)
    assert deployment["work_pool"]["name"] == "factwatch"


def test_watch_deployment_has_an_interval_schedule():
    watch = next(d for d in PREFECT_YAML["deployments"] if d["name"] == "watch")
    assert watch["entrypoint"].endswith(":watch_articles")
    assert watch["schedules"][0]["interval"] > 0


def _events(client, resource_id: str, want: int, deadline: float = 15.0) -> list[dict]:
    stop = time.monotonic() + deadline
    query = {"filter": {"event": {"prefix": ["factwatch.claim."]}, "resource": {"id": [resource_id]}}, "limit": 50}
    while True:  # the server persists events asynchronously
        found = client.request("POST", "/events/filter", json=query).json()["events"]
        if len(found) >= want or time.monotonic() > stop:
            return found
        time.sleep(0.3)


def test_a_run_publishes_its_flags_as_artifacts_and_events(prefect_harness, db_path):
    versions = demo_story_versions()
    with StoryServer({"/ferry": [versions[0], versions[2]]}) as server:
        url = server.url("/ferry")
        check_articles([url], db_path, timeout=5, allow_private_networks=True, host_delay=0)
        server.advance()
        state = check_articles([url], db_path, timeout=5, allow_private_networks=True, host_delay=0,
                               return_state=True)
    run_id = state.state_details.flow_run_id
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[run_id])))
        run = client.read_flow_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run_id])))[0]
        events = _events(client, f"factwatch.article.{url}", want=4)
    by_type = {a.type: a for a in artifacts}
    assert set(by_type) == {"table", "markdown"}
    table = by_type["table"].data
    rows = table if isinstance(table, list) else __import__("json").loads(table)
    toll = [r for r in rows if r["claim"] == "casualty"]
    assert [(r["kind"], r["change"]) for r in toll] == [("update", "13 → 17")]
    assert toll[0]["evidence"] == EVIDENCE
    assert "| new_version | 1 |" in by_type["markdown"].data
    assert run.name == "checked 1 url: 4 flags"

    updated = [e for e in events if e["event"] == "factwatch.claim.updated" and e["payload"]["claim_type"] == "casualty"]
    assert len(updated) == 1
    assert updated[0]["resource"]["prefect.resource.id"] == f"factwatch.article.{url}"
    assert (updated[0]["payload"]["old_value"], updated[0]["payload"]["new_value"]) == ("13", "17")
    assert {e["event"] for e in events} >= {"factwatch.claim.corrected", "factwatch.claim.added"}


def test_readme_automation_example_is_a_valid_prefect_automation():
    import re

    from prefect.events.schemas.automations import AutomationCore

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(name: factwatch.*?)```", readme, flags=re.S).group(1)
    automation = AutomationCore.model_validate(yaml.safe_load(block))
    assert automation.trigger.expect == {"factwatch.claim.corrected"}
    assert automation.actions[0].type == "send-notification"
