"""Casualty claims: counts, qualifiers, groups, breakdowns, keys and traps."""

from __future__ import annotations

import pytest

from factwatch.claims import extract_claims
from factwatch.claims.numbers import format_value, parse_number


def _casualties(text):
    return [c for c in extract_claims(text) if c.claim_type == "casualty"]


@pytest.mark.parametrize(
    "words, value",
    [
        ("27,840", "27840"), ("7 844", "7844"), ("three", "3"), ("TWO", "2"), ("twenty-one", "21"),
        ("a dozen", "12"), ("dozens", "24-99"), ("scores", "40-199"), ("hundreds", "200-999"),
        ("25 million", "25000000"), ("1.2 million", "1200000"), ("between two and six", "2-6"),
        ("tens of thousands", "20000-99999"), ("two or three", "2-3"), ("two dozen", "24"), ("half a dozen", "6"),
        ("a quarter of a million", "250000"), ("half a million", "500000"),
    ],
)
def test_number_words(words, value):
    assert format_value(parse_number(words)) == value


@pytest.mark.parametrize(
    "sentence, outcome, value, qualifier, group",
    [
        ("At least 19 people were killed in the assault.", "killed", "19", "at least", "people"),
        ("Gunmen opened fire, killing more than 10 civilians in Darfur.", "killed", "10", "more than", "civilians"),
        ("TWO men were killed in separate incidents yesterday.", "killed", "2", "", "men"),
        ("Of those infected, 7,844 have died.", "killed", "7844", "", "people"),
        ("Nearly 300 people have died since the floods began.", "killed", "300", "nearly", "people"),
        ("The plague killed an estimated 25 million people.", "killed", "25000000", "an estimated", "people"),
        ("Between two and six people were dead, officials said.", "killed", "2-6", "", "people"),
        ("A passenger was killed when the train derailed.", "killed", "1", "", "passenger"),
        ("The death toll has climbed to 387.", "killed", "387", "", "people"),
        ("There were 34 deaths in September.", "killed", "34", "", "people"),
        ("Dozens of people were wounded in the blast.", "injured", "24-99", "", "people"),
        ("Up to 40 miners are missing after the collapse.", "missing", "40", "up to", "miners"),
        ("Rebels abducted 14 aid workers on the road.", "hostage", "14", "", "aid workers"),
        ("Three journalists were taken hostage in Hadra.", "hostage", "3", "", "journalists"),
        ("Two United States service members have been killed in a crash.", "killed", "2", "",
         "United States service members"),
    ],
)
def test_casualty_table(sentence, outcome, value, qualifier, group):
    claims = _casualties(sentence)
    assert [(c.attr("outcome"), c.value, c.qualifier, c.attr("group")) for c in claims] == [
        (outcome, value, qualifier, group)
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "The driver, 45, said he was lucky to survive.",
        "The four-decade-old treaty was signed in 1979.",
        "The war, now in its fifth month, continues.",
        "Rescuers worked for 24 hours without a break.",
        "The clinic reported 139 new cases of the virus.",
        "0 comments",
        "Hide Ad",
        "Tickets cost $45 and 300 people attended.",
        "It marked the 10th anniversary of the attack that killed nobody.",
        "One of the three killed was a commander.",
    ],
)
def test_traps_give_no_casualties(sentence):
    assert _casualties(sentence) == []


def test_breakdown_links_to_total():
    text = "The strikes killed at least 13 people, including two women and five children, according to the Al-Noor Hospital."
    total, women, children = _casualties(text)
    assert (total.value, total.qualifier, total.attr("role")) == ("13", "at least", "total")
    assert [(c.value, c.attr("group"), c.attr("role"), c.attr("parent")) for c in (women, children)] == [
        ("2", "women", "breakdown", total.key), ("5", "children", "breakdown", total.key),
    ]
    assert total.attr("attribution") == "Al-Noor Hospital"


def test_key_is_stable_when_toll_is_restated():
    first = _casualties("At least 13 were killed in Rafah overnight.")[0]
    second = _casualties("At least 17 people were killed in Rafah, officials said.")[0]
    assert first.key == second.key == "casualty:killed:people:rafah"
    assert (first.value, second.value) == ("13", "17")


def test_restatement_without_place_inherits_key():
    text = "Air strikes killed more than a dozen people in Rafah.\nThe strikes killed at least 13 people, medics said."
    first, second = _casualties(text)
    assert first.key == second.key
    assert (first.value, first.qualifier, second.value, second.qualifier) == ("12", "more than", "13", "at least")


def test_groups_share_key_across_number():
    one = _casualties("A passenger was killed in the crash.")[0]
    two = _casualties("Two passengers were killed in the crash.")[0]
    assert one.key == two.key


def test_notice_sentence_gives_no_casualty():
    text = "Correction: An earlier version of this article said 15 people were killed."
    assert [c.claim_type for c in extract_claims(text)] == ["correction_notice"]
