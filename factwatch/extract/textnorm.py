"""Pure text normalisation: what counts as 'the same article text'.

Typography (curly quotes, dashes, non-breaking spaces) and whitespace never
make a new version; only words do.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

# Characters that differ between page templates and CMS versions but never between
# facts: curly quotes, dash variants, invisible and non-breaking spaces, ellipses.
TYPOGRAPHY = str.maketrans({
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u00b4`", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043", "-"),
    **dict.fromkeys("\u00a0\u2007\u202f\u2009\u200a\u2002\u2003\u3000", " "),
    **dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff\u00ad", ""),
    "\u2026": "...",
})
_SPACE = re.compile(r"[ \t\r\f\v]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def normalise_text(text: str) -> str:
    """Fold typography and whitespace so only wording differences remain."""
    folded = unicodedata.normalize("NFKC", text).translate(TYPOGRAPHY)
    lines = (_SPACE.sub(" ", line).strip() for line in folded.split("\n"))
    return _BLANK_LINES.sub("\n", "\n".join(line for line in lines if line)).strip()


def content_hash(text: str) -> str:
    """Hash of the normalised text: equal hashes mean no new version."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


def bytes_hash(data: bytes) -> str:
    """Hash of a raw page, to skip re-extracting a byte-identical page."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()
