"""The alert rule language: a tokenizer and a recursive-descent parser (never eval).

    rule      = either ;
    either    = both { "or" both } ;
    both      = negation { "and" negation } ;
    negation  = "not" negation | "(" either ")" | test ;
    test      = "any"
              | "silent" "correction"
              | "url" "like" STRING
              | "casualty" ( "rises" | "falls" | "changes" ) [ "by" ">=" NUMBER [ "%" ] ]
              | subject [ kind ]
              | kind ;
    subject   = "casualty" | "person" | "date" | "notice" ;
    kind      = "update" | "correction" | "added" | "removed" ;

Words are case-insensitive. Errors say what was expected and at which column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SUBJECTS = {"casualty": "casualty", "person": "person", "date": "date", "notice": "correction_notice"}
KINDS = ("update", "correction", "added", "removed")
DIRECTIONS = ("rises", "falls", "changes")
KEYWORDS = {"and", "or", "not", "any", "silent", "url", "like", "by", *SUBJECTS, *KINDS, *DIRECTIONS}
_TOKEN = re.compile(r"\s*(?:(?P<number>\d+(?:\.\d+)?)|(?P<word>[A-Za-z_]+)|(?P<op>>=|[()%])"
                    r"|(?P<string>'[^']*'|\"[^\"]*\")|(?P<bad>\S))")


class BadRule(ValueError):
    """An alert rule expression (or name) that cannot be used; the message says where and why."""


@dataclass(frozen=True, slots=True)
class Token:
    """One token: its kind (number, word, op, string, end), its text and its 1-based column."""

    kind: str
    text: str
    column: int


@dataclass(frozen=True, slots=True)
class AnyChange:
    """Every flag."""


@dataclass(frozen=True, slots=True)
class SilentCorrection:
    """A correction that no correction notice explains."""


@dataclass(frozen=True, slots=True)
class UrlLike:
    """The article's URL matches a SQL LIKE pattern (% any run of characters, _ one character)."""

    pattern: str


@dataclass(frozen=True, slots=True)
class Movement:
    """A casualty figure moving: direction rises, falls or changes, by at least `amount` (or `amount` percent)."""

    direction: str
    amount: float | None = None
    percent: bool = False


@dataclass(frozen=True, slots=True)
class ChangeOf:
    """A flag of one claim type (None: any) and one change kind (None: any)."""

    claim_type: str | None
    change_kind: str | None


@dataclass(frozen=True, slots=True)
class Not:
    """The test does not hold."""

    test: object


@dataclass(frozen=True, slots=True)
class All:
    """Every test holds."""

    tests: tuple


@dataclass(frozen=True, slots=True)
class AnyOf:
    """At least one test holds."""

    tests: tuple


def tokenize(text: str) -> list[Token]:
    """Split an expression into tokens, ending with an `end` token."""
    tokens, pos = [], 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:  # only trailing blanks are left
            break
        kind = match.lastgroup
        start = match.start(kind) + 1
        if kind == "bad":
            raise BadRule(f"unexpected character {match.group(kind)!r} at column {start}")
        value = match.group(kind)
        if kind == "word":
            value = value.lower()
        tokens.append(Token(kind, value, start))
        pos = match.end()
    tokens.append(Token("end", "", len(text.rstrip()) + 1))
    return tokens


def _suggest(word: str) -> str:
    import difflib

    close = difflib.get_close_matches(word, sorted(KEYWORDS), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = tokenize(text)
        self.pos = 0

    @property
    def token(self) -> Token:
        return self.tokens[self.pos]

    def take(self, *words: str) -> Token | None:
        if self.token.kind in ("word", "op") and self.token.text in words:
            self.pos += 1
            return self.tokens[self.pos - 1]
        return None

    def fail(self, expected: str) -> BadRule:
        token = self.token
        found = "the end of the rule" if token.kind == "end" else repr(token.text)
        hint = _suggest(token.text) if token.kind == "word" and token.text not in KEYWORDS else ""
        return BadRule(f"expected {expected} at column {token.column}, found {found}{hint}")

    def either(self):
        tests = [self.both()]
        while self.take("or"):
            tests.append(self.both())
        return tests[0] if len(tests) == 1 else AnyOf(tuple(tests))

    def both(self):
        tests = [self.negation()]
        while self.take("and"):
            tests.append(self.negation())
        return tests[0] if len(tests) == 1 else All(tuple(tests))

    def negation(self):
        if self.take("not"):
            return Not(self.negation())
        if self.take("("):
            inner = self.either()
            if not self.take(")"):
                raise self.fail("')'")
            return inner
        return self.test()

    def test(self):
        if self.take("any"):
            return AnyChange()
        if self.take("silent"):
            if not self.take("correction"):
                raise self.fail("'correction' after 'silent'")
            return SilentCorrection()
        if self.take("url"):
            return self.url_like()
        subject = self.take(*SUBJECTS)
        if subject:
            if subject.text == "casualty" and self.token.text in DIRECTIONS:
                return self.movement()
            kind = self.take(*KINDS)
            return ChangeOf(SUBJECTS[subject.text], kind.text if kind else None)
        kind = self.take(*KINDS)
        if kind:
            return ChangeOf(None, kind.text)
        raise self.fail("a test (any, casualty rises, person correction, silent correction, notice added, ...)")

    def url_like(self):
        if not self.take("like"):
            raise self.fail("'like' after 'url'")
        if self.token.kind != "string":
            raise self.fail("a quoted pattern after 'like'")
        pattern = self.token.text[1:-1]
        self.pos += 1
        return UrlLike(pattern)

    def movement(self):
        direction = self.take(*DIRECTIONS).text
        if not self.take("by"):
            return Movement(direction)
        if not self.take(">="):
            raise self.fail("'>=' after 'by'")
        if self.token.kind != "number":
            raise self.fail("a number after '>='")
        amount = float(self.token.text)
        self.pos += 1
        percent = bool(self.take("%"))
        if amount <= 0:
            raise BadRule(f"the amount after '>=' must be more than 0, not {amount:g}")
        return Movement(direction, amount, percent)


def parse_expression(text: str):
    """The expression's syntax tree; BadRule with the column when it is not a rule."""
    if not text.strip():
        raise BadRule("the rule is empty: give a test such as 'any' or 'casualty rises by >= 20%'")
    parser = _Parser(text)
    tree = parser.either()
    if parser.token.kind != "end":
        raise parser.fail("'and', 'or' or the end of the rule")
    return tree
