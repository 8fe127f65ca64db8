"""Correction notices: sentences in which the publisher says the article was corrected.

value and text are the notice sentence; key is "correction_notice:" + the first
twelve hex digits of a SHA-1 over the casefolded, whitespace-collapsed sentence,
so the same notice keeps its key in later versions.
"""

from __future__ import annotations

import hashlib
import re

from factwatch.claims.model import Claim

# "UPDATE:" and "This story has been updated" announce news, not a fix: an update line's figures
# are live facts. Only correction or clarification language makes a notice.
_NOTICE = re.compile(
    r"^\W{0,3}(?:correction|corrections|clarification|editor['’]?s['’]?\s+note)\s*[:—–-]"
    r"|\b(?:an?\s+)?(?:earlier|previous|prior)\s+version\s+of\s+this\s+(?:article|story|report|piece|post)"
    r"|\bthis\s+(?:article|story|report|piece|post)\s+(?:has\s+been|was|is\s+being)\s+"
    r"(?:amended|corrected|revised|(?:updated|changed)\s+to\s+(?:correct|clarify|fix|remove|amend))\b"
    r"|\bwe\s+(?:have\s+)?(?:corrected|amended)\s+(?:this|the)\s+(?:article|story|report)"
    r"|\b(?:this|the)\s+(?:article|story)\s+(?:incorrectly|wrongly|mistakenly)\s+(?:said|stated|reported)",
    re.IGNORECASE,
)
_SPACE = re.compile(r"\s+")


_TRIGGERS = ("correct", "clarif", "note", "version", "amended", "revised")


def is_notice(sentence: str, lowered: str | None = None) -> bool:
    """True when the sentence is a correction, clarification or editor's note (`lowered`: its lower())."""
    lower = sentence.lower() if lowered is None else lowered
    for trigger in _TRIGGERS:  # a plain loop: any() over a generator costs more than the tests
        if trigger in lower:
            return bool(_NOTICE.search(sentence))
    return False


def notice_claim(sentence: str, index: int, lowered: str | None = None) -> Claim | None:
    """A correction_notice claim for a notice sentence, else None (`lowered`: sentence.lower(), if at hand)."""
    if not is_notice(sentence, lowered):
        return None
    text = sentence.strip()
    start = sentence.find(text)
    digest = hashlib.sha1(_SPACE.sub(" ", text).casefold().encode("utf-8")).hexdigest()[:12]
    return Claim(
        claim_type="correction_notice", key=f"correction_notice:{digest}", value=text, text=text,
        sentence=sentence, start=start, end=start + len(text), sentence_index=index,
    )
