"""The report's dedupe fields and its reconciliation."""

from __future__ import annotations

import dataclasses

import pytest

from sahelbrief.errors import BuildFailed
from sahelbrief.model import Entry
from sahelbrief.pipeline.dedupe import dedupe
from sahelbrief.report import build_report, reconcile
from tests.unit.dedupe.helpers import article

TEXT = "Gunmen killed 12 soldiers in an attack on a military post near Menaka, the army said."


def _entries() -> list[Entry]:
    result = dedupe(
        [
            article("a.txt", TEXT, "Read more"),
            article("b.txt", TEXT.replace("said", "says"), day=2),
        ]
    )
    return [Entry(a, f"/{a.slug}/", f"{a.slug}/index.html") for a in result.articles]


def test_removed_paragraphs_carry_reason_duplicate_of_and_similarity() -> None:
    report = build_report(_entries(), [])
    a, b = report["articles"]
    assert a["paragraphs"][2] == {
        "line": 3,
        "role": "body",
        "status": "removed",
        "reason": "furniture",
    }
    removed = b["paragraphs"][1]
    assert removed["reason"] == "near"
    assert removed["duplicate_of"] == {"source": "a.txt", "line": 2}
    assert 0.9 <= removed["similarity"] < 1
    assert report["summary"]["removed_by_reason"] == {"furniture": 1, "near": 1}
    assert report["summary"]["kept"] + report["summary"]["removed"] == 5


def test_merged_article_has_status_and_story() -> None:
    entries = _entries()
    entries[1] = dataclasses.replace(
        entries[1], article=dataclasses.replace(entries[1].article, merged_into="a.txt")
    )
    report = build_report(entries, [])
    assert report["articles"][1]["status"] == "merged"
    assert report["articles"][1]["duplicate_story_of"] == "a.txt"
    assert report["summary"]["merged"] == 1


def test_build_fails_when_paragraphs_do_not_reconcile() -> None:
    articles = [e.article for e in _entries()]
    reconcile(articles, {"a.txt": 3, "b.txt": 2})
    with pytest.raises(BuildFailed) as failed:
        reconcile(articles, {"a.txt": 4, "b.txt": 2})
    assert "a.txt: paragraphs do not reconcile: 4 read, 2 kept + 1 removed" in str(
        failed.value.errors[0]
    )
    twice = dataclasses.replace(articles[1], paragraphs=articles[1].paragraphs * 2)
    with pytest.raises(BuildFailed) as failed:
        reconcile([articles[0], twice], {"a.txt": 3, "b.txt": 4})
    assert "b.txt: a paragraph is accounted for twice" in str(failed.value.errors[0])
