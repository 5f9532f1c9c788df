"""Quality on real news text (tests/data/dedup-eval.json, see tests/data/README.md): precision
and recall of paragraph merges against the planted ground truth, and no hard negative merged."""

from __future__ import annotations

from typing import Any

import pytest

from sahelbrief.pipeline.dedupe import dedupe
from tests.unit.dedupe.helpers import evaluation_data, evaluation_module


@pytest.fixture(scope="module")
def scored() -> tuple[dict[str, Any], dict[str, Any]]:
    evaluation = evaluation_module()
    data = evaluation_data()
    result = dedupe(evaluation.to_articles(data))
    return data, evaluation.score(data, result.articles)


def test_the_set_plants_every_kind(scored: tuple[dict[str, Any], dict[str, Any]]) -> None:
    data, _ = scored
    truth = data["truth"]
    assert {d["kind"] for d in truth["duplicates"]} >= {
        "verbatim", "typography", "reporting-verb", "adverb", "spelling", "typo", "trimmed",
        "dateline", "split", "combined", "update", "attribution",
    }  # fmt: skip
    assert {h["kind"] for h in truth["hard_negatives"]} >= {
        "number", "number-word", "weekday", "month", "place", "negation", "antonym", "hedge",
        "qualifier",
    }  # fmt: skip
    assert len(truth["duplicates"]) >= 100 and len(truth["hard_negatives"]) >= 50


def test_precision_at_least_0_99(scored: tuple[dict[str, Any], dict[str, Any]]) -> None:
    _, score = scored
    assert score["precision"] >= 0.99, score["wrong"]


def test_recall_at_least_0_95(scored: tuple[dict[str, Any], dict[str, Any]]) -> None:
    _, score = scored
    assert score["recall"] >= 0.95, score["missed"]


def test_no_hard_negative_is_merged(scored: tuple[dict[str, Any], dict[str, Any]]) -> None:
    _, score = scored
    assert score["hard_negative_merges"] == []


def test_boilerplate_furniture_and_short_facts(
    scored: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    data, score = scored
    truth = data["truth"]
    assert score["boilerplate_found"] == len(truth["boilerplate"])
    assert score["furniture_found"] == len(truth["furniture"])
    assert score["short_facts_kept"] == len(truth["short_facts"])


def test_copies_are_merged_and_updates_are_not(
    scored: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    data, score = scored
    assert score["stories_merged"] == len(data["truth"]["stories"])
    assert score["updates_merged"] == 0
