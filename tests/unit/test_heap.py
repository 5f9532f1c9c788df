"""The build keeps the collector from scanning what earlier stages made (sahelbrief/heap.py),
and hands it all back at its end, or, in the preview, when the watcher finds it idle."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sahelbrief import cli, heap
from sahelbrief.cache import store
from sahelbrief.pipeline import BuildOptions, build, stages
from tests.conftest import write_tree

PROJECT = """
-- seeds/2024-05-02-dori.txt --
Attack near Dori
Gunmen killed 12 soldiers near Dori on Monday, the army said.
The army said reinforcements had been sent to the area.
-- content/about.md --
---
title: About
kind: page
---
A briefing on the Sahel.
"""


@pytest.fixture(autouse=True)
def _thawed() -> Iterator[None]:
    yield
    heap.thaw(collect=False)


def frozen_during_discover(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The collector's frozen count when the discover stage runs, once per build."""
    seen: list[int] = []
    discover = stages.discover

    def spying(*args: Any) -> Any:
        seen.append(gc.get_freeze_count())
        return discover(*args)

    monkeypatch.setattr(stages, "discover", spying)
    return seen


def test_a_build_settles_each_stage_and_thaws_at_its_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = frozen_during_discover(monkeypatch)
    project = write_tree(tmp_path / "p", PROJECT)
    build(project)
    assert seen and seen[0] > 0, "the stages before discover left their objects to the collector"
    assert gc.get_freeze_count() == 0


def test_the_preview_stays_settled_until_thawed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = write_tree(tmp_path / "p", PROJECT)
    build(project, BuildOptions(out_dir=tmp_path / "out", resident=True, durable=False))
    assert gc.get_freeze_count() > 0
    heap.thaw(collect=True)
    assert gc.get_freeze_count() == 0


def test_the_collector_is_paused_while_a_cache_file_is_decoded_and_only_then() -> None:
    seen: list[bool] = []
    with heap.paused():
        seen.append(gc.isenabled())
    seen.append(gc.isenabled())
    gc.disable()
    try:
        with heap.paused():
            pass
        seen.append(gc.isenabled())  # paused where it was already off: left off
    finally:
        gc.enable()
    assert seen == [False, True, False]


def test_a_cache_file_is_decoded_with_the_collector_paused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.dump(tmp_path / "x.bin", {"a": (1, 2)}, "program")
    during: list[bool] = []
    real_load = store._ModelOnly.load

    def spy(self: Any) -> Any:
        during.append(gc.isenabled())
        return real_load(self)

    monkeypatch.setattr(store._ModelOnly, "load", spy)
    assert store.load(tmp_path / "x.bin", "program") == {"a": (1, 2)}
    assert during == [False] and gc.isenabled()


def test_the_command_has_the_collector_look_at_young_objects_seldom(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = gc.get_threshold()
    seen: list[tuple[int, ...]] = []
    monkeypatch.setattr(cli, "main", lambda: seen.append(gc.get_threshold()) or 0)
    monkeypatch.setattr(cli.os, "_exit", lambda status: None)
    try:
        cli.run()
    finally:
        gc.set_threshold(*before)
    assert seen == [(heap.YOUNG, *before[1:])]
