"""English or French? A small, honest detector: it counts the most common function words of
each language and picks the one with more, and says "don't know" (None) when the text has too
few of them or the counts are close. It knows only these two languages."""

from __future__ import annotations

import re
from collections.abc import Iterable

# Frequent words that are not also frequent words of the other language ("a", "en", "on",
# "son", "plus" are left out for that reason).
_ENGLISH_WORDS = (
    "the of and to in is was that for with as by from at have has had are were be been this "
    "which it its their they he she his her but not after said will would who what into over"
)
_FRENCH_WORDS = (
    "le la les des du de et est une un dans pour que qui sur au aux par avec ce cette ces "
    "sont ont été il elle ils leur leurs mais pas ne selon après était sera"
)
_ENGLISH = frozenset(_ENGLISH_WORDS.split())
_FRENCH = frozenset(_FRENCH_WORDS.split())
_ELISIONS = frozenset(("l", "d", "qu", "j", "c"))
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_APOSTROPHE = re.compile(r"['’]")
MIN_WORDS = 3  # function words needed before the detector answers at all
MARGIN = 1.5  # the winner must have this many times the loser's count


def detect(texts: Iterable[str]) -> str | None:
    english = french = 0
    for text in texts:
        for word in _WORD.findall(text.casefold()):
            if word in _ENGLISH:
                english += 1
            elif word in _FRENCH:
                french += 1
            elif ("'" in word or "’" in word) and _APOSTROPHE.split(word, 1)[0] in _ELISIONS:
                # "l'armée", "d'or", "qu'il": an elided article or pronoun is French (but not
                # the "N'" of N'Djamena, so not "n'" or "s'").
                french += 1
    if english + french < MIN_WORDS:
        return None
    if english >= MARGIN * french:
        return "en"
    if french >= MARGIN * english:
        return "fr"
    return None
