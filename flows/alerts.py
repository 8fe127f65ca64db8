"""Alerts through Prefect: one `factwatch.alert.<rule>` event per match, digests, and the Automations
that turn those events into notifications on a block the user names (Slack, Teams, Discord, a
custom webhook, email).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date, datetime, timezone

from factwatch.alerts.rules import AlertRule, StoredFlag, rule_matches, signature, summary
from factwatch.storage import connect, transaction
from factwatch.storage.alerts import due_digests

log = logging.getLogger(__name__)
AUTOMATION_PREFIX = "factwatch alert: "

# The change in one line, the evidence below it (Jinja, rendered by the Prefect server).
SUBJECT = "factwatch: {{ event.payload.summary }}"
BODY = """{{ event.payload.summary }}

Evidence: {{ event.payload.evidence }}
{% if event.payload.old_sentence and event.payload.old_sentence != event.payload.new_sentence %}Before: \
{{ event.payload.old_sentence }}
{% endif %}{% if event.payload.notice %}Notice: {{ event.payload.notice }}
{% endif %}Article: {{ event.payload.url }}
Rule: {{ event.payload.rule }} ({{ event.payload.expression }})"""
DIGEST_SUBJECT = "factwatch digest for {{ event.payload.rule }}: {{ event.payload.count }} new"
DIGEST_BODY = """{{ event.payload.count }} matches of {{ event.payload.rule }} ({{ event.payload.expression }}):
{% for m in event.payload.matches %}
- {{ m.summary }}
  Evidence: {{ m.evidence }}
  Article: {{ m.url }}
{% endfor %}"""


class AlertsUnavailable(RuntimeError):
    """Automations cannot be set up: no Prefect server, or the named block is not there."""


NO_SERVER = ("Automations need a Prefect server, and none is configured. Start one with "
             "`prefect server start` and point factwatch at it with "
             "`prefect config set PREFECT_API_URL=http://127.0.0.1:4200/api` (or export PREFECT_API_URL). "
             "Until then the rule still runs on every check, and its matches are recorded in the "
             "alerts_fired view.")


def _jsonable(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def alert_payload(match: dict, test: bool = False) -> dict:
    """What an alert event carries: the change, both sentences, the notice and links."""
    evidence = match.get("new_sentence") or match.get("old_sentence") or ""
    text = match["summary"]
    keys = ("rule", "expression", "url", "title", "claim_type", "change_kind", "key", "old_value", "new_value",
            "old_sentence", "new_sentence", "notice", "reason", "detected_at", "matched_at", "change_id",
            "from_version_no", "to_version_no")
    payload = {k: _jsonable(match.get(k)) for k in keys}
    payload.update(summary=f"[test] {text}" if test else text, evidence=evidence, test=test,
                   change=f"{match.get('old_value') or '—'} → {match.get('new_value') or '—'}",
                   links={"article": match["url"]})
    return payload


def emit_alert(match: dict, test: bool = False) -> None:
    """Emit the match's `factwatch.alert.<rule>` event: resource is the article and the rule."""
    from prefect.events import emit_event

    emit_event(
        event=f"factwatch.alert.{match['rule']}",
        resource={"prefect.resource.id": f"factwatch.article.{match['url']}",
                  "prefect.resource.name": match.get("title") or match["url"],
                  "factwatch.url": match["url"], "factwatch.rule": match["rule"]},
        related=[{"prefect.resource.id": f"factwatch.alert-rule.{match['rule']}",
                  "prefect.resource.role": "alert-rule", "prefect.resource.name": match["rule"]}],
        payload=alert_payload(match, test),
    )


def emit_alerts(matches: Sequence[dict]) -> None:
    """One event per new match, in the order they were written."""
    for match in matches:
        emit_alert(match)


def emit_digest(digest: dict, test: bool = False) -> None:
    """Emit one `factwatch.digest.<rule>` event listing every match since the rule's last digest."""
    from prefect.events import emit_event

    matches = [alert_payload({**m, "rule": digest["rule"], "expression": digest["expression"]}, test)
               for m in digest["matches"]]
    emit_event(
        event=f"factwatch.digest.{digest['rule']}",
        resource={"prefect.resource.id": f"factwatch.alert-rule.{digest['rule']}",
                  "prefect.resource.name": digest["rule"], "factwatch.rule": digest["rule"]},
        payload={"rule": digest["rule"], "expression": digest["expression"], "minutes": digest["minutes"],
                 "count": len(matches), "matches": matches, "test": test},
    )


def send_due_digests(db: str, lock_wait: float) -> int:
    """Emit each digest that is due (digest rules only); how many were sent."""
    with connect(db, wait=lock_wait) as con, transaction(con):
        digests = due_digests(con, datetime.now(timezone.utc))
    for digest in digests:
        emit_digest(digest)
    return len(digests)


def configured_server() -> str:
    """The configured Prefect server's API URL, or AlertsUnavailable saying how to start one."""
    from factwatch.flows.prefect_api import api_healthy
    from factwatch.flows.serve import configured_api_url

    url = configured_api_url()
    if not url:
        raise AlertsUnavailable(NO_SERVER)
    if not api_healthy(url):
        raise AlertsUnavailable(f"the Prefect server at {url} does not answer; start it with `prefect server start`")
    return url


