"""Hypothesis properties of diff_claims: silence on identical input, validity always."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factwatch.claims.model import Claim
from factwatch.changes.diff import CHANGE_KINDS, diff_claims

VALUES = {
    "casualty": st.one_of(st.integers(0, 5000).map(str), st.tuples(st.integers(0, 50), st.integers(0, 50)).map(
        lambda r: f"{min(r)}-{max(r)}"), st.text(max_size=6)),
    "person": st.one_of(st.sampled_from(["Idris Qasemi", "Idris Qasimi", "Lena Brandt", "Qasemi", "Amal Haddad"]),
                        st.text(max_size=20)),
    "date": st.one_of(st.dates().map(lambda d: d.isoformat()),
                      st.tuples(st.dates(), st.dates()).map(lambda r: f"{min(r)}/{max(r)}"), st.text(max_size=12)),
    "correction_notice": st.text(max_size=40),
}
TYPOGRAPHY = [("'", "\u2019"), ('"', "\u201d"), (" ", "\u00a0"), ("-", "\u2013"), (" ", "  ")]


@st.composite
def claims(draw) -> Claim:
    """One claim of any type, with consistent offsets and noisy text around it."""
    claim_type = draw(st.sampled_from(sorted(VALUES)))
    value = draw(VALUES[claim_type])
    text = draw(st.one_of(st.just(value), st.text(max_size=15)))
    before, after = draw(st.text(max_size=30)), draw(st.text(max_size=30))
    sentence = before + text + after
    attrs = draw(st.lists(st.tuples(st.sampled_from(["outcome", "group", "role", "place"]),
                                    st.sampled_from(["killed", "injured", "people", "port director", "", "x"])),
                          max_size=3))
    return Claim(claim_type, draw(st.sampled_from(["k1", "k2", "k3", f"{claim_type}:x"])), value, text, sentence,
                 len(before), len(before) + len(text), draw(st.integers(0, 20)),
                 draw(st.sampled_from(["", "at least", "more than", "nearly", "about", "up to"])), tuple(attrs))


versions = st.lists(claims(), max_size=8)


def retype(claim: Claim, pairs: list[tuple[str, str]]) -> Claim:
    """Return the claim with typography swapped in its text, sentence and value."""
    def swap(text: str) -> str:
        for plain, fancy in pairs:
            text = text.replace(plain, fancy)
        return text

    before, text, after = claim.sentence[:claim.start], claim.text, claim.sentence[claim.end:]
    sentence = swap(before) + swap(text) + swap(after)
    start = len(swap(before))
    return Claim(claim.claim_type, claim.key, swap(claim.value), swap(text), sentence, start,
                 start + len(swap(text)), claim.sentence_index, claim.qualifier, claim.attributes)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(versions)
def test_identical_versions_raise_nothing(version):
    assert diff_claims(version, version) == ()
    assert diff_claims(version, list(version), history=[version, version]) == ()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(versions, st.lists(st.sampled_from(TYPOGRAPHY), min_size=1, max_size=3))
def test_typography_alone_raises_nothing(version, pairs):
    assert diff_claims(version, [retype(c, pairs) for c in version]) == ()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(versions, versions, st.lists(versions, max_size=3))
def test_every_change_is_well_formed(old, new, history):
    changes = diff_claims(old, new, history)
    assert changes == diff_claims(old, new, history)
    for change in changes:
        assert change.change_kind in CHANGE_KINDS
        assert 0.0 <= change.confidence <= 1.0 and change.reason
        has_old = (change.old_value, change.old_text, change.old_sentence)
        has_new = (change.new_value, change.new_text, change.new_sentence)
        if change.change_kind == "added":
            assert has_old == (None, None, None) and None not in has_new
        elif change.change_kind == "removed":
            assert has_new == (None, None, None) and None not in has_old
        else:
            assert None not in has_old and None not in has_new
        assert change.notice is None or change.change_kind in ("correction", "added")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(versions)
def test_adding_everything_then_removing_everything_mirrors(version):
    added = diff_claims([], version)
    removed = diff_claims(version, [])
    assert [c.change_kind for c in added] == ["added"] * len(added)
    assert [c.change_kind for c in removed] == ["removed"] * len(removed)
    # every claim is reported (restatements of one fact once), and removal mirrors addition exactly
    assert bool(added) == bool(version) and bool(removed) == bool(version)
    assert sorted((c.claim_type, c.key, c.new_value) for c in added) == \
        sorted((c.claim_type, c.key, c.old_value) for c in removed)
    assert {(c.claim_type, c.value) for c in version} >= {(c.claim_type, c.new_value) for c in added}
