"""`-o` can name any folder, and the build replaces that folder as a whole: a mistyped output
folder must be refused before anything is touched, never swapped away with the site."""

from __future__ import annotations

from pathlib import Path

import pytest
from hardening import add, make_project, run_build, tree_hash


@pytest.mark.parametrize(
    ("output", "problem"),
    [
        ("{project}/seeds", "overlaps the project's seeds"),
        ("{project}/content/site", "overlaps the project's content"),
        ("{project}/static", "overlaps the project's static"),
        ("{project}/templates", "overlaps the project's templates"),
        ("{project}", "is the project folder or a folder above it"),
        ("{project}/..", "is the project folder or a folder above it"),
        ("/", "is the home folder or a file system root"),
        ("{documents}", "holds files but no index.html, so it is not a site built before"),
    ],
)
def test_output_folder_that_holds_something_else_is_refused(
    output: str, problem: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(tmp_path / "project")
    add(project, "static/robots.txt", "User-agent: *\n")
    add(project, "templates/partials/dateline.html", "{{ item.title }}\n")
    documents = tmp_path / "documents"
    add(documents, "thesis.odt", b"irreplaceable")
    before = tree_hash(tmp_path)
    target = output.format(project=project, documents=documents)

    run = run_build(capsys, project, "-o", target)

    assert run.code == 1
    assert run.err.startswith(f"Error: {target}: {problem}; the build replaces the output folder")
    assert "Build failed in the write stage" in run.err
    assert tree_hash(tmp_path) == before


def test_outside_output_folder_that_is_empty_or_a_site_is_used(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(tmp_path / "project")
    (tmp_path / "empty").mkdir()
    assert run_build(capsys, project, "-o", str(tmp_path / "empty")).code == 0
    assert (tmp_path / "empty/index.html").is_file()
    assert run_build(capsys, project, "-o", str(tmp_path / "empty")).code == 0
