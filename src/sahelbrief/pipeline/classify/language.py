"""English or French? A small, honest detector: it counts the most common function words of
each language and picks the one with more, and says "don't know" (None) when the text has too
few of them or the counts are close. It knows only these two languages."""

from __future__ import annotations

import re
from collections import Counter
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
    text = "\n".join(texts).casefold()
    pieces = Counter(_pieces(text))
    # A piece without an apostrophe is one word, and the words counted have none.
    english = sum(pieces[word] for word in _ENGLISH.intersection(pieces))
    french = sum(pieces[word] for word in _FRENCH.intersection(pieces))
    if "'" in text or "’" in text:
        for piece, count in pieces.items():
            if "'" in piece or "’" in piece:
                for word in _WORD.findall(piece):
                    if word in _ENGLISH:
                        english += count
                    elif word in _FRENCH or _elided(word):
                        french += count
    if english + french < MIN_WORDS:
        return None
    if english >= MARGIN * french:
        return "en"
    if french >= MARGIN * english:
        return "fr"
    return None


def _elided(word: str) -> bool:
    """Whether `word` starts with an elided article or pronoun, which is French ("l'armée",
    "d'or", "qu'il"; but not the "N'" of N'Djamena, so not "n'" or "s'")."""
    return ("'" in word or "’" in word) and _APOSTROPHE.split(word, 1)[0] in _ELISIONS


def _pieces(text: str) -> list[str]:
    """`text` split into runs of letters and apostrophes, each one or more of _WORD's words. For
    ASCII (most wire copy) str methods find them at a third of what the regular expression
    costs, which was a tenth of a cold build's background work."""
    if text.isascii():
        return text.translate(_ASCII_SPACES).split()
    return _WORD.findall(text)


# Every ASCII character but the letters and the apostrophe, as a space.
_ASCII_SPACES = {c: " " for c in range(128) if chr(c) != "'" and not re.match(r"[^\W\d_]", chr(c))}
