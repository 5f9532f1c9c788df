"""Which articles ahead have a 3-gram (pipeline/dedupe/grams.py): the numpy arrays and the
Python sets used for a few articles give the same answers."""

from __future__ import annotations

import random
from array import array

import pytest

from sahelbrief.config import DedupConfig
from sahelbrief.identity import ByIdentity
from sahelbrief.pipeline.dedupe import grams
from sahelbrief.pipeline.dedupe.near import shingles_of
from sahelbrief.pipeline.dedupe.rows import rows_of
from tests.unit.dedupe.helpers import evaluation_data, evaluation_module


def test_arrays_and_sets_find_the_same_articles(monkeypatch: pytest.MonkeyPatch) -> None:
    articles = list(evaluation_module().to_articles(evaluation_data()))
    rows = rows_of(articles, DedupConfig())
    rng = random.Random(11)
    paragraphs = [row for some in rows for row in some if row is not None and row.size >= 8]
    monkeypatch.setattr(grams, "FEW", 0)
    arrays = grams.Grams(rows, 8)
    monkeypatch.setattr(grams, "FEW", 1 << 30)
    sets = grams.Grams(rows, 8)
    for _ in range(30):
        features = {rng.getrandbits(62) for _ in range(5)}
        for row in rng.sample(paragraphs, 3):
            features |= set(rng.sample(sorted(shingles_of(row.ids)), 2))
        found = arrays.having(features)
        assert found == sets.having(features)
        assert found  # the 3-grams of three real paragraphs are found


def test_3_grams_known_from_earlier_passes_give_the_same_answers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A resumed pass in the preview's process takes each article's packed 3-grams from the
    last passes by its rows (the very object); a changed article's rows are new, and packed."""
    articles = list(evaluation_module().to_articles(evaluation_data()))
    rows = rows_of(articles, DedupConfig())
    assert len(rows) >= grams.FEW + 21
    packed: list[int] = []  # paragraphs packed by each pass that knows earlier ones
    pack = grams.pack

    def counting(ids: list[array[int]]) -> object:
        packed[-1] += len(ids)
        return pack(ids)

    rng = random.Random(5)
    known: grams.Packed = ByIdentity()
    for number in range(4):
        ahead = rows[number * 7 :]  # a pass resumed at another article each time...
        if number == 2:  # ... and one with articles whose rows were made again
            ahead = [(*some,) if n % 3 else some for n, some in enumerate(ahead)]
        fresh = grams.Grams(ahead, 8)
        packed.append(0)
        monkeypatch.setattr(grams, "pack", counting)
        remembered = grams.Grams(ahead, 8, known)
        monkeypatch.setattr(grams, "pack", pack)
        assert (fresh._grams == remembered._grams).all()  # type: ignore[union-attr]
        assert (fresh._owners == remembered._owners).all()
        paragraphs = [row for some in ahead for row in some if row is not None and row.size >= 8]
        for _ in range(10):
            features = {rng.getrandbits(62)}
            for row in rng.sample(paragraphs, 2):
                features |= set(rng.sample(sorted(shingles_of(row.ids)), 2))
            assert fresh.having(features) == remembered.having(features)
    assert packed[0] > 0 and packed[1] == 0  # the second pass packs nothing again
    assert 0 < packed[2] < packed[0]  # only the rows made again
