"""A small averaged-perceptron tagger that marks the words of person names in a sentence.

Only "name-like" tokens are tagged (a capital letter, "al-Saadi", or a surname
particle such as "von" between two of them); every other token is outside a name,
which keeps the per-article cost to the few capitalised words. Tags: B (first word
of a name), I (a following word), O. Decoding is greedy, left to right, with the
previous tag as a feature. The weights ship with the package (people_tagger.json.gz);
factwatch/claims/PEOPLE_MODEL.md says what they were trained on and how to retrain.
"""

from __future__ import annotations

import functools
import gzip
import json
import re
from pathlib import Path

from factwatch.claims.lexicon import PARTICLES, TITLES

MODEL_PATH = Path(__file__).with_name("people_tagger.json.gz")
TAGS = ("O", "B", "I")  # training with ORG/LOC/MISC as extra tags was tried: lower precision
_NAME = ("B", "I")
MAX_PARTICLES = 2

# "U.S." | an initial or "Jr." before more words | a word, hyphens and inner apostrophes included,
# but "'s" split off | possessive | number | any other char
_TOKEN = re.compile(  # the lookahead and the possessive quantifiers make it fail fast (Python 3.11+)
    r"(?:(?=[A-Za-z]\.|Jr\.|Sr\.)(?:(?:[A-Za-z]\.){2,}|(?:[A-Z]|Jr|Sr)\.(?=\s+\S)))"
    r"|[^\W\d_]++(?:[-'’](?![sS]\b)[^\W\d_]++)*+|['’][sS]\b|\d[\d.,:/]*+|\S"
)
# r"\b[a-z]+\b" (a run of a-z that is a whole \w run), written to start with its character
# class so the regex engine can jump between candidate letters.
_LOWER_TOKEN = re.compile(r"[a-z](?<!\w[a-z])[a-z]*+(?!\w)")
_PREFIXED = re.compile(r"^[a-z]{1,3}-[^\W\d_]")
_SHAPE_RUNS = re.compile(r"(.)\1+")


def tokenise(text: str) -> list[re.Match]:
    """Split plain article text into tokens (curly quotes, "U.S.", possessives handled); matches carry offsets."""
    return list(_TOKEN.finditer(text))


def token_starts(text: str, words: list[str], count: int | None = None) -> list[int]:
    """Where each of token_words(text) starts in text (the offsets tokenise gives, much cheaper);
    only the first `count` when given.

    Only whitespace lies between two tokens and a token never starts with it, so each token
    is the first occurrence of its word after the end of the one before.
    """
    starts = []
    pos = 0
    find = text.find
    for word in words[:count]:
        pos = find(word, pos)
        starts.append(pos)
        pos += len(word)
    return starts


# A word then one of these marks is two tokens. Not "." (an initial, "U.S.", "Jr."), not the
# letter-like numerals \w also holds ("²"), not a leading apostrophe ("'s").
_CLOSING_MARKS = frozenset(",:;?!)]”\"")


def token_words(text: str) -> list[str]:
    """The words of tokenise(text), without offsets (cheaper).

    A token never crosses whitespace and only "(?=\\s+\\S)" looks past it, so the tokens are
    those of each whitespace-separated chunk (knowing whether another follows). Most chunks
    are a word ("killed") or a word and a closing mark ("said,"); only the others go
    through the regex, which costs far more a token than str.split.
    """
    chunks = text.split()
    odd = [i for i, chunk in enumerate(chunks) if not chunk.isalpha()]
    if not odd:
        return chunks
    words: list[str] = []
    start = 0
    last = len(chunks) - 1
    for i in odd:
        words += chunks[start:i]
        start = i + 1
        chunk = chunks[i]
        body, mark = chunk[:-1], chunk[-1]
        if body.isalpha() and (mark in _CLOSING_MARKS or (mark == "." and len(body) > 1 and body not in ("Jr", "Sr"))):
            words += (body, mark)
        elif i < last:
            words += _TOKEN.findall(chunk + " x")[:-1]  # " x": the next chunk, as "(?=\\s+\\S)" sees it
        else:
            words += _TOKEN.findall(chunk)
    words += chunks[start:]
    return words


