from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from sahelbrief import theme
from sahelbrief.cli import main
from tests.conftest import REPO, age, tree_bytes, write_tree

GOOD = """
-- seeds/2026-11-20-story.txt --
Niger reopens border crossing
Niger reopened the crossing on Thursday.
Traders welcomed the decision. Queues formed at dawn.
Traders welcomed the decision. Queues formed at dawn.
-- content/about.md --
---
title: About
kind: page
---
About us.
"""


def run(*args: str) -> tuple[int, str, str]:
    result = subprocess.run(
        [sys.executable, "-m", "sahelbrief", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO / "src")},
        timeout=120,
    )
    return result.returncode, result.stdout, result.stderr


def test_build_prints_a_summary_and_writes_the_report(project: Path) -> None:
    write_tree(project, GOOD)
    code, out, err = run("build", str(project), "--report", str(project / "report.json"))
    assert code == 0, err
    assert out.startswith("Built 1 article and 1 page: ")
    assert "1 of 5 paragraphs removed as repeats" in out
    report = json.loads((project / "report.json").read_text())
    assert report["version"] == 1
    summary = report["summary"]
    assert {k: summary[k] for k in ("articles", "paragraphs", "removed")} == {
        "articles": 2,
        "paragraphs": 5,
        "removed": 1,
    }
    story = next(a for a in report["articles"] if a["source"] == "seeds/2026-11-20-story.txt")
    assert story["url"] == "/articles/niger-reopens-border-crossing/"
    assert story["output"] == "articles/niger-reopens-border-crossing/index.html"
    assert story["title_line"] == 1
    assert story["paragraphs"][-1] == {
        "line": 4,
        "role": "body",
        "status": "removed",
        "reason": "exact",
        "duplicate_of": {"source": "seeds/2026-11-20-story.txt", "line": 3},
        "similarity": 1.0,
    }
    assert (project / "site" / story["output"]).is_file()


def test_every_bad_file_is_reported_and_the_old_site_stays(project: Path) -> None:
    write_tree(project, GOOD)
    assert main(["build", str(project), "-q"]) == 0
    before = tree_bytes(project / "site")
    write_tree(
        project,
        """
-- content/bad-date.md --
---
title: Bad
date: yesterday
---
Text.
-- content/no-title.md --
---
author: Someone
---
Text.
""",
    )
    code, out, err = run("build", str(project))
    assert code == 1
    assert "Error: content/bad-date.md:3: front matter: date: must be a date" in err
    assert "Error: content/no-title.md:2: front matter has no title" in err
    assert "Traceback" not in err
    assert out == ""
    assert tree_bytes(project / "site") == before


def test_traceback_only_with_verbose(project: Path) -> None:
    write_tree(project, "-- sahelbrief.yaml --\ncolour: red\n")
    code, _, err = run("build", str(project))
    assert code == 1 and "Traceback" not in err
    assert "Error: sahelbrief.yaml:1: colour: unknown key" in err
    code, _, err = run("build", str(project), "-v")
    assert code == 1 and "Traceback" in err


def test_output_folder_and_base_url_options(project: Path, tmp_path: Path) -> None:
    write_tree(project, GOOD)
    out = tmp_path / "public"
    code = main(["build", str(project), "-o", str(out), "--base-url", "https://ex.org/b/", "-q"])
    assert code == 0
    assert 'href="/b/about/"' in (out / "index.html").read_text()
    assert not (project / "site").exists()


def test_drafts_flag(project: Path) -> None:
    write_tree(project, GOOD + "-- content/d.md --\n---\ntitle: Draft one\ndraft: true\n---\nX.\n")
    assert main(["build", str(project), "-q"]) == 0
    assert not (project / "site/articles/draft-one").exists()
    assert main(["build", str(project), "-q", "--drafts"]) == 0
    assert (project / "site/articles/draft-one/index.html").is_file()


def test_files_not_produced_by_the_build_do_not_survive_but_static_is_copied(
    project: Path,
) -> None:
    write_tree(project, GOOD + "-- static/CNAME --\nbrief.example.org\n")
    (project / "site").mkdir()
    (project / "site" / "stray.html").write_text("old")
    assert main(["build", str(project), "-q"]) == 0
    assert not (project / "site" / "stray.html").exists()
    assert (project / "site" / "CNAME").read_text() == "brief.example.org\n"


def test_two_builds_are_byte_identical(project: Path, tmp_path: Path) -> None:
    write_tree(project, GOOD)
    main(["build", str(project), "-q", "-o", str(tmp_path / "one")])
    main(["build", str(project), "-q", "-o", str(tmp_path / "two")])
    assert tree_bytes(tmp_path / "one") == tree_bytes(tmp_path / "two")


def test_missing_project_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(tmp_path / "nope")]) == 1
    assert "is not a folder" in capsys.readouterr().err


def test_the_repository_itself_builds(tmp_path: Path) -> None:
    code, out, err = run("build", str(REPO), "-o", str(tmp_path / "site"))
    assert code == 0, err
    assert "4 of" in out
    html = (tmp_path / "site/index.html").read_text()
    assert "Wagner Group Announces Withdrawal from Mali" in html


