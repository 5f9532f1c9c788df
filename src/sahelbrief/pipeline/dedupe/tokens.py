"""Matching keys: the words of a paragraph with case, accents, typography and punctuation folded.

Only comparisons use these; the displayed text is never changed. Digits are kept as words, so
"12" and "21" never share a key (CCNet and datatrove map digits to 0 and would merge them).
"""

from __future__ import annotations

import re

import xxhash

from sahelbrief.normalize import match_key, without_marks

# ASCII text folds byte by byte: a letter to lower case, a digit to itself, anything else
# (punctuation, "_", control characters) to a space, as match_key's `[\W_]+` does, in one C
# call instead of a regex (4x faster; most paragraphs are ASCII).
_ASCII_FOLD = bytes(c if chr(c).isalnum() else 32 for c in range(128)).lower() + b" " * 128
_DIGIT = re.compile(r"\d")
# A wire dateline at the start of a paragraph: "MÉNAKA, Mali, March 3 (Reuters) — ". Outlets add
# or drop it when they re-file a story, so near-duplicate matching ignores it.
_DATELINE = re.compile(
    r"^\s*[A-ZÀ-Ý][A-ZÀ-Ý'’.\- ]{1,40}(?:,[^—–\n]{1,60}?)?\s*(?:\([^)]{1,40}\))?\s*[—–-]{1,2}\s+"
)


def fold(text: str) -> str:
    """sahelbrief.normalize.match_key (NFKC, casefold, invisible characters dropped, punctuation
    to single spaces), with accents removed too."""
    if text.isascii():  # most English text: NFKC and invisible characters cannot apply
        return b" ".join(text.encode("ascii").translate(_ASCII_FOLD).split()).decode("ascii")
    return without_marks(match_key(text))


def folded_words(text: str) -> list[bytes]:
    """fold(text)'s words, as UTF-8: ASCII text is split straight from the translated bytes,
    without making the folded string and then splitting it again (pass 1 numbers nine million
    words at 10,000 articles: making each word twice took a sixth of the dedupe stage)."""
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_FOLD).split()
    return fold(text).encode("utf-8").split()


def strip_dateline(text: str) -> str:
    """`text` without a leading wire dateline ("BAMAKO (AFP) - ")."""
    if not text[:2].isupper():  # most paragraphs: no capitalised word at the start
        return text
    return _DATELINE.sub("", text, count=1)


def key_hash(words: list[bytes]) -> int:
    """A seedless 64-bit hash of folded words, UTF-8 (Python's hash() changes per process)."""
    return int(xxhash.xxh3_64_intdigest(b" ".join(words)))


def loose_hash(words: list[bytes]) -> int:
    """As key_hash with every digit read as 0: "© 2025 X" and "© 2026 X" are the same footer.
    Used for boilerplate only, never to decide that two facts are the same."""
    return key_hash([_DIGIT.sub("0", w.decode()).encode() for w in words])


def is_number(token: str) -> bool:
    # Folded tokens are runs of letters and digits: a number starts or ends with a digit
    # ("12", "1er", "g5", "covid19"); checking both ends is much faster than a regex.
    return token[0].isdigit() or token[-1].isdigit()


# Sentence-level breaks: a capital after one of these starts a sentence, not a name.
_SENTENCES = re.compile(r"[.!?…:;«»\"“”(—–]+")
_CAPITALISED = re.compile(r"(?<=[\s'’-])[A-ZÀ-ÖØ-Ý][\w'’-]*")


def names(text: str) -> frozenset[str]:
    """Folded words written with a capital where a sentence does not start: names of people,
    places, groups. A heuristic; the guard also treats every unmatched content word as a fact."""
    found: set[str] = set()
    for sentence in _SENTENCES.split(text):
        sentence = sentence.lstrip()
        first_space = sentence.find(" ")
        if first_space < 0:
            continue
        for word in _CAPITALISED.findall(sentence, first_space):
            found.update(fold(word).split())
    return frozenset(found)
