"""Person, date and correction-notice claims."""

from __future__ import annotations

import datetime

import pytest

from factwatch.claims import extract_claims

THURSDAY = datetime.date(2024, 2, 8)


def _of(text, claim_type, published=THURSDAY):
    return [c for c in extract_claims(text, published) if c.claim_type == claim_type]


@pytest.mark.parametrize(
    "text, value, key, role",
    [
        ("He met US secretary of state Antony Blinken in Doha.", "Antony Blinken", "person:blinken",
         "US secretary of state"),
        ("Prime Minister Benjamin Netanyahu spoke. Mr Netanyahu said no.", "Benjamin Netanyahu",
         "person:netanyahu", "Prime Minister"),
        ("“It hurts,” said Mohammed Abu Habib, a neighbour who saw it.", "Mohammed Abu Habib",
         "person:abu habib", "a neighbour"),
        ("One was Wissam Mohammed “Abu Bakr” al-Saadi, the commander in charge of operations.",
         "Wissam Mohammed “Abu Bakr” al-Saadi", "person:al-saadi", "the commander in charge of operations"),
        ("“We lost everything,” said Nguyễn Thị Lan, who sheltered on a roof.", "Nguyễn Thị Lan",
         "person:lan", ""),
        ("Sgt. Amelia Kowalczyk served with both.", "Amelia Kowalczyk", "person:kowalczyk", "Sgt."),
    ],
)
def test_person_table(text, value, key, role):
    (person,) = _of(text, "person")
    assert (person.value, person.key, person.attr("role")) == (value, key, role)


def test_honorific_and_surname_mentions_link_to_full_name():
    text = "Defense Secretary Lloyd Austin spoke.\nMr Austin said more.\nAustin left."
    (person,) = _of(text, "person")
    assert person.key == "person:austin"
    assert person.attr("mentions") == "3"
    assert "Mr Austin" in person.attr("aliases")


def test_honorific_only_person_keyed_by_surname():
    (person,) = _of("“We will win,” Mr Netanyahu said.", "person")
    assert (person.value, person.key) == ("Netanyahu", "person:netanyahu")


def test_shared_surname_gives_distinct_keys():
    text = "The son of former President Richard von Weizsäcker, Fritz Eckart von Weizsäcker, was stabbed."
    keys = sorted(p.key for p in _of(text, "person"))
    assert keys == ["person:fritz eckart von weizsacker", "person:richard von weizsacker"]


@pytest.mark.parametrize(
    "text",
    [
        "The US has blamed the Islamic Resistance in Iraq for the attack.",
        "Security forces closed off the Green Zone.",
        "The bodies were taken to the Kuwaiti Hospital in Rafah.",
        "Hamas laid out a plan drawn up by the United States, Israel, Qatar and Egypt.",
        "Hide Ad\nMost read\nSign up for our newsletter",
    ],
)
def test_not_people(text):
    assert _of(text, "person") == []


@pytest.mark.parametrize(
    "text, surface, value",
    [
        ("The attack came in late January.", "late January", "2024-01-21/2024-01-31"),
        ("Strikes hit overnight and into Thursday.", "overnight and into Thursday", "2024-02-07/2024-02-08"),
        ("They met on Thursday.", "on Thursday", "2024-02-08"),
        ("They met on Monday.", "on Monday", "2024-02-05"),
        ("It was signed on 28 January.", "28 January", "2024-01-28"),
        ("It was signed on Jan. 28, 2024.", "Jan. 28, 2024", "2024-01-28"),
        ("It was signed on 2024-01-28.", "2024-01-28", "2024-01-28"),
        ("Fighting has raged since October 7.", "since October 7", "2023-10-07/2024-02-08"),
        ("Talks will resume on Monday.", "on Monday", "2024-02-12"),
        ("It happened yesterday.", "yesterday", "2024-02-07"),
        ("The plan was agreed in mid-December 2023.", "mid-December 2023", "2023-12-11/2023-12-20"),
    ],
)
def test_date_table(text, surface, value):
    (date,) = _of(text, "date")
    assert (date.text, date.value) == (surface, value)


def test_dates_without_publication():
    assert [(d.text, d.value) for d in _of("It was signed on 28 January and on Thursday.", "date", None)] == [
        ("28 January", "--01-28")
    ]


@pytest.mark.parametrize(
    "text", ["The war is in its fifth month.", "It took four-and-a-half months.", "It lasted 24 hours.",
             "The treaty is four-decade-old.", "In 2009 several people fell ill."],
)
def test_not_dates(text):
    assert _of(text, "date") == []


def test_date_key_survives_vague_to_precise():
    vague = _of("A drone strike killed three US troops in Jordan in late January.", "date")[0]
    precise = _of("A drone strike killed three US troops in Jordan on 28 January.", "date")[0]
    assert vague.key == precise.key


@pytest.mark.parametrize(
    "text",
    [
        "Correction: An earlier version of this article misstated the toll.",
        "Clarification: The hospital is in Rafah, not Khan Younis.",
        "Editor’s note: This story was updated with new figures.",
        "This article has been amended to correct the name of the envoy.",
        "An earlier version of this story gave the wrong date.",
    ],
)
def test_correction_notices(text):
    (notice,) = _of(text, "correction_notice")
    assert notice.value == text and notice.key.startswith("correction_notice:")


def test_notice_key_is_stable_and_not_triggered_by_ordinary_prose():
    text = "Correction: An earlier version misstated the toll."
    assert _of(text, "correction_notice")[0].key == _of("  " + text, "correction_notice")[0].key
    assert _of("The ministry issued a correction to its figures.", "correction_notice") == []
