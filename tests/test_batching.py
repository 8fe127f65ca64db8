"""Batches: one host's pages are never split between batches (politeness across Dask workers)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factwatch.runtime.batching import batch_size, host_of, plan_batches


def _urls(spec: list[tuple[str, int]]) -> list[str]:
    return [f"http://{host}/a/{i}" for host, n in spec for i in range(n)]


@pytest.mark.parametrize("spec,size,expected", [
    ([("a.org", 2), ("b.org", 2)], 2, [["a.org"] * 2, ["b.org"] * 2]),
    ([("a.org", 6), ("b.org", 1), ("c.org", 1)], 2, [["a.org"] * 6, ["b.org", "c.org"]]),
    ([("a.org", 1), ("b.org", 1), ("c.org", 1)], 32, [["a.org", "b.org", "c.org"]]),
    ([("a.org:8001", 1), ("A.ORG:8002", 1)], 1, [["a.org:8001"], ["a.org:8002"]]),
])
def test_hosts_stay_together(spec, size, expected):
    batches = plan_batches(_urls(spec), size, url=lambda u: u)
    assert [[host_of(u) for u in batch] for batch in batches] == expected


@given(st.lists(st.tuples(st.sampled_from("abcdef"), st.integers(0, 9)), max_size=60), st.integers(1, 10))
def test_every_job_once_and_no_host_in_two_batches(pairs, size):
    urls = [f"http://{h}.example/{n}/{i}" for i, (h, n) in enumerate(pairs)]
    batches = plan_batches(urls, size, url=lambda u: u)
    assert sorted(u for b in batches for u in b) == sorted(urls)
    owners = {}
    for index, batch in enumerate(batches):
        for url in batch:
            assert owners.setdefault(host_of(url), index) == index
    # a batch only exceeds the size when one host alone has more pages
    assert all(len(b) <= size or len({host_of(u) for u in b}) == 1 for b in batches)


def test_batch_size_is_sized_to_the_run_unless_configured():
    assert [batch_size(n) for n in (1, 256, 2000, 100000)] == [32, 32, 250, 256]
    assert batch_size(2000, configured=7) == 7
