"""A save that changes no byte does not rebuild; every real change, file or folder, does."""

from __future__ import annotations

import shutil
from pathlib import Path, PurePosixPath

from sahelbrief.serve.digests import Digests

P = PurePosixPath
A = P("content/a.md")


def project(tmp_path: Path) -> Digests:
    (tmp_path / "content" / "2026").mkdir(parents=True)
    (tmp_path / "content" / "a.md").write_text("one")
    (tmp_path / "content" / "2026" / "b.md").write_text("two")
    (tmp_path / "sahelbrief.yaml").write_text("title: T\n")
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("built")
    digests = Digests(tmp_path)
    digests.record_all()
    return digests


def test_same_bytes_are_no_change(tmp_path: Path) -> None:
    digests = project(tmp_path)
    (tmp_path / "content" / "a.md").write_text("one")
    (tmp_path / "sahelbrief.yaml").write_text("title: T\n")
    assert digests.changed([A, P("sahelbrief.yaml")]) == frozenset()


def test_new_bytes_are_a_change_once(tmp_path: Path) -> None:
    digests = project(tmp_path)
    (tmp_path / "content" / "a.md").write_text("one, edited")
    assert digests.changed([A]) == {A}
    assert digests.changed([A]) == frozenset()  # the same edit reported twice
    (tmp_path / "content" / "a.md").write_text("one")
    assert digests.changed([A]) == {A}  # and back again


def test_new_and_deleted_files_are_changes(tmp_path: Path) -> None:
    digests = project(tmp_path)
    new = P("content/new.md")
    (tmp_path / new).write_text("new")
    assert digests.changed([new]) == {new}
    (tmp_path / A).unlink()
    assert digests.changed([A]) == {A}
    assert digests.changed([P("content/never-existed.md")]) == frozenset()


def test_folders_that_appear_or_go_are_changes(tmp_path: Path) -> None:
    digests = project(tmp_path)
    shutil.rmtree(tmp_path / "content" / "2026")
    assert digests.changed([P("content/2026")]) == {P("content/2026")}
    (tmp_path / "content" / "2026").mkdir()
    assert digests.changed([P("content/2026")]) == {P("content/2026")}
    (tmp_path / "content" / "2026" / "b.md").write_text("two")
    # b.md was last seen gone with its folder: back with the same bytes is still a change.
    assert digests.changed([P("content/2026/b.md")]) == {P("content/2026/b.md")}
