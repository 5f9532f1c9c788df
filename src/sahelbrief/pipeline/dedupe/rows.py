"""Pass 1: each paragraph folded once into the keys and word ids the decisions use.

A row is a pure function of its paragraph (text and role) and the dedup settings, so the rows
of an article that did not change are reused from one build to the next (and all are made
again when a setting changed, memory.py).

Word ranks order the 3-grams of the near-duplicate join (see near.py). A word's rank is fixed
by the word alone (ranks.py), never by the site's text: an edit leaves every rank as it was,
so the decisions made before the edited article still hold (see memory.py).
"""

from __future__ import annotations

import itertools
from array import array
from collections.abc import Sequence
from dataclasses import dataclass

from sahelbrief.config import DedupConfig
from sahelbrief.model import Article, Paragraph
from sahelbrief.pipeline.dedupe.furniture import has_boilerplate_marker
from sahelbrief.pipeline.dedupe.tokens import folded, key_hash, loose_hash, strip_dateline
from sahelbrief.pipeline.dedupe.words import CHUNK, word_ids


@dataclass(slots=True)
class Row:
    exact: int
    size: int  # words
    loose: int | None  # boilerplate key, for short lines only
    ids: array[int]  # word ids (words.py) of the dateline-less text
    distinct: int  # how many different words `ids` has (the near-duplicate screen's set size)


Rows = tuple[Row | None, ...]
# Every article's rows in a few flat arrays (see pack): pickling 70,000 small tuples and arrays
# one by one took half a second each way at 5,000 articles.
PackedRows = tuple[
    list[bytes], "array[int]", bytes, "array[int]", "array[int]", bytes, "array[int]",
    "array[int]", "array[int]", "array[int]",
]  # fmt: skip


def pack(rows: dict[bytes, Rows]) -> PackedRows:
    """`rows` (by article fingerprint) as flat arrays: the keys, each article's number of
    rows, then for each row whether it is one, and each row's exact key, size, whether it
    has a loose key, the loose key (0 when not), its number of words, the word ids and how
    many differ."""
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


def rows_of(articles: Sequence[Article], config: DedupConfig) -> list[Rows]:
    """Pass 1 over `articles`: each paragraph's keys and word ids (words.py), the words of a
    few hundred paragraphs hashed together."""
    rows: list[Rows] = []
    group: list[Article] = []
    paragraphs = 0
    for article in articles:
        group.append(article)
        paragraphs += len(article.paragraphs)
        if paragraphs >= CHUNK:
            rows += _rows(group, config)
            group, paragraphs = [], 0
    return rows + _rows(group, config)


def _rows(articles: Sequence[Article], config: DedupConfig) -> list[Rows]:
    site = config.scope == "site"
    kept: list[tuple[Paragraph, bytes, bool]] = []  # folded, and whether it has no dateline
    texts: list[bytes] = []  # folded without the dateline, for the ids
    for article in articles:
        for p in article.paragraphs:
            if not p.removal:
                text = folded(p.text)
                stripped = strip_dateline(p.text)
                kept.append((p, text, stripped is p.text))
                texts.append(text if stripped is p.text else folded(stripped))
    ids, counts, distinct = word_ids(texts)
    made: list[Row] = []
    end = 0
    for (p, text, whole), count, different in zip(kept, counts, distinct, strict=True):
        size = count if whole else (text.count(b" ") + 1 if text else 0)
        row = Row(key_hash(text), size, None, ids[end : end + count], different)
        end += count
        if site and p.role != "title" and size <= config.boilerplate_max_words:
            # Digits are read as 0 only in lines that look like a footer ("© 2025 X"): a
            # short factual line with another number in each article is not boilerplate.
            row.loose = loose_hash(text) if has_boilerplate_marker(p.text) else row.exact
        made.append(row)
    rows = iter(made)
    return [
        tuple([None if p.removal else next(rows) for p in article.paragraphs])
        for article in articles
    ]
