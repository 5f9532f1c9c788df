"""Word ids (pipeline/dedupe/words.py) and ranks (ranks.py) are fixed by the words alone: no
site, no process and no build history changes them."""

from __future__ import annotations

import dataclasses
import random

import pytest

from sahelbrief.config import DedupConfig
from sahelbrief.pipeline.dedupe import dedupe, ranks, words
from sahelbrief.pipeline.dedupe.memory import Memory, restore, snapshot
from sahelbrief.pipeline.dedupe.ranks import COMMON, COMMON_RANK
from sahelbrief.pipeline.dedupe.rows import rows_of
from sahelbrief.pipeline.dedupe.tokens import folded
from tests.unit.dedupe.helpers import article, evaluation_data, evaluation_module


def rank(word: str) -> int:
    """The word's place in the order of the join: low for most words, high for common ones."""
    return ranks.of(words.word_id(word.encode()))


def test_common_words_rank_last_the_commonest_last_of_all() -> None:
    listed = COMMON.split()
    assert len(set(listed)) == len(listed) == len(COMMON_RANK)
    assert [rank(word) for word in listed] == sorted(map(rank, listed), reverse=True)
    others = ["bamako", "djibo", "gunmen", "attacked", "2025", "ouagadougou", "armee2"]
    assert max(map(rank, others)) < min(map(rank, listed))
    assert max(COMMON_RANK.values()) < 1 << 21  # three ranks pack into 63 bits (near.py)


def test_ids_and_ranks_are_the_same_in_every_process_and_version() -> None:
    # A hash of the word's bytes: not Python's hash(), which changes with PYTHONHASHSEED.
    ids = [words.word_id(w) for w in (b"bamako", b"djibo", b"ouagadougou", "sécurité".encode())]
    assert ids == [1645191420, 526416431, 726513788, 4141402159]
    assert [rank(w) for w in ("bamako", "djibo", "ouagadougou")] == [1024252, 31279, 899196]
    assert (rank("the"), rank("de"), rank("said")) == (2097151, 2097145, 2097115)


@pytest.mark.parametrize("seed", range(4))
def test_ids_made_in_bulk_are_those_made_one_word_at_a_time(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """numpy reads each word 8 bytes at a time from the joined texts: words of every length
    around those 8 bytes, UTF-8, empty texts and the last word of all."""
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz0123456789éüœ’"
    texts = [
        " ".join(
            "".join(rng.choices(letters, k=rng.choice([1, 2, 7, 8, 9, 15, 16, 17, 33])))
            for _ in range(rng.randrange(0, 40))
        ).encode()
        for _ in range(700)
    ]
    in_bulk = words.word_ids(texts)
    monkeypatch.setattr(words, "FEW", 1 << 30)
    assert in_bulk == words.word_ids(texts)
    flat, counts, distinct = in_bulk
    assert sum(counts) == len(flat) > 0
    assert distinct[0] == len({words.word_id(w) for w in texts[0].split()})


def test_common_words_have_ids_apart() -> None:
    """Every common word has its own id, and its own slot in the table ranks.of_all reads."""
    ids = {words.word_id(w.encode()) for w in COMMON.split()}
    assert len(ids) == len(COMMON_RANK)
    assert len({i & 0xFFFF for i in ids}) == len(ids)


@pytest.mark.parametrize("bulk", [True, False])
def test_ids_are_made_of_folded_texts_only(bulk: bool) -> None:
    """Words are separated by one space, as in folded text: anything else is refused, never
    hashed into ids of the wrong words; any other byte is part of a word, in both ways."""
    others = [b"c d"] * (words.FEW if bulk else 1)
    for text in (b"a  b", b" a", b"a ", b" "):
        with pytest.raises(ValueError, match="folded"):
            words.word_ids([text, *others])
    ids, counts, _ = words.word_ids([b"a\tb", *others])
    assert counts[0] == 1 and ids[0] == words.word_id(b"a\tb")


def test_ranks_of_many_ids_are_those_of_each() -> None:
    import numpy as np

    listed = [w.encode() for w in COMMON.split()] + [b"bamako", b"djibo", b"x" * 30]
    ids = [words.word_id(w) for w in listed]
    assert ranks.of_all(np.array(ids, dtype=np.uint32)).tolist() == list(map(ranks.of, ids))


def test_a_word_has_the_same_id_whatever_the_site() -> None:
    config = DedupConfig()
    story = "Gunmen attacked Djibo on Monday."
    small = rows_of([article("a.txt", story)], config)
    large = rows_of(
        [*evaluation_module().to_articles(evaluation_data()), article("b.txt", story)], config
    )
    expected = [words.word_id(w) for w in folded(story).split()]
    for rows in (small[0], large[-1]):
        row = rows[-1]
        assert row is not None and row.ids.tolist() == expected


def test_a_stored_memory_with_numbered_words_is_not_resumed() -> None:
    """A build cache written by a version that numbered words per site starts afresh."""
    articles = list(evaluation_module().to_articles(evaluation_data()))
    memory = Memory()
    dedupe(articles, memory=memory)
    stored = snapshot(memory)
    assert stored is not None
    assert restore(stored).engine is not None
    old = {k: v for k, v in stored.items() if k != "word_ids"} | {"vocabulary": {b"the": 0}}
    assert restore(old).engine is None
    fresh = restore(old)
    assert dedupe(articles, memory=fresh) == dedupe(articles)
    assert dataclasses.astuple(fresh.config) == stored["config"]