def test_a_missing_default_theme_says_how_to_reinstall(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A broken installation (the theme's files gone) is told how to repair it, in one line."""
    monkeypatch.setattr(theme, "_PACKAGED", project / "no-theme")
    monkeypatch.setattr(theme, "_CHECKOUT", project / "no-checkout")
    write_tree(project, GOOD)
    assert main(["build", "--no-cache", str(project)]) == 1
    error = capsys.readouterr().err
    assert "the default theme is missing" in error and "reinstall" in error
    assert "Traceback" not in error


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*.tmp"))


def test_a_report_path_that_is_a_folder_is_refused_before_building(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_tree(project, GOOD)
    (project / "reports").mkdir()
    assert main(["build", str(project), "--report", str(project / "reports")]) == 1
    err = capsys.readouterr().err
    assert "--report" in err and "reports" in err and "is a folder" in err
    assert ".tmp" not in err
    assert not (project / "site").exists()  # nothing built, as the message implies
    assert _leftovers(project) == []


@pytest.mark.parametrize(
    "target", ["seeds/2026-11-20-story.txt", "content/report.json", "sahelbrief.yaml"]
)
def test_a_report_may_not_overwrite_the_projects_sources(
    project: Path, capsys: pytest.CaptureFixture[str], target: str
) -> None:
    write_tree(project, GOOD + "-- sahelbrief.yaml --\ntitle: T\n")
    before = tree_bytes(project)
    assert main(["build", str(project), "--report", str(project / target)]) == 1
    assert "--report" in capsys.readouterr().err
    assert tree_bytes(project) == before


@pytest.mark.parametrize(
    ("output", "report"),
    [(None, "site"), (None, "site/report.json"), ("out", "out/r.json"), (None, ".site.spare/r")],
)
def test_a_report_may_not_go_into_the_output_folder(
    project: Path, capsys: pytest.CaptureFixture[str], output: str | None, report: str
) -> None:
    # The next build's swap would remove it (and a folder named so failed after publishing).
    write_tree(project, GOOD)
    where = ["-o", str(project / output)] if output else []
    assert main(["build", str(project), *where, "--report", str(project / report)]) == 1
    assert "is in the output folder" in capsys.readouterr().err
    assert not (project / (output or "site")).exists()


def test_a_report_gets_the_usual_permissions(project: Path) -> None:
    write_tree(project, GOOD)
    mask = os.umask(0o022)
    try:
        assert main(["build", str(project), "-q", "--report", str(project / "r.json")]) == 0
    finally:
        os.umask(mask)
    assert (project / "r.json").stat().st_mode & 0o777 == 0o644  # not a temporary's 0o600


def test_a_report_that_cannot_be_written_leaves_no_temporary_file(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(project, GOOD)

    def full(*_: object, **__: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(json, "dump", full)
    assert main(["build", str(project), "--report", str(project / "report.json")]) == 1
    err = capsys.readouterr().err
    assert "report.json: cannot write the report: No space left on device" in err
    assert "the site was built" in err
    assert not (project / "report.json").exists()
    assert _leftovers(project) == []


def test_the_summary_says_what_a_rebuild_wrote_and_counts_what_dedupe_read(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    draft = "-- content/draft.md --\n---\ntitle: Draft\ndraft: true\n---\nNot yet.\n"
    write_tree(project, GOOD + draft)
    assert main(["build", str(project)]) == 0
    first = capsys.readouterr().out
    # The draft's paragraph is not deduplicated, so it is not counted (dedup says 5 too).
    assert re.match(
        r"Built 1 article and 1 page \(1 held back as draft or future-dated\): (\d+) files "
        r"written to site/, 1 of 5 paragraphs removed as repeats, in ",
        first,
    ), first
    # Sources written just before a build are too fresh to be known by their stat: the
    # next build looks at them again (and writes nothing); once they are older, a build has
    # nothing to do.
    assert main(["build", str(project)]) == 0
    assert "(0 written, " in capsys.readouterr().out
    age(project)
    assert main(["build", str(project)]) == 0
    assert "(0 written, " in capsys.readouterr().out
    assert main(["build", str(project)]) == 0
    again = capsys.readouterr().out
    assert re.match(r"Nothing changed since the last build: \d+ files in site/, in ", again), again
    with (project / "seeds" / "2026-11-20-story.txt").open("a", encoding="utf-8") as seed:
        seed.write("A new fact from the border.\n")
    assert main(["build", str(project)]) == 0
    edited = capsys.readouterr().out
    found = re.match(
        r"Built 1 article and 1 page \(1 held back as draft or future-dated\): (\d+) files in "
        r"site/ \((\d+) written, (\d+) unchanged\), 1 of 6 paragraphs removed as repeats, in ",
        edited,
    )
    assert found, edited
    files, written, unchanged = map(int, found.groups())
    assert 0 < written < files and written + unchanged == files


def test_a_project_without_sources_builds_and_says_so(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A mistyped project folder built an empty site without a word.
    assert main(["build", str(project)]) == 0
    captured = capsys.readouterr()
    assert "no sources in seeds/ or content/" in captured.err
    assert captured.out.startswith("Built 0 articles: ")
    write_tree(project, GOOD)
    assert main(["build", str(project)]) == 0
    assert "no sources" not in capsys.readouterr().err
