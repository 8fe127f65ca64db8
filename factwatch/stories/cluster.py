"""Incremental story clustering: a new article joins the story it best matches, or opens one.

Two tests, in order. Near-duplicate wire copy: the share of five-word runs two
texts have in common, estimated from bottom-k MinHash sketches. Same event: a
TF-IDF cosine of the content words, blended with how many of the people and
places the claims name they share. An article is compared (single link) with the
members of standing stories seen within the time window around it that share a
distinctive word, a named entity or a shingle with it (an inverted index keeps
this to a short list, so placing an article costs about the same however many
stories there are); if it matches more than one story strongly, it bridges them
and they are merged.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from factwatch.stories.features import ArticleFeatures, sketch_jaccard

NEAR_DUPLICATE = 0.5   # half the five-word runs shared is copy of one text
SAME_EVENT = 0.30      # blended score to join a story (tuned on the tune half of tests/fixtures/stories)
MERGE = 0.45           # a second story matched this strongly is the same event: merge
TEXT_WEIGHT = 0.6      # share of the blended score from the text cosine; the rest from shared entities
WINDOW = timedelta(days=3)
SIGNATURE_TERMS = 12   # the new article's rarest indexed words that pick candidates
SHORTLIST = 20         # members compared in full, those sharing the most with the new article
COMMON = 64            # a word, entity or shingle in more indexed articles than this picks no candidates (boilerplate)


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a new article goes."""

    story_id: int | None        # None: it opens a new story
    method: str                 # near_duplicate | same_event | opened
    score: float
    merge: tuple[int, ...] = ()  # other stories it bridges, to be merged into story_id


def _named(entities: frozenset[str]) -> frozenset[str]:
    return frozenset(e for e in entities if not e.startswith("toll:"))


def entity_overlap(a: ArticleFeatures, b: ArticleFeatures) -> float:
    """Overlap coefficient of the people and places both articles' claims name."""
    ea, eb = _named(a.entities), _named(b.entities)
    if not ea or not eb:
        return 0.0
    return len(ea & eb) / min(len(ea), len(eb))


def cosine(a: ArticleFeatures, b: ArticleFeatures, idf) -> float:
    """TF-IDF cosine similarity of two articles' content words (`idf`: term -> weight)."""
    va = {t: (1 + math.log(n)) * idf(t) for t, n in a.terms}
    vb = {t: (1 + math.log(n)) * idf(t) for t, n in b.terms}
    norm = math.sqrt(sum(v * v for v in va.values()) * sum(v * v for v in vb.values())) or 1.0
    return sum(w * vb.get(t, 0.0) for t, w in va.items()) / norm


def pair_score(a: ArticleFeatures, b: ArticleFeatures, idf) -> tuple[str, float]:
    """How alike two articles are: ('near_duplicate', Jaccard) or ('same_event', blended score)."""
    if abs(a.seen_at - b.seen_at) > WINDOW:
        return "same_event", 0.0
    shared = sketch_jaccard(a.sketch, b.sketch)
    if shared >= NEAR_DUPLICATE:
        return "near_duplicate", shared
    text = cosine(a, b, idf)
    if not _named(a.entities) or not _named(b.entities):
        return "same_event", text
    return "same_event", TEXT_WEIGHT * text + (1 - TEXT_WEIGHT) * entity_overlap(a, b)


class StoryIndex:
    """The articles of standing stories, indexed by word, entity and shingle, with their document frequencies."""

    def __init__(self) -> None:
        self.members: dict[int, ArticleFeatures] = {}
        self.story_of: dict[int, int] = {}
        self.df: Counter[str] = Counter()
        self._postings: dict[str, set[int]] = {}

    def add(self, article: ArticleFeatures, story_id: int) -> None:
        """Record that an article is in a story."""
        self.members[article.article_id] = article
        self.story_of[article.article_id] = story_id
        self.df.update(t for t, _n in article.terms)
        for key in self._keys(article):
            self._postings.setdefault(key, set()).add(article.article_id)

    def merge(self, other: int, into: int) -> None:
        """Move every article of story `other` into story `into`."""
        for article_id, story_id in self.story_of.items():
            if story_id == other:
                self.story_of[article_id] = into

    @staticmethod
    def _keys(article: ArticleFeatures) -> Iterable[str]:
        yield from (f"t:{t}" for t, _n in article.terms)
        yield from (f"e:{e}" for e in _named(article.entities))
        yield from (f"s:{h}" for h in article.sketch)

    def idf(self, new: ArticleFeatures):
        """Smoothed inverse document frequency over the indexed articles and the new one."""
        own = {t for t, _n in new.terms}
        total = len(self.members) + 1
        weights: dict[str, float] = {}

        def weight(term: str) -> float:
            if term not in weights:
                weights[term] = math.log((total + 1) / (self.df.get(term, 0) + (term in own) + 1)) + 1.0
            return weights[term]
        return weight

    def shortlist(self, new: ArticleFeatures) -> list[ArticleFeatures]:
        """Members in the window sharing the most distinctive words, any entity or any shingle with the article."""
        indexed = sorted((self.df[t], t) for t, _n in new.terms if self.df.get(t))
        keys = [f"t:{t}" for _df, t in indexed[:SIGNATURE_TERMS]]
        keys += [k for k in self._keys(new) if not k.startswith("t:")]
        hits: Counter[int] = Counter()
        for key in keys:
            posting = self._postings.get(key, ())
            if len(posting) <= COMMON:
                hits.update(posting)
        near = [(n, aid) for aid, n in hits.items() if abs(self.members[aid].seen_at - new.seen_at) <= WINDOW]
        return [self.members[aid] for _n, aid in sorted(near, key=lambda na: (-na[0], na[1]))[:SHORTLIST]]

    def place(self, new: ArticleFeatures) -> Placement:
        """Decide which story a new article joins (or that it opens one), and which stories it bridges."""
        idf = self.idf(new)
        best: dict[int, tuple[bool, float, str]] = {}
        for member in self.shortlist(new):
            method, score = pair_score(new, member, idf)
            ranked = (method == "near_duplicate", score, method)
            story_id = self.story_of[member.article_id]
            if story_id not in best or ranked > best[story_id]:
                best[story_id] = ranked
        matches = sorted(((dup, score, sid, method) for sid, (dup, score, method) in best.items()
                          if dup or score >= SAME_EVENT), reverse=True)
        if not matches:
            return Placement(None, "opened", 0.0)
        _dup, score, story_id, method = matches[0]
        bridged = tuple(sorted(sid for dup, sc, sid, _m in matches[1:] if dup or sc >= MERGE))
        return Placement(story_id, method, round(score, 4), bridged)


def cluster_all(articles: Sequence[ArticleFeatures]) -> dict[int, int]:
    """Cluster articles one at a time in the given order, as the writer does; article_id -> story id."""
    index = StoryIndex()
    next_id = 1
    for article in articles:
        placed = index.place(article)
        story_id = placed.story_id
        if story_id is None:
            story_id, next_id = next_id, next_id + 1
        for other in placed.merge:
            index.merge(other, story_id)
        index.add(article, story_id)
    return dict(index.story_of)


def pairwise_scores(predicted: dict[int, int], gold: dict[int, str]) -> tuple[float, float, int, int, int]:
    """Pairwise precision and recall of a clustering against gold labels: (p, r, tp, fp, fn)."""
    ids = sorted(gold)
    tp = fp = fn = 0
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            same_pred, same_gold = predicted[a] == predicted[b], gold[a] == gold[b]
            tp += same_pred and same_gold
            fp += same_pred and not same_gold
            fn += same_gold and not same_pred
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, tp, fp, fn
