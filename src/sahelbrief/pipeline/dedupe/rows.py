"""Pass 1: each paragraph folded once into the keys and word numbers the decisions use.

A row is a pure function of its article's text and the vocabulary's numbering, which only ever
grows, so the rows of an article that did not change are reused from one build to the next.

Word ranks order the 3-grams of the near-duplicate join (see near.py). A word's rank is fixed
by the word alone (ranks.py), never by the site's text: an edit leaves every rank as it was,
so the decisions made before the edited article still hold (see memory.py).
"""

from __future__ import annotations

import itertools
from array import array
from dataclasses import dataclass
from typing import cast

from sahelbrief.config import DedupConfig
from sahelbrief.model import Article
from sahelbrief.pipeline.dedupe import ranks
from sahelbrief.pipeline.dedupe.furniture import has_boilerplate_marker
from sahelbrief.pipeline.dedupe.tokens import folded_words, key_hash, loose_hash, strip_dateline


@dataclass(slots=True)
class Row:
    exact: int
    size: int  # words
    loose: int | None  # boilerplate key, for short lines only
    ids: array[int]  # word numbers of the dateline-less text
    distinct: int  # how many different words `ids` has (the near-duplicate screen's set size)


Rows = tuple[Row | None, ...]
VocabularySnapshot = dict[bytes, int]  # word -> number; the ranks follow from the words
# Every article's rows in a few flat arrays (see pack): pickling 70,000 small tuples and arrays
# one by one took half a second each way at 5,000 articles.
PackedRows = tuple[
    list[bytes], "array[int]", bytes, "array[int]", "array[int]", bytes, "array[int]",
    "array[int]", "array[int]", "array[int]",
]  # fmt: skip


def pack(rows: dict[bytes, Rows]) -> PackedRows:
    """`rows` (by article fingerprint) as flat arrays: the keys, each article's number of
    rows, then for each row whether it is one, and each row's exact key, size, whether it
    has a loose key, the loose key (0 when not), its number of words, the words and how many
    differ."""
    counts, present, exact, size = array("I"), bytearray(), array("Q"), array("I")
    has_loose, loose, lengths, ids = bytearray(), array("Q"), array("I"), array("I")
    distinct = array("I")
    for some in rows.values():
        counts.append(len(some))
        for row in some:
            present.append(row is not None)
            if row is None:
                continue
            exact.append(row.exact)
            size.append(row.size)
            has_loose.append(row.loose is not None)
            loose.append(row.loose or 0)
            lengths.append(len(row.ids))
            ids.extend(row.ids)
            distinct.append(row.distinct)
    return (
        list(rows), counts, bytes(present), exact, size, bytes(has_loose), loose, lengths, ids,
        distinct,
    )  # fmt: skip


def unpack(packed: PackedRows) -> dict[bytes, Rows]:
    keys, counts, present, exact, size, has_loose, loose, lengths, ids, distinct = packed
    looses = [key if has else None for key, has in zip(loose, has_loose, strict=True)]
    ends = list(itertools.accumulate(lengths))
    made = iter(
        [
            Row(key, words, loose_key, ids[end - length : end], different)
            for key, words, loose_key, length, end, different in zip(
                exact, size, looses, lengths, ends, distinct, strict=True
            )
        ]
    )
    flags = iter(present)
    return {
        key: tuple([next(made) if next(flags) else None for _ in range(count)])
        for key, count in zip(keys, counts, strict=True)
    }


class Vocabulary:
    """Word -> number (first seen, never renumbered) and number -> rank."""

    def __init__(self) -> None:
        self.numbers: dict[bytes, int] = {}  # by the word's UTF-8
        self.words: list[str] = []
        self.rank: list[int] = []

    def row(self, text: str, config: DedupConfig, site: bool, title: bool) -> Row:
        words = folded_words(text)
        stripped = strip_dateline(text)
        numbers = self._numbered(words if stripped is text else folded_words(stripped))
        size = len(words)
        row = Row(key_hash(words), size, None, array("I", numbers), len(set(numbers)))
        if site and not title and size <= config.boilerplate_max_words:
            # Digits are read as 0 only in lines that look like a footer ("© 2025 X"): a short
            # factual line with another number in each article is not boilerplate.
            marked = has_boilerplate_marker(text)
            row.loose = loose_hash(words) if marked else row.exact
        return row

    def _numbered(self, words: list[bytes]) -> list[int]:
        """The words' numbers, new words numbered as they come."""
        numbers = self.numbers
        found = list(map(numbers.get, words))  # one C loop: most words are known already
        if None in found:
            setdefault = numbers.setdefault
            return [setdefault(word, len(numbers)) for word in words]
        return cast("list[int]", found)

    def rows(self, article: Article, config: DedupConfig) -> Rows:
        site = config.scope == "site"
        return tuple(
            None if p.removal else self.row(p.text, config, site, p.role == "title")
            for p in article.paragraphs
        )

    def rank_words(self) -> None:
        """Name and rank the words numbered since the last call."""
        if len(self.words) < len(self.numbers):
            new = [w.decode() for w in itertools.islice(self.numbers, len(self.words), None)]
            self.words.extend(new)
            self.rank.extend(map(ranks.rank, new))

    def snapshot(self) -> VocabularySnapshot:
        return self.numbers

    @classmethod
    def restore(cls, snapshot: VocabularySnapshot) -> Vocabulary:
        if not isinstance(snapshot, dict):  # of an older version, with ranks of its own
            raise TypeError(type(snapshot).__name__)
        vocabulary = cls()
        vocabulary.numbers = snapshot
        vocabulary.rank_words()
        return vocabulary
