"""Config keys for news: topics (the gazetteer), edition_group, lead_paragraphs; and the clock."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sahelbrief.clock import build_date
from sahelbrief.config import load_config
from sahelbrief.errors import BuildFailed, ConfigError


def test_project_topics_merge_over_the_default_gazetteer(project: Path) -> None:
    (project / "sahelbrief.yaml").write_text(
        "topics:\n"
        "  Fisheries: [fishing, pêche]\n"
        "  Wagner Group: [Wagner]\n"
        "  Migration:\n"
        "edition_group: topic\n"
        "lead_paragraphs: 3\n",
        encoding="utf-8",
    )
    config = load_config(project)
    topics = dict(config.topics)
    assert topics["Fisheries"] == ("fishing", "pêche")
    assert topics["Wagner Group"] == ("Wagner",)  # replaced
    assert "Migration" not in topics  # removed by naming it with no terms
    assert "JNIM" in topics  # the rest of the default stays
    assert (config.edition_group, config.lead_paragraphs) == ("topic", 3)


def test_a_project_gazetteer_file_replaces_the_themes(project: Path) -> None:
    (project / "templates").mkdir()
    (project / "templates/gazetteer.yaml").write_text("Only: [this]\n", encoding="utf-8")
    assert load_config(project).topics == (("Only", ("this",)),)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("title: T\ntopics: [a, b]\n", 2, "topics: must be a mapping"),
        ("topics:\n  Coups: {a: 1}\n", 1, "topics: Coups: must be a list of terms"),
        ("edition_group: region\n", 1, "must be one of country, topic"),
        ("lead_paragraphs: -1\n", 1, "must be at least 0"),
    ],
)
def test_bad_news_keys_are_reported_at_their_line(
    project: Path, text: str, line: int, message: str
) -> None:
    (project / "sahelbrief.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(BuildFailed) as caught:
        load_config(project)
    (error,) = caught.value.errors
    assert (error.path, error.line) == ("sahelbrief.yaml", line)
    assert message in error.message


def test_now_comes_from_source_date_epoch() -> None:
    # 1795564800 is 2026-11-25 00:00 UTC: still the 24th in a time zone west of UTC.
    assert build_date("UTC", {"SOURCE_DATE_EPOCH": "1795564800"}) == dt.date(2026, 11, 25)
    environ = {"SOURCE_DATE_EPOCH": "1795564800"}
    assert build_date("America/New_York", environ) == dt.date(2026, 11, 24)


def test_without_source_date_epoch_now_is_today() -> None:
    assert abs((build_date("UTC", {}) - dt.date.today()).days) <= 1


def test_a_bad_source_date_epoch_is_an_error() -> None:
    with pytest.raises(ConfigError, match="SOURCE_DATE_EPOCH"):
        build_date("UTC", {"SOURCE_DATE_EPOCH": "yesterday"})
