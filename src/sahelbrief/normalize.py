"""Keys for comparing paragraphs. Shared by the readers (title repeats) and dedupe."""

from __future__ import annotations

import re
import unicodedata

_NOT_WORD = re.compile(r"[\W_]+")
# Invisible format characters (soft hyphen, zero-width spaces and joiners, direction marks):
# scraped copies of a paragraph differ in them, and "re\u00adpeat" must still match "repeat".
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


# ASCII text folds byte by byte: a letter to lower case, a digit to itself, anything else
# (punctuation, "_", control characters) to a space, as `[\W_]+` does, in one C call instead
# of a regex (4x faster; most paragraphs are ASCII). Bytes past ASCII are spaces.
ASCII_FOLD = bytes(c if chr(c).isalnum() else 32 for c in range(128)).lower() + b" " * 128
_SPACES = re.compile(rb"  +")


def match_key(text: str) -> str:
    """Two paragraphs with the same key say the same thing to the letter: Unicode compatibility
    forms, case, white space and punctuation are ignored; digits and letters are kept."""
    if text.isascii():  # NFKC, case folding and invisible characters: all as ASCII_FOLD does
        return ascii_key(text).decode("ascii")
    folded = unicodedata.normalize("NFKC", _INVISIBLE.sub("", text)).casefold()
    return " ".join(_NOT_WORD.sub(" ", folded).split())


def ascii_key(text: str) -> bytes:
    """match_key of ASCII `text`, as bytes: translated byte by byte and its runs of spaces made
    one, without making its words (half the time of a split and a join)."""
    return _SPACES.sub(b" ", text.encode("ascii").translate(ASCII_FOLD)).strip(b" ")


def without_marks(text: str) -> str:
    """`text` decomposed (NFKD) without its combining marks: "État" -> "Etat". ASCII text (most
    English) has none and is returned as it is."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFKD", text).translate(_WITHOUT_MARKS)


class _CombiningMarks(dict[int, int | None]):
    """A str.translate table that deletes combining marks, filled as characters are met, so
    that lookups run at C speed (testing every character in Python took a fifth of classify)."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


_WITHOUT_MARKS = _CombiningMarks()
