"""What a run shows in the Prefect UI: a table artifact of flags, a summary, and events."""

from __future__ import annotations

from prefect import get_run_logger
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.events import emit_event

from factwatch.storage.writer import OUTCOMES, Flag, WriteReport

EVENT_NAMES = {"update": "factwatch.claim.updated", "correction": "factwatch.claim.corrected",
               "added": "factwatch.claim.added", "removed": "factwatch.claim.removed"}


def flag_row(flag: Flag) -> dict:
    """One flag as a row of the run's table artifact."""
    ch = flag.change
    # What changed comes first: the UI shows the leftmost columns without scrolling.
    return {
        "kind": ch.change_kind, "claim": ch.claim_type, "change": f"{ch.old_value or '—'} → {ch.new_value or '—'}",
        "reason": ch.reason, "evidence": ch.new_sentence or ch.old_sentence or "",
        "article": flag.title or flag.url, "url": flag.url,
        "versions": f"{flag.from_version_id} → {flag.to_version_id}",
    }


def summary_markdown(report: WriteReport, checked: int) -> str:
    """The run's markdown summary: counts per outcome, flags and failures."""
    lines = ["# factwatch run", "", f"Checked **{checked}** URLs and raised **{len(report.flags)}** flags.", "",
             "| outcome | count |", "|---|---|"]
    lines += [f"| {o} | {report.outcomes.get(o, 0)} |" for o in OUTCOMES]
    if report.errors:
        lines += ["", "## Failures", ""] + [f"- {url}: {reason}" for url, reason in report.errors[:50]]
    lines += stories_markdown(report.stories)
    return "\n".join(lines)


def _cell(value) -> str:
    return str("" if value is None else value).replace("|", "\\|").replace("\n", " ")


def stories_markdown(stories: list[dict], limit: int = 20) -> list[str]:
    """Markdown lines for the stories whose articles changed in a run: links, reconciled tolls, new flags."""
    shown = [s for s in stories if s["tolls"] or s["flags"]][:limit]
    if not shown:
        return []
    lines = ["", "## Stories that changed", ""]
    for story in shown:
        links = ", ".join(f"[{_cell(url)}]({url})" for url in story["urls"][:10])
        lines += [f"### Story {story['story_id']}: {_cell(story['title'])}", "",
                  f"Articles: {links}. Full report: `factwatch report {story['story_id']} --out story.html`", ""]
        if story["tolls"]:
            lines += ["| toll | outlets | low | best | high | latest | outlets disagree | who says what |",
                      "|---|---|---|---|---|---|---|---|"]
            lines += [f"| {t['outcome']} ({_cell(t['victim_group'])}) | {t['outlets']} | {t['low']} | {t['best']} | "
                      f"{t['high']} | {_cell(t['latest'])} | {'**yes**' if t['disagree'] else 'no'} | "
                      f"{_cell(t['sources'])} |" for t in story["tolls"]]
        lines += [f"- **{f['kind']}**: {_cell(f['detail'])}" for f in story["flags"]]
        lines.append("")
    return lines


def emit_flag_event(flag: Flag) -> None:
    """Emit one Prefect event per flag, so Automations can notify on it."""
    ch = flag.change
    emit_event(
        event=EVENT_NAMES[ch.change_kind],
        resource={"prefect.resource.id": f"factwatch.article.{flag.url}", "prefect.resource.name": flag.title or flag.url,
                  "factwatch.url": flag.url},
        payload={"claim_type": ch.claim_type, "key": ch.key, "old_value": ch.old_value, "new_value": ch.new_value,
                 "old_sentence": ch.old_sentence, "new_sentence": ch.new_sentence, "reason": ch.reason,
                 "confidence": ch.confidence, "from_version_id": flag.from_version_id,
                 "to_version_id": flag.to_version_id},
    )


def run_name(report: WriteReport, checked: int) -> str:
    """A flow-run name that says what the run did."""
    failed = len(report.errors)
    name = f"checked {checked} url{'s' if checked != 1 else ''}: {len(report.flags)} flag{'s' if len(report.flags) != 1 else ''}"
    return name + (f", {failed} failed" if failed else "")


def _rename_flow_run(name: str) -> None:
    from prefect.client.orchestration import get_client
    from prefect.runtime import flow_run

    if flow_run.id:
        with get_client(sync_client=True) as client:
            client.update_flow_run(flow_run.id, name=name)


def publish_run(report: WriteReport, checked: int) -> None:
    """Publish the artifacts and events for one run, and name the run after what it found."""
    _rename_flow_run(run_name(report, checked))
    create_markdown_artifact(summary_markdown(report, checked), key="factwatch-run-summary",
                             description="What this factwatch run checked")
    if report.flags:
        create_table_artifact([flag_row(f) for f in report.flags], key="factwatch-flags",
                              description="Fact changes flagged in this run")
    for flag in report.flags:
        emit_flag_event(flag)
    get_run_logger().info("published %s flags", len(report.flags))


def emit_story_flag_events(stories: list[dict]) -> None:
    """One Prefect event per new story flag (factwatch.story.disagreement or .lagging), so Automations can notify.

    A flag is raised once per divergence (storage.stories.raise_story_flags), so a dispute that lasts
    many runs is one event, not one per run.
    """
    for story in stories:
        for flag in story["flags"]:
            emit_event(
                event=f"factwatch.story.{flag['kind']}",
                resource={"prefect.resource.id": f"factwatch.story.{story['story_id']}",
                          "prefect.resource.name": story["title"] or f"story {story['story_id']}"},
                related=[{"prefect.resource.id": f"factwatch.article.{url}", "prefect.resource.role": "article"}
                         for url in story["urls"][:20]],
                payload={"outcome": flag["outcome"], "victim_group": flag["victim_group"], "low": flag["low"],
                         "high": flag["high"], "detail": flag["detail"],
                         "report": f"factwatch report {story['story_id']} --out story.html"},
            )