def is_name_like(word: str) -> bool:
    """A token that could start or continue a name: capitalised, or "al-Saadi"-style."""
    return word[:1].isupper() or ("-" in word[1:4] and bool(_PREFIXED.match(word)))


def candidates(words: list[str], seen_lower: frozenset[str]) -> list[int]:
    """Indexes of the tokens the tagger looks at: capitalised ones and particles between them.

    A sentence-initial word the text also uses in lowercase ("The", "Police") is skipped.
    """
    found = [i for i, w in enumerate(words) if w[0].isupper() or ("-" in w and _PREFIXED.match(w))]
    if found and found[0] == 0 and words[0].lower() in seen_lower:
        found.pop(0)
    if len(found) > 1:  # one or two particles between two capitalised words: "de Boer", "van der Sar"
        particles = [i + 1 for i, j in zip(found, found[1:]) if 2 <= j - i <= 3 and words[i + 1] in PARTICLES
                     and (j - i == 2 or (MAX_PARTICLES > 1 and words[i + 2] in PARTICLES))]
        if particles:
            found = sorted(found + particles + [i + 1 for i in particles if i + 1 not in found
                                                and words[i + 1] in PARTICLES])
    return found


_ASCII_SHAPE = str.maketrans({**{chr(c): "X" for c in range(65, 91)}, **{chr(c): "x" for c in range(97, 123)},
                              **{chr(c): "d" for c in range(48, 58)}})


@functools.lru_cache(maxsize=16384)
def shape(word: str) -> str:
    """Word shape with repeated classes collapsed: "McCain" -> "XxXx", "U.S." -> "X.X."."""
    if word.isascii():  # the common case, by one table lookup (same result as below)
        mapped = word.translate(_ASCII_SHAPE)
    else:
        mapped = "".join("X" if c.isupper() else "x" if c.isalpha() else "d" if c.isdigit() else c for c in word)
    return _SHAPE_RUNS.sub(r"\1", mapped)


@functools.lru_cache(maxsize=16384)
def word_features(word: str) -> tuple[str, ...]:
    """Features of a token on its own (cached: they do not depend on context)."""
    lower = word.lower()
    feats = [f"w={lower}", f"s={shape(word)}", f"x={lower[-3:]}"]
    gazetteers = _GAZETTEERS or shipped_scorer().gazetteers
    feats.extend(name for name, words in gazetteers.items() if lower in words)
    if lower in TITLES:
        feats.append("ti")
    if word.isupper() and len(word) > 1:
        feats.append("caps")
    return tuple(feats)


def role_features(word: str, role: str) -> tuple[str, ...]:
    """Features a word gives the token it neighbours: role "p"/"n" (next to it) or "p2"/"n2" (two away)."""
    if role in ("p2", "n2"):
        return (f"{role}={word.lower()}",)
    return (f"{role}1={word.lower()}", f"{role}s={shape(word)}", *(role + f for f in word_features(word)[3:]))


def _neighbours(words: list[str], i: int) -> tuple[str, str, str, str]:
    last = len(words) - 1
    return (words[i - 1] if i > 0 else "<s>", words[i + 1] if i < last else "</s>",
            words[i - 2] if i > 1 else "<s>", words[i + 2] if i < last - 1 else "</s>")


def features(words: list[str], i: int, prev_tag: str, seen_lower: frozenset[str]) -> list[str]:
    """All features of token i: its own, its neighbours', the previous tag (used for training)."""
    word = words[i]
    prev, nxt, prev2, next2 = _neighbours(words, i)
    feats = ["bias", f"t={prev_tag}", f"t={prev_tag}|s={shape(word)}", *word_features(word),
             *role_features(prev, "p"), *role_features(nxt, "n"), *role_features(prev2, "p2"),
             *role_features(next2, "n2")]
    if word.lower() in seen_lower:
        feats.append("lc")
    return feats


def best_tag(weights: dict, feats: list[str], prev_tag: str) -> str:
    """The highest-scoring tag for a feature list (used for training)."""
    return _decide(_sum(weights, feats), prev_tag)


def _sum(weights: dict, feats) -> list[float]:
    o = b = i = 0.0  # one running sum per tag (TAGS has three)
    get = weights.get
    for feat in feats:
        w = get(feat)
        if w is not None:
            o += w[0]
            b += w[1]
            i += w[2]
    return [o, b, i]


