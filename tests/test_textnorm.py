"""What counts as the same article text: typography and whitespace never make a new version."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factwatch.extract.textnorm import content_hash, normalise_text

BASE = 'The minister said: "At least 13 people were killed" - officials\' figures...'


@pytest.mark.parametrize("variant", [
    "The minister said: \u201cAt least 13 people were killed\u201d \u2013 officials\u2019 figures\u2026",
    "The  minister\u00a0said:  \"At least 13 people were killed\" - officials' figures...  ",
    "\ufeffThe minister said: \"At least 13 people\u200b were killed\" \u2014 officials' figures...",
    'The minister said: "At least 13 people were killed" - officials\' figures...\n\n\n',
])
def test_typography_and_whitespace_keep_the_hash(variant):
    assert content_hash(variant) == content_hash(BASE)


@pytest.mark.parametrize("variant", [
    BASE.replace("13", "17"),
    BASE.replace("killed", "injured"),
    BASE + " Two more died later.",
])
def test_a_change_of_words_changes_the_hash(variant):
    assert content_hash(variant) != content_hash(BASE)


@given(st.text())
def test_normalising_is_idempotent(text):
    once = normalise_text(text)
    assert normalise_text(once) == once
