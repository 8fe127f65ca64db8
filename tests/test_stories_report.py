"""The story report's pure parts: claim changes marked in a version's text, and a page that needs no network."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from factwatch.stories.report import highlight_version, render_report

TEXT = ("At least 17 people were killed when the ferry <capsized>. "
        "Correction: An earlier version of this article misspelled the commander's name.")
RISE = {"change_kind": "update", "old_text": "At least 13 people", "new_text": "At least 17 people",
        "new_sentence": "At least 17 people were killed when the ferry <capsized>.", "reason": "death toll rose",
        "notice": None}
NOTICE = "Correction: An earlier version of this article misspelled the commander's name."


def test_a_changed_value_is_shown_struck_through_then_marked_and_notices_highlighted():
    html = highlight_version(TEXT, [RISE], [NOTICE])
    assert html.startswith('<del>At least 13 people</del> <ins title="death toll rose">At least 17 people</ins>')
    assert "&lt;capsized&gt;" in html and "<capsized>" not in html  # the article's text is escaped
    assert '<mark class="notice">Correction: An earlier version' in html
    assert "silent correction" not in html  # an update is not a correction


def test_a_correction_without_notice_is_labelled_silent_and_one_with_a_notice_is_not():
    cut = {**RISE, "change_kind": "correction", "old_text": "At least 19 people"}
    assert '<span class="badge silent">silent correction</span>' in highlight_version(TEXT, [cut], [])
    assert "silent correction" not in highlight_version(TEXT, [{**cut, "notice": NOTICE}], [])


def test_a_flag_whose_sentence_is_gone_leaves_the_text_as_it_is():
    gone = {**RISE, "new_sentence": "Not in this text."}
    assert highlight_version(TEXT, [gone], []) == highlight_version(TEXT, [], [])


def test_the_page_fetches_nothing_and_shows_the_reconciled_figures():
    at = datetime(2024, 5, 2, 8, tzinfo=timezone.utc)
    toll = {"story_id": 1, "outcome": "killed", "victim_group": "people", "outlets": 2, "low": 13, "best": 15,
            "high": 17, "latest": "17", "disagree": True, "lagging_outlets": 0, "sources": "a.example: 17; b.example: 13"}
    points = [{"outlet": o, "url": f"http://{o}/x", "fetched_at": at, "value": v, "qualifier": "", "high": int(v),
               "outcome": "killed", "victim_group": "people"} for o, v in (("a.example", "17"), ("b.example", "13"))]
    page = render_report({"story_id": 1, "title": "Ferry <sinks>", "made_at": at, "tolls": [toll], "outlet_tolls": [],
                          "timeline": points, "flags": [], "articles": []})
    markup = re.sub(r"<script>.*?</script>", "", page, flags=re.S)
    assert "src=" not in markup and "<link" not in markup
    assert "Ferry &lt;sinks&gt;" in markup and '<td class="low">13</td>' in markup and "outlets disagree" in markup
    assert page.count('class="plotly-graph-div"') == 1
