"""The editor commands: `new` starts a story, `init` starts a project that builds and checks
clean at once, `check` builds without publishing and reports every problem at file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from sahelbrief.cli import main
from sahelbrief.pipeline import BuildOptions, build
from sahelbrief.pipeline.read.frontmatter import split
from tests.conftest import REPO, write_tree


@pytest.fixture
def newsroom(project: Path) -> Path:
    """A project folder `new` recognises: it has a content/ folder (or seeds/, or a
    sahelbrief.yaml)."""
    (project / "content").mkdir()
    return project


def test_new_refuses_a_folder_that_is_not_a_project(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Run in the wrong folder (the home folder), it made a content/ folder there.
    assert main(["new", "Headline", "-C", str(project), "--date", "2026-11-20"]) == 1
    err = capsys.readouterr().err
    assert "is not a sahelbrief project" in err and "sahelbrief init" in err
    assert list(project.iterdir()) == []
    (project / "seeds").mkdir()  # a project with seeds only
    assert main(["new", "Headline", "-C", str(project), "--date", "2026-11-20"]) == 0
    assert (project / "content" / "2026-11-20-headline.md").is_file()


def test_new_writes_a_dated_draft_with_front_matter(
    newsroom: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795543200")  # 2026-11-24T18:00Z
    headline = 'Mali: junta "extends" transition #2 — Tchad réagit'
    assert main(["new", headline, "-C", str(newsroom)]) == 0
    path = newsroom / "content" / "2026-11-24-mali-junta-extends-transition-2-tchad-reagit.md"
    assert path.is_file()
    assert "Created content/2026-11-24-mali-junta" in capsys.readouterr().out
    _, _, front = split(path.read_text(encoding="utf-8").splitlines(), "x.md")
    assert front is not None
    assert front.title == headline
    assert front.date is not None and front.date.isoformat() == "2026-11-24"
    assert front.draft is True
    # The draft is valid: the project builds with it (and shows it with --drafts).
    result = build(newsroom, BuildOptions(newsroom / "site", drafts=True))
    assert result.articles == 1


def test_new_refuses_to_overwrite(newsroom: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["new", "Niger reopens Gaya crossing", "-C", str(newsroom), "--date", "2026-11-20"]
    assert main(args) == 0
    path = newsroom / "content" / "2026-11-20-niger-reopens-gaya-crossing.md"
    path.write_text("edited by hand\n", encoding="utf-8")
    capsys.readouterr()
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "Error: content/2026-11-20-niger-reopens-gaya-crossing.md: already exists" in err
    assert path.read_text(encoding="utf-8") == "edited by hand\n"


def test_new_needs_a_headline_with_letters(
    newsroom: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new", "!!!", "-C", str(newsroom), "--date", "2026-11-20"]) == 1
    assert "letters or digits" in capsys.readouterr().err


def test_init_creates_a_project_that_builds_and_checks_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "newbrief"
    assert main(["init", str(target)]) == 0
    for name in ("sahelbrief.yaml", "seeds/sample.txt", "content/about.md", ".gitignore"):
        assert (target / name).is_file(), name
    assert (target / "static").is_dir()
    config = (target / "sahelbrief.yaml").read_text(encoding="utf-8")
    assert config.count("\n#") > 10  # explained, key by key
    assert main(["build", str(target), "-q"]) == 0
    assert (target / "site" / "index.html").is_file()
    assert (target / "site" / "feed.xml").is_file()
    capsys.readouterr()
    assert main(["check", str(target)]) == 0
    captured = capsys.readouterr()
    assert "No problems" in captured.out
    assert "Warning: sahelbrief.yaml: base_url still points at the example domain" in captured.err
    assert main(["check", str(target), "--base-url", "https://example.org/brief/"]) == 0
    warned = capsys.readouterr().err
    assert "Warning: --base-url: base_url still points at the example domain" in warned


def test_init_documents_every_config_key(tmp_path: Path) -> None:
    from dataclasses import fields

    from sahelbrief.config import Config

    assert main(["init", str(tmp_path / "b")]) == 0
    text = (tmp_path / "b" / "sahelbrief.yaml").read_text(encoding="utf-8")
    for field in fields(Config):
        assert f"{field.name}:" in text, field.name


def test_init_refuses_a_folder_with_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "keep.txt").write_text("mine", encoding="utf-8")
    assert main(["init", str(tmp_path)]) == 1
    assert "not an empty folder" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]


BROKEN = """
-- sahelbrief.yaml --
base_url: https://news.sahel.test/brief/
-- content/2026-11-20-links.md --
---
title: Links
date: 2026-11-20
---

See [about](/about/) and [a story that does not exist](/articles/nope/).

And [a missing anchor](/about/#nowhere) and [an anchor that exists](/about/#our-rules).
-- content/about.md --
---
title: About
kind: page
slug: about
---

## Our rules

We check.
"""


def test_check_reports_broken_links_and_anchors_at_the_source_line(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_tree(project, BROKEN)
    assert main(["check", str(project)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "Error: content/2026-11-20-links.md:6: link to /brief/articles/nope/: no such page or "
        "file in the built site",
        "Error: content/2026-11-20-links.md:8: link to /brief/about/#nowhere: no element with "
        'id="nowhere" on about/index.html',
        "Check failed: 2 problems.",
    ]
    assert not (project / "site").exists()  # nothing published


def test_check_reports_every_source_and_config_problem(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_tree(
        project,
        """
-- sahelbrief.yaml --
per_page: many
-- content/a.md --
---
date: yesterday
---
Text.
""",
    )
    assert main(["check", str(project)]) == 1
    err = capsys.readouterr().err
    assert "Error: sahelbrief.yaml:1: per_page: must be a whole number" in err
    project.joinpath("sahelbrief.yaml").write_text("per_page: 5\n", encoding="utf-8")
    assert main(["check", str(project)]) == 1
    err = capsys.readouterr().err
    assert "Error: content/a.md:2: front matter: date: must be a date" in err


def test_check_passes_on_the_repository_at_a_subpath(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(REPO), "--base-url", "https://sahel.example.net/brief/"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("No problems: ")


def test_check_warns_when_base_url_is_a_path(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_tree(project, "-- content/about.md --\n---\ntitle: About\nkind: page\n---\nHi.\n")
    assert main(["check", str(project)]) == 0
    err = capsys.readouterr().err
    assert "Warning: sahelbrief.yaml: base_url '/' is a path, so no feeds, sitemaps" in err
