"""The alert rule language and its evaluation: pure, so tables and properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factwatch.alerts.grammar import BadRule, parse_expression
from factwatch.alerts.rules import StoredFlag, parse_rule, rule_matches, signature, summary

URL = "https://example.org/world/ferry"


def flag(claim_type="casualty", kind="update", old="13", new="17", notice=None, url=URL, key=None, **extra):
    return StoredFlag(url, claim_type, kind, key or f"{claim_type}:killed:people", old, new,
                      f"At least {old} people were killed.", f"At least {new} people were killed.",
                      "death toll rose", notice, article_id=1, **extra)


RISE = flag()                                              # 13 -> 17: +4, +31%
SMALL_RISE = flag(old="100", new="103")                    # +3, +3%
FALL = flag(kind="correction", old="17", new="15")         # revised down, no notice
NOTED_FALL = flag(kind="correction", old="17", new="15", notice="Correction: the toll was 15.")
RANGE_RISE = flag(old="3-9", new="12")                     # "several" (6) -> 12
PERSON_FIX = flag("person", "correction", "Wisam al-Saadi", "Wissam al-Saadi", key="person:al-saadi")
NAME_IN_FULL = flag("person", "update", "al-Saadi", "Wissam al-Saadi", key="person:al-saadi")
NOTICE_ADDED = flag("correction_notice", "added", None, "Correction: an earlier version misspelled a name.",
                    key="correction_notice:ab12")
DATE_MOVED = flag("date", "correction", "2024-01-21/2024-01-31", "2024-02-02", key="date:ferry sank")
OTHER_SITE = flag(url="https://news.example.com/a")
FLAGS = {"rise": RISE, "small_rise": SMALL_RISE, "fall": FALL, "noted_fall": NOTED_FALL, "range_rise": RANGE_RISE,
         "person_fix": PERSON_FIX, "name_in_full": NAME_IN_FULL, "notice_added": NOTICE_ADDED,
         "date_moved": DATE_MOVED, "other_site": OTHER_SITE}


@pytest.mark.parametrize("expression, matching", [
    ("casualty rises by >= 20%", {"rise", "range_rise", "other_site"}),
    ("casualty rises by >= 5", {"range_rise"}),
    ("casualty rises by >= 3", {"rise", "small_rise", "range_rise", "other_site"}),
    ("casualty falls", {"fall", "noted_fall"}),
    ("casualty changes by >= 2", {"rise", "small_rise", "fall", "noted_fall", "range_rise", "other_site"}),
    ("person correction", {"person_fix"}),
    ("person", {"person_fix", "name_in_full"}),
    ("silent correction", {"fall", "person_fix", "date_moved"}),
    ("notice added", {"notice_added"}),
    ("correction", {"fall", "noted_fall", "person_fix", "date_moved"}),
    ("any", set(FLAGS)),
    ("url like '%example.org/world/%' and casualty", {"rise", "small_rise", "fall", "noted_fall", "range_rise"}),
    ("not casualty and (date or notice added)", {"date_moved", "notice_added"}),
    ("CASUALTY Falls OR Person Correction", {"fall", "noted_fall", "person_fix"}),
])
def test_rules_match_exactly_the_flags_they_describe(expression, matching):
    rule = parse_rule("r", expression)
    assert {name for name, f in FLAGS.items() if rule_matches(rule, f)} == matching


def test_url_pattern_and_source_narrow_a_rule():
    assert {n for n, f in FLAGS.items() if rule_matches(parse_rule("r", "any", url_like="https://news.%"), f)} == \
        {"other_site"}
    on_site = parse_rule("r", "casualty rises", source="example.com")
    assert rule_matches(on_site, OTHER_SITE) and not rule_matches(on_site, RISE)  # subdomains count, others not


@pytest.mark.parametrize("expression, message", [
    ("casualty rises by >= x", "expected a number after '>=' at column 22, found 'x'"),
    ("casualty rises by 20%", "expected '>=' after 'by' at column 19, found '20'"),
    ("persn correction", "at column 1, found 'persn' (did you mean 'person'?)"),
    ("casualty rises by >= 20% and", "at column 29, found the end of the rule"),
    ("any any", "expected 'and', 'or' or the end of the rule at column 5"),
    ("(casualty or person", "expected ')' at column 20"),
    ("silent update", "expected 'correction' after 'silent' at column 8"),
    ("url like example", "expected a quoted pattern after 'like' at column 10"),
    ("casualty rises by >= 0", "must be more than 0"),
    ("casualty rises; drop table", "unexpected character ';' at column 15"),
    ("   ", "the rule is empty"),
])
def test_bad_expressions_say_what_and_where(expression, message):
    with pytest.raises(BadRule) as caught:
        parse_expression(expression)
    assert message in str(caught.value)


@pytest.mark.parametrize("name", ["Toll", "", "a b", "x" * 64, "-toll", "toll.rises"])
def test_rule_names_fit_event_names(name):
    with pytest.raises(BadRule, match="rule name"):
        parse_rule(name, "any")


@given(st.text(max_size=60))
def test_the_parser_never_fails_except_with_bad_rule(text):
    try:
        parse_expression(text)
    except BadRule:
        pass


def test_summaries_say_what_changed_in_one_line():
    assert summary(RISE) == "death toll at example.org rose from 13 to 17 (+31%)"
    assert summary(FALL) == "death toll at example.org fell from 17 to 15 (-12%)"
    assert summary(NOTICE_ADDED).startswith("correction notice added at example.org: Correction:")
    assert summary(PERSON_FIX).endswith("(no correction notice)")
    assert "\n" not in summary(DATE_MOVED)


def test_a_flip_flop_reaches_a_signature_already_seen():
    there, back, again = flag(old="13", new="17"), flag(kind="correction", old="17", new="13"), flag(old="13", new="17")
    assert signature(there) == signature(again) != signature(back)