def notification_block_id(block: str):
    """The id of a notification block named type-slug/name (as `prefect block ls` shows it)."""
    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectNotFound

    slug, _, name = block.partition("/")
    if not slug or not name:
        raise AlertsUnavailable(f"--notify wants a block as type/name, such as custom-webhook/newsdesk, not {block!r}")
    with get_client(sync_client=True) as client:
        try:
            document = client.read_block_document_by_name(name=name, block_type_slug=slug)
        except ObjectNotFound:
            raise AlertsUnavailable(f"no notification block {block!r} on the Prefect server; create it in the UI "
                                    "(Blocks → +) or with Python, then run `factwatch alerts add` again") from None
    if "notify" not in (document.block_schema.capabilities if document.block_schema else []):
        raise AlertsUnavailable(f"the block {block!r} cannot send notifications (use Slack Webhook, Microsoft "
                                "Teams Webhook, Discord Webhook, Custom Webhook or Email)")
    return document.id


def automation_name(rule: str) -> str:
    """The Automation that delivers a rule's alerts."""
    return AUTOMATION_PREFIX + rule


def _find_automation(name: str):
    from prefect.automations import Automation

    try:
        return Automation.read(name=name)
    except ValueError:  # "Automation with name ... not found"
        return None


def ensure_automation(rule: AlertRule) -> str:
    """Create or update the rule's Automation: an event trigger on its events, a send-notification action.

    A digest rule's Automation listens to its digest events instead, so it sends at most one
    notification per period. Returns the Automation's id.
    """
    from prefect.automations import Automation, EventTrigger, Posture, SendNotification

    block_id = notification_block_id(rule.notify)
    digest = bool(rule.digest_minutes)
    trigger = EventTrigger(expect={f"factwatch.{'digest' if digest else 'alert'}.{rule.name}"},
                           match={"factwatch.rule": rule.name}, posture=Posture.Reactive, threshold=1, within=0)
    action = SendNotification(block_document_id=block_id, subject=DIGEST_SUBJECT if digest else SUBJECT,
                              body=DIGEST_BODY if digest else BODY)
    description = f"factwatch rule {rule.name}: {rule.expression}"
    existing = _find_automation(automation_name(rule.name))
    if existing is None:
        created = Automation(name=automation_name(rule.name), description=description, trigger=trigger,
                             actions=[action]).create()
        return str(created.id)
    existing.description, existing.trigger, existing.actions, existing.enabled = description, trigger, [action], True
    existing.update()
    return str(existing.id)


def delete_automation(rule: str) -> bool:
    """Delete the rule's Automation, if there is one; True when it was there."""
    existing = _find_automation(automation_name(rule))
    return bool(existing and existing.delete())


SAMPLES = (
    StoredFlag("https://news.example/world/ferry", "casualty", "update", "casualty:killed:people", "13", "17",
               "At least 13 people were killed when the ferry capsized.",
               "At least 17 people were killed when the ferry capsized.", "death toll rose from at least 13 to at "
               "least 17", None, "Ferry capsizes (factwatch test alert)"),
    StoredFlag("https://news.example/world/ferry", "casualty", "correction", "casualty:killed:people", "17", "15",
               "At least 17 people were killed.", "At least 15 people were killed.",
               "death toll revised down from at least 17 to at least 15", None, "Ferry capsizes (test)"),
    StoredFlag("https://news.example/world/ferry", "person", "correction", "person:al-saadi", "Wisam al-Saadi",
               "Wissam al-Saadi", "Commander Wisam al-Saadi said.", "Commander Wissam al-Saadi said.",
               "name corrected from Wisam al-Saadi to Wissam al-Saadi", None, "Ferry capsizes (test)"),
    StoredFlag("https://news.example/world/ferry", "correction_notice", "added", "correction_notice:test", None,
               "Correction: an earlier version misspelled the commander's name.", None,
               "Correction: an earlier version misspelled the commander's name.", "correction notice added", None,
               "Ferry capsizes (test)"),
)


def sample_match(rule: AlertRule) -> dict:
    """A sample match for `alerts test`: the first sample flag the rule matches (else the toll rise)."""
    flag = next((f for f in SAMPLES if rule_matches(rule, f)), SAMPLES[0])
    now = datetime.now(timezone.utc)
    return {**{k: getattr(flag, k) for k in StoredFlag.__slots__}, "detected_at": now, "matched_at": now,
            "rule": rule.name, "expression": rule.expression, "signature": signature(flag), "summary": summary(flag)}


def send_test_alert(rule: AlertRule) -> str:
    """Send a sample through the real path (event → Automation → block); the event's name."""
    from factwatch.flows.prefect_api import drain_to_api

    match = sample_match(rule)
    if rule.digest_minutes:
        emit_digest({"rule": rule.name, "minutes": rule.digest_minutes, "expression": rule.expression,
                     "matches": [match]}, test=True)
        name = f"factwatch.digest.{rule.name}"
    else:
        emit_alert(match, test=True)
        name = f"factwatch.alert.{rule.name}"
    drain_to_api(timeout=10)
    return name