def _decide(score: list[float], prev_tag: str) -> str:
    """The best tag; "I" only right after a person word."""
    if prev_tag not in _NAME:
        score = score[:2] + [float("-inf")] + score[3:]
    return TAGS[max(range(len(TAGS)), key=score.__getitem__)]


_GAZETTEERS: dict[str, frozenset[str]] = {}  # set by training; at run time they come from the model file


def use_gazetteers(gazetteers: dict[str, frozenset[str]]) -> None:
    """Use these word lists for the gazetteer features (training sets them before extracting features)."""
    _GAZETTEERS.clear()
    _GAZETTEERS.update(gazetteers)
    word_features.cache_clear()


class Scorer:
    """Scores tokens with the shipped weights, caching each word's share of the score.

    A token's score is its own word's share (with the bias and the previous tag), each
    neighbour's share and the "lc" feature; the shares depend only on the word (and the
    previous tag), so they are cached. Gives the tags best_tag gives on features().
    """

    def __init__(self, weights: dict[str, tuple[float, ...]], gazetteers: dict[str, frozenset[str]],
                 gate: tuple[float, ...] = ()) -> None:
        assert len(TAGS) == 3, "the fast path below adds up three scores"
        self.weights = weights
        self.gazetteers = gazetteers
        self.gate = gate  # the person gate's weights (people_gate.py); empty: the evidence rule alone
        self._word_facts: dict[str, tuple[float, ...]] = {}
        self._caches: dict[str, dict[str, tuple[float, ...]]] = {r: {} for r in (*TAGS, "p", "n", "p2", "n2")}
        self._lc = tuple(weights.get("lc", (0.0, 0.0, 0.0)))

    def word_facts(self, word: str) -> tuple[float, ...]:
        """What the model and its word lists say of a word, for the person gate (cached): its name
        weight clipped to [-1, 1], known to the model, a name word, a given name, a surname, a place
        word, a common word."""
        found = self._word_facts.get(word)
        if found is None:
            if len(self._word_facts) > 50000:
                self._word_facts.clear()
            lower = word.lower()
            lists = self.gazetteers
            weight = self.weights.get(f"w={lower}")
            name_weight = None if weight is None else max(weight[1:]) - weight[0]
            given = lower in lists.get("gf", ())
            surname = lower in lists.get("gl1", ()) or lower in lists.get("gl2", ())
            name_word = name_weight > 0 if name_weight is not None else given or surname
            found = self._word_facts[word] = (
                max(-5.0, min(5.0, name_weight or 0.0)) / 5, float(weight is not None), float(name_word),
                float(given), float(surname), float(lower in lists.get("gp", ())), float(is_common(word)))
        return found

    def share(self, word: str, role: str) -> tuple[float, ...]:
        """The summed weights of the features `word` gives in `role`: "p"/"n"/"p2"/"n2" as a
        neighbour, or "O"/"B"/"I" as the token itself after a token with that tag."""
        cache = self._caches[role]
        found = cache.get(word)
        if found is None:
            if len(cache) > 50000:
                cache.clear()
            if role in TAGS:
                feats = ("bias", f"t={role}", f"t={role}|s={shape(word)}", *word_features(word))
            else:
                feats = role_features(word, role)
            found = cache[word] = tuple(_sum(self.weights, feats))
        return found

    def tag(self, words: list[str], seen_lower: frozenset[str], margins: list[float] | None = None) -> list[str]:
        """Tags for every token of one sentence (non-candidates are "O").

        When `margins` is given (one slot a word), a person word's slot gets how far its
        tag's score beat the score of "O": the tagger's confidence.
        """
        tags = ["O"] * len(words)
        found = candidates(words, seen_lower)
        if not found:
            return tags
        caches = self._caches
        p1, n1, p2, n2 = caches["p"], caches["n"], caches["p2"], caches["n2"]
        last = len(words) - 1
        for i in found:
            word = words[i]
            prev_tag = tags[i - 1] if i else "O"
            # _neighbours(words, i), inline: this loop runs for every capitalised word
            prev = words[i - 1] if i > 0 else "<s>"
            nxt = words[i + 1] if i < last else "</s>"
            prev2 = words[i - 2] if i > 1 else "<s>"
            next2 = words[i + 2] if i < last - 1 else "</s>"
            a = caches[prev_tag].get(word) or self.share(word, prev_tag)
            b = p1.get(prev) or self.share(prev, "p")
            c = n1.get(nxt) or self.share(nxt, "n")
            d = p2.get(prev2) or self.share(prev2, "p2")
            e = n2.get(next2) or self.share(next2, "n2")
            o, name, inside = (a[0] + b[0] + c[0] + d[0] + e[0], a[1] + b[1] + c[1] + d[1] + e[1],
                               a[2] + b[2] + c[2] + d[2] + e[2])
            if word.lower() in seen_lower:
                o, name, inside = o + self._lc[0], name + self._lc[1], inside + self._lc[2]
            if prev_tag == "O":
                tag = "B" if name > o else "O"
            else:
                tag = "O" if o >= name and o >= inside else ("B" if name > inside else "I")
            tags[i] = tag
            if margins is not None and tag != "O":
                margins[i] = (name if tag == "B" else inside) - o
        return tags


