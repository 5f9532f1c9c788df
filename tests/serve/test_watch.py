"""Event filtering and coalescing, without a real observer or real time."""

from __future__ import annotations

import threading
import time
from pathlib import Path, PurePosixPath

import pytest
from watchdog.events import (
    DirCreatedEvent,
    DirModifiedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileOpenedEvent,
)

from sahelbrief.serve import watch
from sahelbrief.serve.watch import Coalescer, Watcher, classify, event_paths, relevant

P = PurePosixPath


@pytest.mark.parametrize(
    "path",
    [
        "sahelbrief.yaml",
        "seeds/001.txt",
        "content/2026/niger.md",
        "content/pages/about.md",
        "templates/base.html",
        "templates/assets/style.css",
        "static/logo.svg",
        "content",
    ],
)
def test_sources_trigger_a_rebuild(path: str) -> None:
    assert relevant(P(path))


@pytest.mark.parametrize(
    "path",
    [
        "site/index.html",  # the output folder
        "site/articles/x/index.html",
        ".site.staging-1234/index.html",  # the build's staging folder
        ".site.old-1234/index.html",
        ".site.lock",
        ".git/index",
        "content/.niger.md.swp",  # Vim
        "content/niger.md.swp",
        "content/4913",  # Vim's write probe
        "content/niger.md~",  # Emacs backup
        "content/#niger.md#",  # Emacs autosave
        "content/.#niger.md",  # Emacs lock
        "content/niger.md___jb_tmp___",  # JetBrains safe write
        "content/niger.md.bak",
        "content/.hidden/x.md",
        "static/.DS_Store",
        "README.md",
        "notes.txt",
        "content/notes.txt",  # the build reads content/**/*.md only
        "content/sedX1b2c3",  # `sed -i`'s temporary file
        "seeds/draft.md",  # ... and seeds/*.txt only
        "",
    ],
)
def test_outputs_and_editor_files_never_trigger(path: str) -> None:
    assert not relevant(P(path))


def test_folders_in_source_folders_count(tmp_path: Path) -> None:
    assert relevant(P("content/2026"), folder=True)
    moved = DirMovedEvent(str(tmp_path / "content" / "old"), str(tmp_path / "content" / "new"))
    assert event_paths(moved, tmp_path) == [P("content/old"), P("content/new")]


def test_an_atomic_save_counts_as_a_change_to_the_real_file(tmp_path: Path) -> None:
    swap, real = tmp_path / "content" / ".niger.md.tmp", tmp_path / "content" / "niger.md"
    event = FileMovedEvent(str(swap), str(real))
    assert event_paths(event, tmp_path) == [P("content/niger.md")]


def test_events_outside_the_project_or_without_writes_are_dropped(tmp_path: Path) -> None:
    inside = str(tmp_path / "content" / "a.md")
    assert event_paths(FileModifiedEvent(inside), tmp_path) == [P("content/a.md")]
    assert event_paths(FileClosedEvent(inside), tmp_path) == [P("content/a.md")]
    assert event_paths(FileCreatedEvent(str(tmp_path.parent / "x.md")), tmp_path) == []
    assert event_paths(FileOpenedEvent(inside), tmp_path) == []
    assert event_paths(DirModifiedEvent(str(tmp_path / "content")), tmp_path) == []
    assert event_paths(DirCreatedEvent(str(tmp_path / "templates")), tmp_path) == [P("templates")]


def test_stylesheet_only_changes_swap_css_everything_else_reloads() -> None:
    assert classify([P("templates/assets/style.css")]) == "css"
    assert classify([P("templates/assets/style.css"), P("static/print.css")]) == "css"
    assert classify([P("templates/assets/style.css"), P("content/a.md")]) == "full"
    assert classify([P("templates/base.html")]) == "full"
    assert classify([P("content/odd.css")]) == "full"
    assert classify([]) == "full"


def test_a_burst_of_events_becomes_one_batch() -> None:
    coalescer = Coalescer(quiet=0.1, longest=1.0)
    assert coalescer.wait(0.0) is None
    coalescer.add([P("content/a.md")], now=0.00)
    coalescer.add([P("content/b.md")], now=0.05)
    coalescer.add([P("content/a.md")], now=0.09)
    assert coalescer.take(0.15) is None  # still inside the quiet window of the last event
    assert coalescer.wait(0.15) == pytest.approx(0.04)
    assert coalescer.take(0.19) == {P("content/a.md"), P("content/b.md")}
    assert coalescer.wait(0.2) is None
    assert coalescer.take(5.0) is None


