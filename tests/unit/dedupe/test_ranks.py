"""Word ranks (pipeline/dedupe/ranks.py) are fixed by the words alone: no site, no process and
no build history changes them."""

from __future__ import annotations

import dataclasses

from sahelbrief.config import DedupConfig
from sahelbrief.pipeline.dedupe import dedupe
from sahelbrief.pipeline.dedupe.memory import Memory, restore, snapshot
from sahelbrief.pipeline.dedupe.ranks import COMMON, COMMON_RANK, rank
from sahelbrief.pipeline.dedupe.rows import Vocabulary
from tests.unit.dedupe.helpers import article, evaluation_data, evaluation_module


def test_common_words_rank_last_the_commonest_last_of_all() -> None:
    listed = COMMON.split()
    assert len(set(listed)) == len(listed) == len(COMMON_RANK)
    assert [rank(word) for word in listed] == sorted(map(rank, listed), reverse=True)
    others = ["bamako", "djibo", "gunmen", "attacked", "2025", "ouagadougou", "armee2"]
    assert max(map(rank, others)) < min(map(rank, listed))
    assert max(COMMON_RANK.values()) < 1 << 21  # three ranks pack into 63 bits (near.py)


def test_ranks_are_the_same_in_every_process_and_version() -> None:
    # xxhash of the word (seedless): not Python's hash(), which changes with PYTHONHASHSEED.
    assert [rank(w) for w in ("bamako", "djibo", "ouagadougou")] == [240997, 885090, 657375]
    assert (rank("the"), rank("de"), rank("said")) == (2097151, 2097145, 2097115)


def test_a_word_ranks_the_same_whatever_the_site() -> None:
    config = DedupConfig()
    small, large = Vocabulary(), Vocabulary()
    small.rows(article("a.txt", "Gunmen attacked Djibo on Monday."), config)
    for a in evaluation_module().to_articles(evaluation_data()):
        large.rows(a, config)
    large.rows(article("b.txt", "Gunmen attacked Djibo on Monday."), config)
    small.rank_words()
    large.rank_words()
    for word in ("gunmen", "attacked", "djibo", "on", "monday"):
        key = word.encode()
        assert small.rank[small.numbers[key]] == large.rank[large.numbers[key]] == rank(word)


def test_a_stored_memory_with_counted_ranks_is_not_resumed() -> None:
    """A build cache written by a version that counted ranks on the site starts afresh."""
    articles = list(evaluation_module().to_articles(evaluation_data()))
    memory = Memory()
    dedupe(articles, memory=memory)
    stored = snapshot(memory)
    assert stored is not None
    assert restore(stored).engine is not None
    old = dict(stored, vocabulary=(stored["vocabulary"], [], None))
    assert restore(old).engine is None
    fresh = restore(old)
    assert dedupe(articles, memory=fresh) == dedupe(articles)
    assert dataclasses.astuple(fresh.config) == stored["config"]
