"""Keys for comparing paragraphs. Shared by the readers (title repeats) and dedupe."""

from __future__ import annotations

import re
import unicodedata

_NOT_WORD = re.compile(r"[\W_]+")
# Invisible format characters (soft hyphen, zero-width spaces and joiners, direction marks):
# scraped copies of a paragraph differ in them, and "re\u00adpeat" must still match "repeat".
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def match_key(text: str) -> str:
    """Two paragraphs with the same key say the same thing to the letter: Unicode compatibility
    forms, case, white space and punctuation are ignored; digits and letters are kept."""
    folded = unicodedata.normalize("NFKC", _INVISIBLE.sub("", text)).casefold()
    return " ".join(_NOT_WORD.sub(" ", folded).split())
