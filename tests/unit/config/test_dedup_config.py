"""The `dedup:` section of sahelbrief.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest

from sahelbrief.config import DedupConfig, load_config
from sahelbrief.errors import BuildFailed


def _load(tmp_path: Path, text: str) -> DedupConfig:
    (tmp_path / "sahelbrief.yaml").write_text(text, "utf-8")
    return load_config(tmp_path).dedup


def test_defaults_are_news_ready(tmp_path: Path) -> None:
    dedup = load_config(tmp_path).dedup
    assert dedup == DedupConfig()
    assert (dedup.scope, dedup.containment, dedup.min_words, dedup.story_share) == (
        "site",
        0.8,
        8,
        0.6,
    )


def test_values_are_read(tmp_path: Path) -> None:
    dedup = _load(tmp_path, "dedup:\n  scope: article\n  containment: 0.9\n  min_words: 10\n")
    assert (dedup.scope, dedup.containment, dedup.min_words) == ("article", 0.9, 10)


def test_every_problem_is_reported_with_its_key(tmp_path: Path) -> None:
    text = (
        "title: T\n"
        "dedup:\n"
        "  scope: everywhere\n"
        "  containment: 2\n"
        "  min_words: many\n"
        "  near: yes please\n"
        "  threshold: 0.5\n"
    )
    with pytest.raises(BuildFailed) as failed:
        _load(tmp_path, text)
    messages = [str(e) for e in failed.value.errors]
    assert len(messages) == 5
    joined = "\n".join(messages)
    for line, key in enumerate(("dedup.scope", "dedup.containment", "dedup.min_words"), 3):
        assert f"sahelbrief.yaml:{line}: {key}:" in joined
    assert "sahelbrief.yaml:6: dedup.near: must be true or false" in joined
    assert (
        "sahelbrief.yaml:7: dedup.threshold: unknown key (known keys: boilerplate_max_w" in joined
    )


def test_dedup_must_be_a_mapping(tmp_path: Path) -> None:
    with pytest.raises(BuildFailed) as failed:
        _load(tmp_path, "dedup: site\n")
    assert "dedup: must be a mapping" in str(failed.value.errors[0])


def test_empty_section_means_defaults(tmp_path: Path) -> None:
    assert _load(tmp_path, "dedup:\n") == DedupConfig()
