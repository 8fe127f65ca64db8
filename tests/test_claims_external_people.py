"""Person extraction on news nobody here wrote: floors on held-out CoNLL-2003, and pattern tables.

The floors are on the *measure* part only (never tuned on; see tests/eval_people.py) and
only ever rise. The tables use sentences written for this test, modelled on wire copy.
"""

from __future__ import annotations

import pytest

import eval_people
from factwatch.claims import extract_claims

MEASURE_FLOORS = {  # kind -> (precision, recall) on the held-out part
    "all": (0.955, 0.90),
    "prose": (0.94, 0.865),
    "lists": (0.965, 0.88),
}


@pytest.fixture(scope="module")
def figures():
    result = eval_people.evaluate()
    if result is None:
        pytest.skip("../shared/external/conll2003 is absent")
    return result


@pytest.mark.parametrize("kind", sorted(MEASURE_FLOORS))
def test_held_out_floors(figures, kind):
    got = figures["measure"][kind]
    precision, recall = MEASURE_FLOORS[kind]
    assert got["precision"] >= precision and got["recall"] >= recall, got


def _people(text):
    return [(c.value, c.key, c.attr("role")) for c in extract_claims(text) if c.claim_type == "person"]


@pytest.mark.parametrize(
    "text",
    [
        "Boko Haram said in a video that it was holding the students.",
        "Human Rights Watch said the death toll was likely to rise.",
        "Asaib Ahl al-Haq said its fighters had withdrawn from the town.",
        "Hezbollah and Islamic Jihad said they would respond.",
        "Doctors Without Borders said its clinic had been hit.",
        "Crowds filled the Shelbourne Hotel and Grafton Street after the match.",
        "The San Francisco Chronicle reported that the fire was contained.",
        "The Green Bay Packers beat the Chicago Bears on Sunday.",
        "Rescue teams from the Turkish Red Crescent reached Antakya on Tuesday.",
        "A senior Kataib Hezbollah commander was among the dead.",
        # a capital named as the doer, after a short lead: it opens the main clause like a sentence start
        "The talks stalled again on Monday. Indeed, Pyongyang is said to be working on a new missile.",
    ],
)
def test_organisations_and_places_are_not_people(text):
    assert _people(text) == []


def test_a_name_word_shared_by_people_is_not_a_person_of_its_own():
    """ "Kim" beside Kim Jong-un and Kim Il-sung refers to one of them; a separate "Kim" would be
    flagged removed whenever the sentence with the bare name is cut (seen on a NewsEdits pair)."""
    text = ("Kim Jong-un spoke on Monday. His grandfather Kim Il-sung founded the state. "
            "Officials said Kim was angry about the report.")
    assert sorted(value for value, _key, _role in _people(text)) == ["Kim Il-sung", "Kim Jong-un"]


@pytest.mark.parametrize(
    "text, value, key, role",
    [
        ("First Deputy Prime Minister Olena Marchuk said the grid was stable.", "Olena Marchuk",
         "person:marchuk", "First Deputy Prime Minister"),
        ("CEO Martina Oduya told staff the plant would close in March.", "Martina Oduya", "person:oduya", "CEO"),
        ("Union Chief Executive, Declan Morrow, said talks had stalled.", "Declan Morrow", "person:morrow",
         "Chief Executive"),
        ("Lieutenant General Samuel Okafor, the army's chief of staff, resigned.", "Samuel Okafor",
         "person:okafor", "Lieutenant General"),
        ("Inspector Carla Benedetti said the road would stay closed.", "Carla Benedetti", "person:benedetti",
         "Inspector"),
        ("“We have nothing left,” said Amina Yusuf, a farmer who fled the fighting.", "Amina Yusuf",
         "person:yusuf", "a farmer"),
        ("Mr Okonkwo said the bridge would reopen next week.", "Okonkwo", "person:okonkwo", ""),
    ],
)
def test_titles_are_roles_not_names(text, value, key, role):
    assert _people(text) == [(value, key, role)]


@pytest.mark.parametrize(
    "text, not_a_name",
    [
        ("He Weiming, a hydrologist at the institute, said the levee held.", "Weiming"),
        ("Biden's Oct. 3 remarks drew criticism from allies.", "Oct"),
        ("Trump's Sept. 9 rally was cancelled.", "Sept"),
        ("Union Chief Executive, Declan Morrow, said talks had stalled.", "Executive"),
    ],
)
def test_no_half_names_or_title_words(text, not_a_name):
    assert all(not_a_name not in value.split() or len(value.split()) > 1 for value, _, _ in _people(text))
    assert not_a_name not in [value for value, _, _ in _people(text)]


def test_plain_text_tokenising_keeps_initials_and_possessives():
    text = "The report was signed by Dr. R. Okonjo. Okonjo’s team declined to comment, and Okonjo's lawyer said nothing."
    (person,) = [c for c in extract_claims(text) if c.claim_type == "person"]
    assert (person.value, person.key, person.attr("mentions")) == ("R. Okonjo", "person:okonjo", "3")


@pytest.mark.xfail(reason="venue names built on a given name still pass as people", strict=False)
def test_venue_on_a_given_name_is_not_a_person():
    assert _people("Supporters gathered at the Harbour Bar near Albert Quay on Friday.") == []
