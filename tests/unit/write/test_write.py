from __future__ import annotations

from pathlib import Path

import pytest

from sahelbrief.errors import BuildFailed
from sahelbrief.model import OutputFile
from sahelbrief.pipeline.write import write
from tests.conftest import tree_bytes


def test_write_replaces_the_whole_folder(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write([OutputFile("index.html", b"one"), OutputFile("old/index.html", b"x")], out)
    summary = write([OutputFile("index.html", b"two"), OutputFile("a/b.css", b"css")], out)
    assert tree_bytes(out) == {"index.html": b"two", "a/b.css": b"css"}
    assert (summary.files, summary.bytes) == (2, 6)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", "site"]


def test_two_writes_to_one_path_are_refused_and_the_old_site_stays(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write([OutputFile("index.html", b"old")], out)
    with pytest.raises(BuildFailed, match="write"):
        write([OutputFile("a.html", b"1"), OutputFile("A.html", b"2")], out)
    assert tree_bytes(out) == {"index.html": b"old"}
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", "site"]


def test_a_failing_producer_leaves_the_old_site(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write([OutputFile("index.html", b"old")], out)

    def files() -> object:
        yield OutputFile("index.html", b"new")
        raise BuildFailed("render", [])

    with pytest.raises(BuildFailed):
        write(files(), out)  # type: ignore[arg-type]
    assert tree_bytes(out) == {"index.html": b"old"}


@pytest.mark.parametrize("bad", ["../escape.html", "/abs.html", "a/../../b", ""])
def test_unsafe_paths_are_refused(tmp_path: Path, bad: str) -> None:
    with pytest.raises(BuildFailed, match="write"):
        write([OutputFile(bad, b"x")], tmp_path / "site")
    assert not (tmp_path / "escape.html").exists()


def test_leftovers_of_a_killed_build_are_cleaned(tmp_path: Path) -> None:
    stale = tmp_path / ".site.staging-99999"
    stale.mkdir()
    (stale / "junk").write_text("x")
    write([OutputFile("index.html", b"new")], tmp_path / "site")
    assert not stale.exists()
