"""Keys for comparing paragraphs. Shared by the readers (title repeats) and dedupe."""

from __future__ import annotations

import re
import unicodedata

_NOT_WORD = re.compile(r"[\W_]+")


def match_key(text: str) -> str:
    """Two paragraphs with the same key say the same thing to the letter: Unicode compatibility
    forms, case, white space and punctuation are ignored; digits and letters are kept."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_NOT_WORD.sub(" ", folded).split())