def test_a_finished_write_is_built_sooner_unless_more_follows() -> None:
    coalescer = Coalescer(quiet=0.1, settled=0.01, longest=1.0)
    coalescer.add([P("content/a.md")], now=0.0)  # modified: more bytes may come
    assert coalescer.wait(0.0) == pytest.approx(0.1)
    coalescer.add([P("content/a.md")], now=0.02, ended=True)  # closed after writing
    assert coalescer.wait(0.02) == pytest.approx(0.01)
    coalescer.add([P("content/b.md")], now=0.025)  # the next file of a burst
    assert coalescer.take(0.04) is None
    coalescer.add([P("content/b.md")], now=0.026, ended=True)
    assert coalescer.take(0.036) == {P("content/a.md"), P("content/b.md")}
    coalescer.add([P("content/c.md")], now=1.0)
    assert coalescer.wait(1.0) == pytest.approx(0.1)  # a new batch starts unsettled


def test_a_change_that_never_pauses_is_still_built() -> None:
    coalescer = Coalescer(quiet=0.1, longest=1.0)
    now = 0.0
    while coalescer.take(now) is None:
        coalescer.add([P(f"content/{now:.2f}.md")], now)
        now += 0.05
        assert now < 2.0, "the batch never came due"
    assert now == pytest.approx(1.0)  # `longest` after the first change


def test_empty_event_sets_start_no_batch() -> None:
    coalescer = Coalescer()
    coalescer.add([], now=1.0)
    assert coalescer.wait(1.0) is None


def test_falls_back_to_polling_when_native_watching_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Broken(watch.Observer):  # type: ignore[misc,valid-type]
        def start(self) -> None:
            raise OSError(28, "inotify watch limit reached")

    monkeypatch.setattr(watch, "Observer", Broken)
    watcher = Watcher(tmp_path, lambda batch: None)
    try:
        assert watcher.polling
    finally:
        watcher.stop()


def test_poll_forces_polling(tmp_path: Path) -> None:
    watcher = Watcher(tmp_path, lambda batch: None, poll=True)
    try:
        assert watcher.polling
    finally:
        watcher.stop()


def test_batches_reach_the_callback_and_stop_ends_the_thread(tmp_path: Path) -> None:
    seen: list[frozenset[PurePosixPath]] = []
    called = threading.Event()

    def on_batch(batch: frozenset[PurePosixPath]) -> None:
        seen.append(batch)
        called.set()

    watcher = Watcher(tmp_path, on_batch, poll=True, coalescer=Coalescer(quiet=0.0))
    try:
        watcher.add([P("content/a.md"), P("content/b.md")])
        assert called.wait(10), "the batch never reached the callback"
    finally:
        watcher.stop()
    assert seen == [frozenset({P("content/a.md"), P("content/b.md")})]
    assert not watcher._worker.is_alive()
    assert not watcher.observer.is_alive()


def test_idle_runs_once_after_each_quiet_spell(tmp_path: Path) -> None:
    events: list[str] = []
    idle = threading.Semaphore(0)

    def on_idle() -> None:
        events.append("idle")
        idle.release()

    watcher = Watcher(
        tmp_path,
        lambda batch: events.append("batch"),
        poll=True,
        coalescer=Coalescer(quiet=0.0),
        on_idle=on_idle,
        idle=0.05,
    )
    try:
        assert idle.acquire(timeout=10), "no idle call after the start"
        time.sleep(0.3)  # quiet without a batch in between: no second call
        assert events == ["idle"]
        watcher.add([P("content/a.md")])
        assert idle.acquire(timeout=10), "no idle call after the batch"
    finally:
        watcher.stop()
    assert events == ["idle", "batch", "idle"]


def test_a_change_within_the_idle_wait_is_built_first(tmp_path: Path) -> None:
    events: list[str] = []
    built = threading.Event()

    def on_batch(batch: frozenset[PurePosixPath]) -> None:
        events.append("batch")
        built.set()

    watcher = Watcher(
        tmp_path,
        on_batch,
        poll=True,
        coalescer=Coalescer(quiet=0.0),
        on_idle=lambda: events.append("idle"),
        idle=60.0,
    )
    try:
        watcher.add([P("content/a.md")])
        assert built.wait(10), "the batch waited for the idle spell"
    finally:
        watcher.stop()
    assert events == ["batch"]
