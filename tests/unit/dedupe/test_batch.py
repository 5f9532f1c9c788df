"""The near-duplicate join in bulk (pipeline/dedupe/batch.py) finds, paragraph by paragraph,
exactly what probing the index one 3-gram at a time finds, and leaves the same index."""

from __future__ import annotations

import random
from array import array

import pytest

from sahelbrief.config import DedupConfig
from sahelbrief.pipeline.dedupe import batch, dedupe, near
from sahelbrief.pipeline.dedupe.near import MAX_POSTINGS, Join, NearIndex, Place
from tests.unit.dedupe.helpers import evaluation_data, evaluation_module


def _window(rng: random.Random, words: list[int], first: int) -> dict[Place, array[int]]:
    """The paragraphs (some left out) of a few articles numbered from `first`, of words from a
    tiny vocabulary, so that 3-grams repeat within an article, within the window and across
    windows, past MAX_POSTINGS; a few paragraphs are under three words long (a long dateline,
    stripped)."""
    window = {}
    for a in range(first, first + rng.randrange(1, 4)):
        for k in range(rng.randrange(1, 12)):
            if rng.random() < 0.2:
                continue
            length = rng.choice([0, 1, 2]) if rng.random() < 0.1 else rng.randrange(3, 30)
            window[(a, k)] = array("I", [rng.choice(words) for _ in range(length)])
    return window


@pytest.mark.parametrize("chains", [1, 64])  # chains walked with numpy to the end, or not
@pytest.mark.parametrize(("seed", "words"), [(0, 3), (1, 3), (2, 8), (3, 8), (4, 400)])
def test_bulk_join_finds_what_one_at_a_time_finds(
    seed: int, words: int, chains: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(near, "_FEW_CHAINS", chains)
    rng = random.Random(seed)
    vocabulary = [rng.getrandbits(32) for _ in range(words)]  # word ids
    one, bulk = NearIndex(0.5, postings=64), NearIndex(0.5, postings=64)
    indexed = 0
    for first in range(0, 300, 3):
        ids = _window(rng, vocabulary, first)
        joins = (Join(one, ids), batch.BulkJoin(bulk, ids))
        for place in ids:
            found = [join.probe(place) for join in joins]
            assert found[0] == found[1]
            if rng.random() < 0.7:  # indexed unless it repeats another
                for join in joins:
                    join.add(place, indexed)
                indexed += 1
    assert one.snapshot() == bulk.snapshot()
    if words == 3:  # some 3-grams reached their cap
        assert max(one._key.tolist().count(k) for k in set(one._key)) == MAX_POSTINGS


@pytest.mark.parametrize("scope", ["site", "article"])
def test_passes_in_bulk_and_one_at_a_time_decide_the_same(
    scope: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    articles = list(evaluation_module().to_articles(evaluation_data()))
    config = DedupConfig(scope=scope)  # type: ignore[arg-type]
    monkeypatch.setattr(batch, "FEW", 0)
    in_bulk = dedupe(articles, config)
    monkeypatch.setattr(batch, "FEW", 1 << 30)
    assert dedupe(articles, config) == in_bulk
