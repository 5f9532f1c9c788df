"""Which articles ahead have a 3-gram (pipeline/dedupe/grams.py): the numpy arrays and the
Python sets used for a few articles give the same answers."""

from __future__ import annotations

import random

import pytest

from sahelbrief.config import DedupConfig
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
