"""The read stage over a project (read/__init__.py): parsed in worker processes or in this one,
the same articles and the same errors."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest

from sahelbrief.errors import BuildFailed
from sahelbrief.pipeline.read import read_sources
from sahelbrief.pipeline.read.discover import Found
from tests.conftest import pools_started, write_tree

# (the package `sahelbrief.pipeline` exports the function `read_sources`, hiding the subpackage)
read_module = importlib.import_module("sahelbrief.pipeline.read")


def newsroom(project: Path, broken: bool) -> Path:
    for n in range(9):
        write_tree(project, f"-- seeds/2026-02-0{n + 1}-wire-{n}.txt --\nWire {n}\nIt said {n}.\n")
        story = f"---\ntitle: Story {n}\n---\n\nBody {n}.\n"
        write_tree(project, f"-- content/2026-01-0{n + 1}-story-{n}.md --\n{story}")
    if broken:
        write_tree(project, "-- content/2026-01-05-story-4.md --\n---\ntitle: [unclosed\n---\nx\n")
        write_tree(project, "-- content/2026-01-07-story-6.md --\n---\nkind: brief\n---\nx\n")
        write_tree(project, "-- seeds/2026-02-03-wire-2.txt --\n")
        (project / "seeds" / "2026-02-05-wire-4.txt").write_bytes(b"\x00\xff" * 40)
    return project


@pytest.fixture
def parallel(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every worker pool the read stage starts (its size), with a threshold and chunks small
    enough for a test's project."""
    started = pools_started(monkeypatch, read_module, "pool")
    monkeypatch.setattr(read_module, "PARALLEL_MIN", 2)
    monkeypatch.setattr(read_module, "CHUNK", 4)
    return started


def test_sources_parsed_in_workers_are_those_parsed_here(
    project: Path, parallel: list[int]
) -> None:
    newsroom(project, broken=False)
    serial = read_sources(project, jobs=1)
    assert parallel == []
    assert read_sources(project, jobs=2) == serial
    assert parallel == [2]
    assert len(serial.articles) == 18


def test_errors_found_in_workers_are_those_found_here(
    project: Path, parallel: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    newsroom(project, broken=True)
    found_files = read_module.find

    def and_one_gone(project_dir: Path, folder: str, *args: Any, **kwargs: Any) -> Found:
        """Also a file deleted between the listing and the reading."""
        listed = found_files(project_dir, folder, *args, **kwargs)
        gone = project_dir / folder / "2026-01-09-gone.md"
        return Found((*listed.files, gone), listed.errors) if folder == "content" else listed

    monkeypatch.setattr(read_module, "find", and_one_gone)
    with pytest.raises(BuildFailed) as serial:
        read_sources(project, jobs=1)
    with pytest.raises(BuildFailed) as workers:
        read_sources(project, jobs=2)
    assert parallel == [2]
    found = [(type(e), str(e)) for e in serial.value.errors]
    assert [(type(e), str(e)) for e in workers.value.errors] == found
    assert [message.split(": ")[0] for _, message in found] == [
        "content/2026-01-05-story-4.md:2",  # YAML
        "content/2026-01-07-story-6.md:2",  # no title
        "content/2026-01-09-gone.md",  # cannot be read (deleted)
        "seeds/2026-02-03-wire-2.txt:1",  # empty
        "seeds/2026-02-05-wire-4.txt:1",  # undecodable
    ]
