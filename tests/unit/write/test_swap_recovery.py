"""The write stage's swap where the kernel has no atomic exchange (two renames), and recovery
from a build killed between those renames."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from sahelbrief.errors import BuildFailed, OutputError
from sahelbrief.model import OutputFile

# The module, not the function `sahelbrief.pipeline.write` that the package re-exports.
write_stage = importlib.import_module("sahelbrief.pipeline.write")


def _site(root: Path, text: str) -> None:
    (root / "articles").mkdir(parents=True)
    (root / "index.html").write_text(text)
    (root / "articles/a.html").write_text(text)


def _failing() -> Iterator[OutputFile]:
    yield OutputFile("index.html", b"half")
    raise BuildFailed("render", [OutputError("template broke", "templates/x.html")])


def test_two_rename_fallback_replaces_the_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(write_stage, "_exchange", lambda a, b: False)
    _site(tmp_path / "site", "old")
    write_stage.write([OutputFile("index.html", b"new")], tmp_path / "site")
    assert (tmp_path / "site/index.html").read_bytes() == b"new"
    assert not (tmp_path / "site/articles").exists()
    # (.site.spare: the copy the next build updates in place, on purpose; see write.py)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", ".site.spare", "site"]


def test_site_moved_aside_by_a_killed_swap_is_restored_when_the_next_build_fails(
    tmp_path: Path,
) -> None:
    # What a build killed between `site -> .site.old-PID` and `staging -> site` leaves.
    _site(tmp_path / ".site.old-4242", "published")
    _site(tmp_path / ".site.staging-4242", "next")
    with pytest.raises(BuildFailed):
        write_stage.write(_failing(), tmp_path / "site")
    assert (tmp_path / "site/index.html").read_text() == "published"
    assert (tmp_path / "site/articles/a.html").read_text() == "published"
    # (.site.spare: the copy the next build updates in place, on purpose; see write.py)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", ".site.spare", "site"]


def test_site_moved_aside_is_replaced_by_the_next_good_build(tmp_path: Path) -> None:
    _site(tmp_path / ".site.old-4242", "published")
    write_stage.write([OutputFile("index.html", b"new")], tmp_path / "site")
    assert (tmp_path / "site/index.html").read_bytes() == b"new"
    # (.site.spare: the copy the next build updates in place, on purpose; see write.py)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", ".site.spare", "site"]


def test_failed_build_leaves_the_site_and_no_staging(tmp_path: Path) -> None:
    _site(tmp_path / "site", "published")
    with pytest.raises(BuildFailed):
        write_stage.write(_failing(), tmp_path / "site")
    assert (tmp_path / "site/index.html").read_text() == "published"
    # (.site.spare: the copy the next build updates in place, on purpose; see write.py)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", ".site.spare", "site"]


def test_staging_is_flushed_before_the_swap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    order: list[str] = []
    flush, swap = write_stage._flush, write_stage._swap
    monkeypatch.setattr(write_stage, "_flush", lambda f: (order.append("flush"), flush(f))[1])
    monkeypatch.setattr(write_stage, "_swap", lambda a, b: (order.append("swap"), swap(a, b))[1])
    write_stage.write([OutputFile("index.html", b"new")], tmp_path / "site")
    assert order == ["flush", "swap"]
    order.clear()  # the preview's throwaway folder is swapped without waiting for the disk
    write_stage.write([OutputFile("index.html", b"newer")], tmp_path / "site", durable=False)
    assert order == ["swap"]
    assert (tmp_path / "site/index.html").read_bytes() == b"newer"