_IN_USE: list[Scorer] = []  # a model set by training or cross-validation, instead of the shipped one


def shipped_scorer() -> Scorer:
    """A Scorer over the model file that ships with the package (or the one use_scorer set)."""
    return _IN_USE[0] if _IN_USE else _load_shipped()


@functools.cache
def _load_shipped() -> Scorer:
    with gzip.open(MODEL_PATH, "rt", encoding="utf-8") as handle:
        data = json.load(handle)
    gazetteers = {name: frozenset(words.split("\n")) for name, words in data["gazetteers"].items()}
    return Scorer({feat: tuple(w) for feat, w in data["weights"].items()}, gazetteers, tuple(data.get("gate", ())))


def use_scorer(scorer: Scorer | None) -> None:
    """Use this model instead of the shipped one (None: back to the shipped one); for training."""
    _IN_USE.clear()
    if scorer is not None:
        _IN_USE.append(scorer)
    word_features.cache_clear()


def is_known(word: str) -> bool:
    """Whether the shipped model has a weight for this word itself."""
    return f"w={word.lower()}" in shipped_scorer().weights


def name_weight(word: str) -> float | None:
    """How much the model's weight for this word itself favours a name tag; None if it has none."""
    weight = shipped_scorer().weights.get(f"w={word.lower()}")
    return None if weight is None else max(weight[1:]) - weight[0]


def is_name_word(word: str) -> bool:
    """Whether a word is known as a person's name: the model's own weight for it favours a
    name tag, or it is in the given-name or surname lists."""
    weight = name_weight(word)
    if weight is not None:
        return weight > 0
    lower = word.lower()
    return any(lower in shipped_scorer().gazetteers.get(name, ()) for name in ("gf", "gl1", "gl2"))


def is_given_name(word: str) -> bool:
    """Whether a word is in the given-name list (US Census 1990, via the model file)."""
    return word.lower() in shipped_scorer().gazetteers.get("gf", ())


def is_common(word: str) -> bool:
    """Whether the dictionary or the training text has this word (or its singular) in lowercase."""
    common = shipped_scorer().gazetteers.get("lw", ())
    lower = word.lower()
    return lower in common or (lower[-1:] == "s" and lower[:-1] in common)


def tag_words(words: list[str], seen_lower: frozenset[str], margins: list[float] | None = None) -> list[str]:
    """Tags for every token of one sentence with the shipped model (see Scorer.tag)."""
    return shipped_scorer().tag(words, seen_lower, margins)


def name_spans(tags: list[str]) -> list[tuple[int, int]]:
    """Token ranges [start, end) of the names in a tag sequence."""
    spans: list[tuple[int, int]] = []
    if "B" not in tags and "I" not in tags:
        return spans
    for i, tag in enumerate(tags):
        if tag == "B" or (tag == "I" and (not spans or spans[-1][1] != i)):
            spans.append((i, i + 1))
        elif tag == "I":
            spans[-1] = (spans[-1][0], i + 1)
    return spans


def lowercase_words(texts: list[str]) -> frozenset[str]:
    """Words a text also writes in lowercase (a sign they are not names)."""
    return frozenset(_LOWER_TOKEN.findall("\n".join(texts)))
