"""Word lists for person names, each from a general published source (never from evaluation texts).

- TITLES: nameparser's list of titles (`nameparser.config.titles.TITLES`, 800+ civil,
  military, religious and professional titles such as "minister", "deputy", "sgt").
- PARTICLES: nameparser's surname particles (`nameparser.config.particles.PARTICLES`:
  "van", "von", "de", "bin", "abu", "al-" ...), trailing hyphens dropped.
- Given names and surnames: the US Census Bureau's 1990 frequently-occurring names
  lists (public domain), as shipped by the `names` package (dist.*.first, dist.all.last).
  They are only tagger features; the tagger learns how much to trust them.
- HONORIFICS: the common English honorifics as listed by Wikipedia's "English
  honorifics" article (Mr, Mrs, Miss, Ms, Mx, Sir, Dame, Dr, Lady, Lord), plus the
  abbreviation "Prof"; they are dropped from a name but are not a role.
"""

from __future__ import annotations

import functools
from pathlib import Path

import names as _census_names
from nameparser.config.particles import PARTICLES as _NAMEPARSER_PARTICLES
from nameparser.config.titles import TITLES as _NAMEPARSER_TITLES

TITLES = frozenset(t.lower() for t in _NAMEPARSER_TITLES)
PARTICLES = frozenset(p.lower().rstrip("-") for p in _NAMEPARSER_PARTICLES if p[:1].isalpha())
HONORIFICS = frozenset("mr mrs miss ms mx sir dame dr lady lord prof".split())


def _census_file(name: str) -> list[str]:
    lines = Path(_census_names.FILES[name]).read_text(encoding="ascii").splitlines()
    return [line.split()[0].lower() for line in lines if line.strip()]


@functools.cache
def given_names() -> frozenset[str]:
    """US Census 1990 given names (male and female), lowercased."""
    return frozenset(_census_file("first:male") + _census_file("first:female"))


@functools.cache
def _surname_ranks() -> dict[str, int]:
    return {name: rank for rank, name in enumerate(_census_file("last"), start=1)}


def surname_rank(word: str) -> int:
    """Frequency rank of a lowercased word among US Census 1990 surnames, 0 when absent."""
    return _surname_ranks().get(word, 0)
