"""Tables of hand-built claim pairs and the flags they must (and must not) raise."""

from __future__ import annotations


import pytest

from factwatch.claims.model import Claim
from factwatch.changes.diff import CHANGE_KINDS, Change, diff_claims


def make(claim_type: str, key: str, value: str, text: str, sentence: str, qualifier: str = "",
         index: int = 0, **attrs: str) -> Claim:
    """Build a claim whose offsets point at `text` inside `sentence`."""
    start = sentence.casefold().find(text.casefold())
    assert start >= 0, (text, sentence)
    text = sentence[start:start + len(text)]
    return Claim(claim_type, key, value, text, sentence, start, start + len(text), index, qualifier,
                 tuple(attrs.items()))


def toll(value: str, qualifier: str = "at least", sentence: str = "", key: str = "casualty:killed:people:harbour",
         outcome: str = "killed", index: int = 0, text: str = "") -> Claim:
    """A casualty claim about the harbour blast."""
    text = text or f"{qualifier} {value}".strip()
    sentence = sentence or f"{text[0].upper()}{text[1:]} people were killed in the harbour blast, officials said."
    return make("casualty", key, value, text, sentence, qualifier, index, outcome=outcome, group="people",
                role="total")


def person(name: str, role: str = "port director", key: str = "", sentence: str = "", index: int = 1) -> Claim:
    """A person claim; the key follows the name like a normalising engine would."""
    sentence = sentence or f"The {role} {name} said crews were still searching the quay."
    return make("person", key or f"person:{name.split()[-1].lower()}", name, name, sentence, "", index, role=role)


def day(value: str, text: str, sentence: str = "", key: str = "date:blast", index: int = 2) -> Claim:
    """A date claim about when the blast happened."""
    sentence = sentence or f"The blast happened {text}, according to the port authority."
    return make("date", key, value, text, sentence, "", index)


def notice(sentence: str, index: int = 9) -> Claim:
    """A correction notice claim."""
    return make("correction_notice", f"correction_notice:{index}", sentence, sentence, sentence, "", index)


NOTICE = "Correction: an earlier version of this article misspelled the name of the port director, Idris Qasemi."


def one(changes: tuple[Change, ...]) -> Change:
    """Return the only change, failing with the whole list otherwise."""
    assert len(changes) == 1, changes
    return changes[0]


@pytest.mark.parametrize(
    ("old", "new", "kind", "old_value", "new_value", "reason_words"),
    [
        (toll("13"), toll("17"), "update", "13", "17", "death toll rose from at least 13 to at least 17"),
        (toll("17", ""), toll("15", ""), "correction", "17", "15", "revised down from 17 to 15"),
        (toll("12", "more than"), toll("17"), "update", "12", "17", "rose"),
        (toll("13"), toll("13", ""), "update", "13", "13", "more precisely"),
        (toll("2-6", ""), toll("5", ""), "update", "2-6", "5", "more precisely"),
        (toll("20", "nearly"), toll("18", ""), "update", "20", "18", "more precisely"),
        (toll("20", "about"), toll("12", ""), "correction", "20", "12", "revised down"),
        (toll("4", "", outcome="injured"), toll("9", "", outcome="injured"), "update", "4", "9", "number injured rose"),
        (day("2024-01-21/2024-01-31", "late January"), day("2024-01-28", "on 28 January"), "update",
         "2024-01-21/2024-01-31", "2024-01-28", "date made precise"),
        (day("2024-01-28", "on 28 January"), day("2024-01-29", "on 29 January"), "correction",
         "2024-01-28", "2024-01-29", "date changed"),
        (day("2024-01-28", "on 28 January"), day("2024-01-21/2024-01-31", "in late January"), "correction",
         "2024-01-28", "2024-01-21/2024-01-31", "loosened"),
        (person("Idris Qasimi"), person("Idris Qasemi", key="person:qasemi"), "correction", "Idris Qasimi",
         "Idris Qasemi", "name corrected from Idris Qasimi to Idris Qasemi"),
        (person("Idris Qasemi", role="port director"), person("Idris Qasemi", role="harbour master"),
         "correction", "port director", "harbour master", "role of Idris Qasemi changed"),
        (person("Qasemi", key="person:qasemi"), person("Idris Qasemi"), "update", "Qasemi", "Idris Qasemi",
         "name given in full"),
    ],
)
def test_aligned_fact_is_classified(old, new, kind, old_value, new_value, reason_words):
    change = one(diff_claims([old], [new]))
    assert (change.change_kind, change.old_value, change.new_value) == (kind, old_value, new_value)
    assert reason_words in change.reason
    assert 0.0 < change.confidence <= 1.0


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # rewording keeps the fact
        (toll("12", sentence="At least 12 were killed in the harbour blast."),
         toll("12", sentence="The harbour blast killed at least 12 people.")),
        # a figure spelled out or with separators is the same figure
        (toll("1200", "", sentence="In all 1,200 people were killed.", text="1,200"),
         toll("1200", "", sentence="1 200 people were killed.", text="1 200")),
        # typography: curly quotes, non-breaking spaces, dashes
        (person("Wissam \u201cAbu Bakr\u201d al-Saadi", key="person:al-saadi"),
         person('Wissam "Abu Bakr" al\u2011Saadi', key="person:al-saadi")),
        (toll("9", sentence="At least 9 people\u00a0were killed \u2014 officials said."),
         toll("9", sentence="At least 9 people were killed - officials said.")),
        # a role merely stated, or a title grown, is not a changed role
        (person("Idris Qasemi", role=""), person("Idris Qasemi", role="port director")),
        (person("Lena Brandt", role="secretary of state"), person("Lena Brandt", role="German secretary of state")),
        # the fuller name simply not repeated
        (person("Idris Qasemi"), person("Qasemi", key="person:qasemi")),
        # a key that moved because the place was added, same figure
        (toll("9", key="casualty:killed:people", sentence="At least 9 people were killed in the blast."),
         toll("9", key="casualty:killed:people:harbour", sentence="At least 9 people were killed in the blast at the harbour.")),
        # the same relative words resolved against a later dateline
        (day("2024-01-25", "on Thursday"), day("2024-02-01", "on Thursday")),
        # a reworded correction notice is the same notice
        (notice(NOTICE), notice(NOTICE.replace("Correction: an", "Correction: An"))),
    ],
)
def test_same_fact_raises_nothing(old, new):
    assert diff_claims([old], [new]) == ()


