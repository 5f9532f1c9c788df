"""Matching keys: the words of a paragraph with case, accents, typography and punctuation folded.

Only comparisons use these; the displayed text is never changed. Digits are kept as words, so
"12" and "21" never share a key (CCNet and datatrove map digits to 0 and would merge them).
"""

from __future__ import annotations

import re

import xxhash

from sahelbrief.normalize import ASCII_FOLD, ascii_key, match_key, without_marks

_DIGIT = re.compile(r"\d")
# A wire dateline at the start of a paragraph: "MÉNAKA, Mali, March 3 (Reuters) — ". Outlets add
# or drop it when they re-file a story, so near-duplicate matching ignores it.
_DATELINE = re.compile(
    r"^\s*[A-ZÀ-Ý][A-ZÀ-Ý'’.\- ]{1,40}(?:,[^—–\n]{1,60}?)?\s*(?:\([^)]{1,40}\))?\s*[—–-]{1,2}\s+"
)


def fold(text: str) -> str:
    """sahelbrief.normalize.match_key (NFKC, casefold, invisible characters dropped, punctuation
    to single spaces), with accents removed too (ASCII text has none)."""
    return without_marks(match_key(text))


def folded(text: str) -> bytes:
    """fold(text) as UTF-8, words separated by one space."""
    if text.isascii():  # most English text: no str made on the way
        return ascii_key(text)
    return fold(text).encode("utf-8")


def fold_words(text: str) -> list[str]:
    """fold(text).split(), ASCII text without joining its words to split them again."""
    if text.isascii():
        return text.encode("ascii").translate(ASCII_FOLD).decode("ascii").split()
    return fold(text).split()


def strip_dateline(text: str) -> str:
    """`text` without a leading wire dateline ("BAMAKO (AFP) - ")."""
    if not text[:2].isupper():  # most paragraphs: no capitalised word at the start
        return text
    return _DATELINE.sub("", text, count=1)


def key_hash(folded: bytes) -> int:
    """A seedless 64-bit hash of a folded text (Python's hash() changes per process)."""
    return int(xxhash.xxh3_64_intdigest(folded))


def loose_hash(folded: bytes) -> int:
    """As key_hash with every digit read as 0: "© 2025 X" and "© 2026 X" are the same footer.
    Used for boilerplate only, never to decide that two facts are the same."""
    return key_hash(_DIGIT.sub("0", folded.decode()).encode())


def is_number(token: str) -> bool:
    # Folded tokens are runs of letters and digits: a number starts or ends with a digit
    # ("12", "1er", "g5", "covid19"); checking both ends is much faster than a regex.
    return token[0].isdigit() or token[-1].isdigit()


# Sentence-level breaks: a capital after one of these starts a sentence, not a name.
_SENTENCES = re.compile(r"[.!?…:;«»\"“”(—–]+")
# The capital first, then what comes before it: the same matches as the lookbehind first
# ("(?<=[\s'’-])[A-Z...]"), 3.5x faster, since most characters are not capitals.
_CAPITALISED = re.compile(r"[A-ZÀ-ÖØ-Ý](?<=[\s'’-].)[\w'’-]*")


def names(text: str) -> frozenset[str]:
    """Folded words written with a capital where a sentence does not start: names of people,
    places, groups. A heuristic; the guard also treats every unmatched content word as a fact."""
    found: list[str] = []
    for sentence in _SENTENCES.split(text):
        sentence = sentence.lstrip()
        first_space = sentence.find(" ")
        if first_space >= 0:
            found += _CAPITALISED.findall(sentence, first_space)
    # Folded together: fold works character by character, and a name starts with a capital,
    # which nothing before it (a space) can combine with.
    return frozenset(fold(" ".join(found)).split())
