"""Pure: an Atom feed (RFC 4287) of flags, one entry per flag with an id that never changes.

An entry's id is derived from what the flag is (the article, the versions it
spans, the claim, the kind and both values), not from a database row number, so
writing the feed again, or after `reprocess`, gives each flag the same id and a
feed reader never hides an update as one it has already seen.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime, timezone
from xml.etree import ElementTree as ET

from factwatch.alerts.rules import StoredFlag, summary

ATOM = "http://www.w3.org/2005/Atom"
FEED_ID = "urn:factwatch:flags"


def entry_id(row: dict) -> str:
    """A flag's stable Atom id: a hash of the article, versions, claim, kind and values."""
    parts = [row["url"], str(row.get("from_version_no")), str(row.get("to_version_no")), row["key"],
             row["change_kind"], row.get("old_value") or "", row.get("new_value") or ""]
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]
    return f"urn:factwatch:flag:{digest}"


def _stamp(value: datetime | None) -> str:
    value = value or datetime(1970, 1, 1, tzinfo=timezone.utc)
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def _text(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    element.text = text
    return element


def entry_content(row: dict) -> str:
    """The entry's body in plain text: the change, the evidence before and after, the notice."""
    lines = [row.get("reason") or ""]
    if row.get("old_sentence"):
        lines.append(f"Before: {row['old_sentence']}")
    if row.get("new_sentence"):
        lines.append(f"After: {row['new_sentence']}")
    if row.get("notice") and row.get("claim_type") != "correction_notice":
        lines.append(f"Notice: {row['notice']}")
    lines.append(f"Versions {row.get('from_version_no')} → {row.get('to_version_no')} of {row['url']}")
    return "\n".join(lines)


def atom_feed(rows: Sequence[dict], title: str = "factwatch: fact changes", self_link: str | None = None) -> str:
    """The Atom document for these flag rows (newest first), as UTF-8 text."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "id", FEED_ID)
    _text(feed, "title", title)
    # The feed's updated time is its newest flag's, so an unchanged history gives the same document.
    _text(feed, "updated", _stamp(max((r["detected_at"] for r in rows), default=None)))
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", "factwatch")
    _text(feed, "generator", "factwatch")
    if self_link:
        ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "href": self_link})
    for row in rows:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "id", entry_id(row))
        flag = StoredFlag.from_row(row)
        _text(entry, "title", f"[{row['change_kind']}] {summary(flag)}")
        _text(entry, "updated", _stamp(row["detected_at"]))
        _text(entry, "published", _stamp(row["detected_at"]))
        ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "href": row["url"]})
        ET.SubElement(entry, f"{{{ATOM}}}category", {"term": row["claim_type"]})
        ET.SubElement(entry, f"{{{ATOM}}}category", {"term": row["change_kind"]})
        _text(entry, "summary", row.get("reason") or summary(flag))
        _text(entry, "content", entry_content(row), type="text")
    body = ET.tostring(feed, encoding="unicode")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n"