def test_new_and_vanished_claims_are_added_and_removed():
    old = [toll("9"), person("Idris Qasemi")]
    new = [toll("9"), day("2024-01-28", "on 28 January"), toll("4", "", key="casualty:injured:people:harbour",
                                                                  outcome="injured", index=3)]
    kinds = sorted((c.claim_type, c.change_kind, c.old_value, c.new_value) for c in diff_claims(old, new))
    assert kinds == [
        ("casualty", "added", None, "4"),
        ("date", "added", None, "2024-01-28"),
        ("person", "removed", "Idris Qasemi", None),
    ]


def test_name_correction_links_the_notice_and_the_notice_is_flagged():
    old = [person("Idris Qasimi")]
    new = [person("Idris Qasemi", key="person:qasemi"), notice(NOTICE)]
    changes = {c.change_kind: c for c in diff_claims(old, new)}
    assert set(changes) == {"correction", "added"}
    assert changes["correction"].notice == NOTICE
    assert changes["added"].claim_type == "correction_notice" and changes["added"].new_value == NOTICE


def test_figures_quoted_inside_a_notice_are_not_new_facts():
    text = "Correction: an earlier version of this article said at least 14 people had been killed."
    quoted = toll("14", sentence=text, index=9)
    changes = diff_claims([toll("14")], [toll("12", ""), quoted, notice(text)])
    assert sorted((c.change_kind, c.new_value) for c in changes) == [("added", text), ("correction", "12")]
    assert next(c for c in changes if c.change_kind == "correction").notice == text


def test_correction_without_notice_is_silent():
    change = one(diff_claims([toll("17", "")], [toll("15", "")]))
    assert change.change_kind == "correction" and change.notice is None


def test_lede_updated_but_old_figure_restated_lower_down_is_one_update():
    old = [toll("13", index=0), toll("13", "", index=5, sentence="The 13 dead included two dock workers.")]
    new = [toll("17", index=0), toll("13", "", index=5, sentence="The 13 dead included two dock workers.")]
    change = one(diff_claims(old, new))
    assert (change.change_kind, change.old_value, change.new_value) == ("update", "13", "17")


def test_figure_restated_twice_changes_once():
    old = [toll("13", index=0), toll("13", index=4, sentence="Officials said at least 13 had died.")]
    new = [toll("17", index=0), toll("17", index=4, sentence="Officials said at least 17 had died.")]
    assert len(diff_claims(old, new)) == 1


def test_flip_flop_is_flagged_once_as_a_revert():
    v1, v2, v3 = [toll("13")], [toll("17")], [toll("13")]
    first = one(diff_claims(v1, v2))
    revert = one(diff_claims(v2, v3, history=[v1]))
    assert first.change_kind == "update"
    assert revert.change_kind == "correction"
    assert "reverted to the earlier value 13 (seen in an earlier version)" in revert.reason
    assert revert.confidence < first.confidence


def test_name_flip_flop_across_key_changes():
    v1, v2, v3 = [person("Idris Qasemi")], [person("Idris Qasimi", key="person:qasimi")], [person("Idris Qasemi")]
    revert = one(diff_claims(v2, v3, history=[v1]))
    assert revert.change_kind == "correction" and "reverted" in revert.reason


def test_claim_restored_after_vanishing_is_added_with_lower_confidence():
    v1, v2, v3 = [toll("9"), person("Idris Qasemi")], [toll("9")], [toll("9"), person("Idris Qasemi")]
    restored = one(diff_claims(v2, v3, history=[v1]))
    assert restored.change_kind == "added" and restored.reason.startswith("restored")
    assert restored.confidence < 0.9


def test_different_people_with_alike_surnames_are_not_a_correction():
    old = [person("Amal Haddad", role="spokeswoman for the port authority")]
    new = [person("Omar Haddad", role="fire chief", key="person:haddad-omar")]
    assert sorted(c.change_kind for c in diff_claims(old, new)) == ["added", "removed"]


def test_changes_are_valid_values():
    changes = diff_claims([toll("13"), person("Idris Qasimi")], [toll("11"), person("Idris Qasemi", key="person:q")])
    for change in changes:
        assert change.change_kind in CHANGE_KINDS and 0.0 <= change.confidence <= 1.0
