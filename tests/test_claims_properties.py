"""Hypothesis properties of extract_claims: total, deterministic, offsets honest; fast paths equal what they replace."""

from __future__ import annotations

import datetime
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from factwatch.claims import CLAIM_TYPES, dates, extract_claims, sentences, tagger

_WORDS = st.sampled_from(
    "killed died wounded injured missing hostage at least more than a dozen dozens hundreds "
    "three 13 27,840 7 844 people children women US troops members of Kataib Hezbollah in Rafah "
    "Mr Netanyahu said Antony Blinken “Abu Bakr” al-Saadi , . : Correction: late January on "
    "Thursday since October 7 Jan. 28, 2024 2024-01-28 the driver, 45, four-decade-old 0 comments "
    "Hide Ad \n including and between two six according to the health ministry".split(" ")
)
_ARTICLE_LIKE = st.lists(_WORDS, max_size=60).map(" ".join)
_PUBLISHED = st.one_of(st.none(), st.dates(datetime.date(1990, 1, 1), datetime.date(2040, 12, 31)))


def _check(claims) -> None:
    for claim in claims:
        assert claim.claim_type in CLAIM_TYPES
        assert claim.sentence[claim.start:claim.end] == claim.text
        assert claim.key.startswith(claim.claim_type + ":")
        assert claim.sentence_index >= 0
        if claim.claim_type == "casualty":
            low, _, high = claim.value.partition("-")
            assert low.isdigit() and (not high or high.isdigit())
    order = [(c.sentence_index, c.start) for c in claims]
    assert order == sorted(order)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400), _PUBLISHED)
def test_never_crashes_on_arbitrary_text(text, published):
    _check(extract_claims(text, published))


@settings(max_examples=300, deadline=None)
@given(_ARTICLE_LIKE, _PUBLISHED)
def test_news_like_text_gives_honest_claims(text, published):
    _check(extract_claims(text, published))


@settings(max_examples=100, deadline=None)
@given(_ARTICLE_LIKE, _PUBLISHED)
def test_same_input_same_claims(text, published):
    assert extract_claims(text, published) == extract_claims(text, published)


_BOUNDARY_TEXT = st.text(alphabet="aZ9_.!?\"'”’)] \t\u00e9\u00b2-,(", max_size=60)


@settings(max_examples=300, deadline=None)
@given(_BOUNDARY_TEXT)
def test_word_before_a_boundary_is_the_anchored_search_it_replaces(paragraph):
    for match in sentences._BOUNDARY.finditer(paragraph):
        window = paragraph[max(0, match.start() - 40):match.start() + 1]
        anchored = re.search(r"([\w.]+)[.!?]*[\"'”’)\]]*\s*$", window)
        assert sentences._word_before(paragraph, match.start()) == (anchored.group(1) if anchored else "")


_TOKEN_PIECES = st.sampled_from(
    ["a", "A", "s", "S", "Jr", "Sr", "Mr", "U.S.", "don't", "’s", ".", ",", ":", ";", "?", "!", "(", ")", "]", "“",
     "”", '"', "'", "’", "-", "_", "1", "/", " ", "  ", "\t", "\n", "\u00a0", "é", "²", "٣", "…"]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(_TOKEN_PIECES, max_size=16).map("".join))
def test_token_words_are_the_token_regex_matches(text):
    assert tagger.token_words(text) == tagger._TOKEN.findall(text)


@settings(max_examples=500, deadline=None)
@given(st.lists(_TOKEN_PIECES, max_size=16).map("".join))
def test_token_starts_are_the_token_regex_offsets(text):
    starts = tagger.token_starts(text, tagger.token_words(text))
    assert starts == [match.start() for match in tagger.tokenise(text)]


_DATE_PIECES = st.sampled_from(
    ["Jan", "June", "May", "Mon", "Today", "today", "Yesterday", "month", "ago", "Chicago", "last", "Last", "night",
     "this", "This", "morning", "evening", "Thu", "2024", "-01", "-28", "٣", "_", " ", "\t", "x", "9", ".", "’"]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(_DATE_PIECES, max_size=10).map("".join))
def test_date_hint_finds_what_the_single_hint_regex_found(sentence):
    single = re.search(
        r"(?=[JFMASONDWTtYymaLl\d])(?:\b(?:Jan|Feb|Ma[ry]|Apr|Ju[nl]|Aug|Sep|Oct|Nov|Dec|Mon|Tue|Wed|Thu|Fri|Sat|Sun"
        r"|[Tt]o(?:day|morrow|night)|[Yy]esterday|month|ago\b|[Ll]ast\s+(?:night|evening)|[Tt]his\s+(?:morn|aft|even))"
        r"|\d{4}-\d\d-\d\d)", sentence)
    hint = dates._DATE_WORD_HINT.search(sentence) or ("-" in sentence and dates._ISO_HINT.search(sentence))
    assert bool(hint) == bool(single)


@settings(max_examples=300, deadline=None)
@given(_BOUNDARY_TEXT)
def test_boundary_matches_as_before(paragraph):
    before = [(m.span(), m.groups()) for m in re.finditer(r"[.!?]+[\"'”’)\]]*(\s+|(?=[A-Z]))", paragraph)]
    assert [(m.span(), m.groups()) for m in sentences._BOUNDARY.finditer(paragraph)] == before


@settings(max_examples=300, deadline=None)
@given(st.lists(_TOKEN_PIECES, max_size=16).map("".join))
def test_lowercase_words_are_whole_lowercase_runs(text):
    assert tagger.lowercase_words([text]) == frozenset(re.findall(r"\b[a-z]+\b", text))


def test_normalise_fast_path_relies_on_whitespace_being_unprintable():
    spaces = [chr(c) for c in range(0x110000) if chr(c).isspace() and chr(c) != " "]
    assert spaces and not any(c.isprintable() for c in spaces)
    for space in spaces:
        assert sentences._normalise(f"A{space}b") == "a b"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=" \t\xa0\u2009\u3000aB.é\u200b", max_size=20))
def test_normalise_is_collapsed_lowercase(paragraph):
    assert sentences._normalise(paragraph) == " ".join(paragraph.split()).lower()


def test_long_runs_of_words_before_a_count_do_not_backtrack_for_ever():
    """A toll's subject may run to 16 words; a regex that can split a word two ways backtracks
    exponentially when the sentence then fails to match (a bug found on 2026-12-08 hung the eval).
    The alarm is a hang guard, far above any honest run (milliseconds), not a speed test."""
    import signal

    words = " ".join(["abcdefghijklmnopqrstuv"] * 6)  # within the 160 characters read before a count
    texts = [f"The death toll {words} rose 12 points.", f"The number of dead {words} rose, 9,000 said."]

    def hang(signum, frame):
        raise AssertionError("extract_claims did not finish within 20 s: catastrophic backtracking")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.alarm(20)
    try:
        for text in texts:
            extract_claims(text, None)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
