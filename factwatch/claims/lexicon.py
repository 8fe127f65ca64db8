"""Word lists for person names, each from a general published source (never from evaluation texts).

- TITLES: nameparser's list of titles (`nameparser.config.titles.TITLES`, 800+ civil,
  military, religious and professional titles such as "minister", "deputy", "sgt").
- PARTICLES: nameparser's surname particles (`nameparser.config.particles.PARTICLES`:
  "van", "von", "de", "bin", "abu", "al-" ...), trailing hyphens dropped.
- Given names, surnames and place words for the tagger's features are read only when
  training (people_train.py names their sources) and are stored in the model file.
- HONORIFICS: the common English honorifics as listed by Wikipedia's "English
  honorifics" article (Mr, Mrs, Miss, Ms, Mx, Sir, Dame, Dr, Lady, Lord), plus the
  abbreviation "Prof"; they are dropped from a name but are not a role.
"""

from __future__ import annotations

from nameparser.config.particles import PARTICLES as _NAMEPARSER_PARTICLES
from nameparser.config.titles import TITLES as _NAMEPARSER_TITLES

TITLES = frozenset(t.lower() for t in _NAMEPARSER_TITLES)
PARTICLES = frozenset(p.lower().rstrip("-") for p in _NAMEPARSER_PARTICLES if p[:1].isalpha())
HONORIFICS = frozenset("mr mrs miss ms mx sir dame dr lady lord prof".split())

