"""Story clustering and cross-article repeats, seen from the built site and the report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sahelbrief.pipeline import build
from tests.cli.dedup_project import EXTRA, write_project


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    project = write_project(tmp_path_factory.mktemp("project"))
    result = build(project)
    return project / "site", result.report


def _row(report: dict[str, Any], source: str) -> dict[str, Any]:
    return next(row for row in report["articles"] if row["source"] == source)


def test_copy_is_reported_merged_paragraph_by_paragraph(
    site: tuple[Path, dict[str, Any]],
) -> None:
    _, report = site
    copy = _row(report, "seeds/2026-03-02-copy.txt")
    assert copy["status"] == "merged"
    assert copy["duplicate_story_of"] == "seeds/2026-03-01-wire.txt"
    body = [p for p in copy["paragraphs"] if p["role"] != "title"]
    assert [p["status"] for p in body] == ["removed", "removed", "removed", "kept"]
    assert body[0]["reason"] == "near" and 0.8 <= body[0]["similarity"] <= 1
    assert body[0]["duplicate_of"] == {"source": "seeds/2026-03-01-wire.txt", "line": 5}
    assert body[1]["reason"] == "exact"
    assert report["summary"]["merged"] == 1


def test_update_with_a_changed_fact_is_not_merged(site: tuple[Path, dict[str, Any]]) -> None:
    _, report = site
    update = _row(report, "seeds/2026-03-04-update.txt")
    assert "status" not in update
    assert update["paragraphs"][1]["status"] == "kept"  # 15 soldiers, not 12
    assert any(
        item["paragraph"] == {"source": "seeds/2026-03-04-update.txt", "line": 2}
        and "15" in item["kept_because"]
        for item in report["lookalikes"]
    )


def test_story_is_listed_once_and_names_every_source(site: tuple[Path, dict[str, Any]]) -> None:
    out, _ = site
    copy_url = "/articles/attack-on-army-post-near-menaka-kills-12/"
    story_url = "/articles/twelve-soldiers-killed-near-menaka/"
    listings = {
        path: path.read_text("utf-8")
        for path in out.rglob("*.html")
        if "attack-on-army-post" not in path.as_posix()
    }
    assert any(story_url in html for html in listings.values())
    assert not [path for path, html in listings.items() if copy_url in html]
    story = (out / "articles/twelve-soldiers-killed-near-menaka/index.html").read_text("utf-8")
    assert "Also reported by: " in story and "https://daily.example/menaka" in story
    assert "Daily Bamako" in story
    assert EXTRA.split(",")[0] in story  # the paragraph only the copy has


def test_copy_url_still_works_and_points_to_the_story(site: tuple[Path, dict[str, Any]]) -> None:
    out, _ = site
    copy = (out / "articles/attack-on-army-post-near-menaka-kills-12/index.html").read_text("utf-8")
    assert '<link rel="canonical" href="/articles/twelve-soldiers-killed-near-menaka/">' in copy
    assert 'http-equiv="refresh"' in copy


def test_repeated_background_is_replaced_by_a_note(site: tuple[Path, dict[str, Any]]) -> None:
    out, report = site
    later = _row(report, "seeds/2026-03-03-background.txt")
    assert later["paragraphs"][-1]["status"] == "removed"
    assert later["paragraphs"][-1]["duplicate_of"]["source"] == "seeds/2026-03-01-analysis.txt"
    page = (out / "articles/junta-extends-transition-by-five-years/index.html").read_text("utf-8")
    assert 'class="repeat-note"' in page
    assert 'href="/articles/why-the-junta-is-struggling/"' in page
    assert "Russian mercenaries" not in page


def test_scope_article_keeps_repeats_across_articles(tmp_path: Path) -> None:
    project = write_project(tmp_path)
    (project / "sahelbrief.yaml").write_text("dedup:\n  scope: article\n", "utf-8")
    report = build(project).report
    assert report["summary"]["removed"] == 0
    assert report["summary"]["merged"] == 0


def test_copy_is_in_no_feed_and_no_sitemap(tmp_path: Path) -> None:
    project = write_project(tmp_path)
    (project / "sahelbrief.yaml").write_text("base_url: https://brief.example/\n", "utf-8")
    build(project)
    out = project / "site"
    for name in ("feed.xml", "rss.xml", "feed.json", "sitemap.xml", "news-sitemap.xml"):
        text = (out / name).read_text("utf-8")
        assert "attack-on-army-post-near-menaka-kills-12" not in text, name
    assert "twelve-soldiers-killed-near-menaka" in (out / "feed.xml").read_text("utf-8")
