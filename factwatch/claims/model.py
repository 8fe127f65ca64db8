"""The Claim value: one fact stated in one sentence of one article version."""

from __future__ import annotations

from dataclasses import asdict, dataclass

CLAIM_TYPES = ("casualty", "person", "date", "correction_notice")


@dataclass(frozen=True, slots=True)
class Claim:
    """A fact found in article text.

    `key` says *what* the claim is about (which toll, which person, which dated
    event) and stays stable across versions; `value` is what the article says
    about it now. `start`/`end` are offsets of `text` inside `sentence`.
    """

    claim_type: str
    key: str
    value: str
    text: str
    sentence: str
    start: int
    end: int
    sentence_index: int = 0
    qualifier: str = ""
    attributes: tuple[tuple[str, str], ...] = ()

    def attr(self, name: str, default: str = "") -> str:
        """Return one attribute's value, or `default` when it is absent."""
        for attr_name, value in self.attributes:
            if attr_name == name:
                return value
        return default

    def to_dict(self) -> dict:
        """Return a JSON-ready dict with attributes as a mapping."""
        data = asdict(self)
        data["attributes"] = dict(self.attributes)
        return data
