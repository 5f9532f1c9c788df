"""Watching the project for changes: which paths matter, coalescing bursts, and the observer.

The filtering and coalescing are plain functions and a small state machine driven by an explicit
clock, so they are tested without a real observer or real time. `Watcher` wires them to watchdog:
the native observer (inotify, FSEvents, ...) with an automatic fall back to polling when the
native one cannot start (no inotify, watch limit reached), or polling on request.
"""

from __future__ import annotations

import fnmatch
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Literal

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

log = logging.getLogger(__name__)

WATCHED_FOLDERS = ("seeds", "content", "templates", "static")
CONFIG_FILE = "sahelbrief.yaml"
OUTPUT_FOLDER = "site"
# Files editors write beside the one being edited: Vim swap files and its "4913" write probe,
# Emacs backups and lock files, JetBrains safe-write files, generic backups and temp files.
EDITOR_DROPPINGS = (
    "*.swp",
    "*.swx",
    "*.swo",
    "*~",
    "#*#",
    "4913",
    "*___jb_tmp___",
    "*___jb_old___",
    "*.tmp",
    "*.bak",
    "*.orig",
    "*.crdownload",
)
STYLE_SUFFIXES = (".css",)
# What the build reads in these folders (README: seeds/*.txt, content/**/*.md); anything else
# there (notes, a `sed -i` temporary file) cannot change the site. templates/ and static/ are
# read whole.
SOURCE_SUFFIXES = {"seeds": ".txt", "content": ".md"}

ChangeKind = Literal["full", "css"]


def relevant(relative: PurePosixPath, folder: bool = False) -> bool:
    """Whether a change to `relative` (a path inside the project; `folder` when it is a folder)
    can change the site."""
    parts = relative.parts
    if not parts:
        return False
    if any(part.startswith(".") for part in parts):
        # Dotfiles and dot-folders: .git, editor locks (.#x), and the build's staging folders
        # (.site.staging-*, which write.staging_prefix names with a leading dot).
        return False
    if any(fnmatch.fnmatch(parts[-1], pattern) for pattern in EDITOR_DROPPINGS):
        return False
    if len(parts) == 1:
        return parts[0] in (CONFIG_FILE, *WATCHED_FOLDERS)
    if parts[0] not in WATCHED_FOLDERS:
        return False
    suffix = SOURCE_SUFFIXES.get(parts[0])
    return folder or suffix is None or relative.suffix.lower() == suffix


def classify(changed: Iterable[PurePosixPath]) -> ChangeKind:
    """What open pages must do after building `changed`: swap the stylesheet ("css") when only
    stylesheets in the theme or static files changed, otherwise reload ("full")."""
    paths = list(changed)
    if paths and all(
        p.suffix in STYLE_SUFFIXES and p.parts[0] in ("templates", "static") and len(p.parts) > 1
        for p in paths
    ):
        return "css"
    return "full"


def event_paths(event: FileSystemEvent, project: Path) -> list[PurePosixPath]:
    """The project-relative paths an event touches that matter (both ends of a move: an editor's
    atomic save writes a temporary file and renames it over the real one)."""
    # Reads change nothing; a folder's "modified" only echoes a change to a file inside it.
    if event.event_type in ("opened", "closed_no_write") or (
        event.is_directory and event.event_type == "modified"
    ):
        return []
    found = []
    for raw in (event.src_path, getattr(event, "dest_path", "")):
        if not raw:
            continue
        path = Path(raw if isinstance(raw, str) else raw.decode())
        try:
            relative = PurePosixPath(path.relative_to(project).as_posix())
        except ValueError:
            continue
        if relevant(relative, event.is_directory):
            found.append(relative)
    return found


# Seconds without a change after a rebuild before `on_idle` runs (the preview collects the
# garbage of its builds then, see sahelbrief/heap.py): longer than the pause between two saves.
IDLE = 2.0

# Events that end a write: the file is complete (closed after writing, renamed into place) or
# gone. Any other event (created, modified) may be followed by more bytes of the same save.
WRITE_ENDS = frozenset({"closed", "moved", "deleted"})


@dataclass
class Coalescer:
    """Collects changed paths and says when a batch is due: after `quiet` seconds without a new
    change (`settled` seconds when the last change ended a write, see WRITE_ENDS), or `longest`
    seconds after the first one (a `git checkout` that never pauses still gets built). Pure: the
    caller passes the clock."""

    quiet: float = 0.05
    # Still long enough for the next file of a burst (a checkout writes one after another within
    # a millisecond), and 40 ms less to wait for the saved page.
    settled: float = 0.01
    longest: float = 1.0
    pending: set[PurePosixPath] = field(default_factory=set)
    first: float | None = None
    last: float | None = None
    ended: bool = False  # the last change ended a write

    def add(self, paths: Iterable[PurePosixPath], now: float, ended: bool = False) -> None:
        new = set(paths)
        if not new:
            return
        self.pending |= new
        self.first = now if self.first is None else self.first
        self.last = now
        self.ended = ended

    def wait(self, now: float) -> float | None:
        """Seconds until the batch is due (0 when it is), None when nothing is pending."""
        if self.first is None or self.last is None:
            return None
        quiet = self.settled if self.ended else self.quiet
        due = min(self.last + quiet, self.first + self.longest)
        return max(0.0, due - now)

    def take(self, now: float) -> frozenset[PurePosixPath] | None:
        """The batch when it is due (and start a new one), else None."""
        if self.wait(now) != 0.0:
            return None
        batch = frozenset(self.pending)
        self.pending.clear()
        self.first = self.last = None
        self.ended = False
        return batch


class Watcher:
    """Watches a project and calls `on_batch` (on its own thread) with each coalesced batch of
    relevant changes. Changes that arrive during a call are kept for the next batch."""

    def __init__(
        self,
        project: Path,
        on_batch: Callable[[frozenset[PurePosixPath]], None],
        *,
        poll: bool = False,
        coalescer: Coalescer | None = None,
        on_idle: Callable[[], None] | None = None,
        idle: float = IDLE,
    ) -> None:
        self.project = project.resolve()
        self._on_batch = on_batch
        self._coalescer = coalescer or Coalescer()
        self._on_idle = on_idle
        self._idle = idle
        self._idle_due = on_idle is not None  # the build before the watch counts too
        self._changed = threading.Condition()
        self._stopping = False
        self._handler = _Handler(self)
        self._scheduled: set[str] = set()
        self.observer = self._start_observer(poll)
        self._worker = threading.Thread(target=self._run, name="sahelbrief-rebuild", daemon=False)
        self._worker.start()

    @property
    def polling(self) -> bool:
        return isinstance(self.observer, PollingObserver)

    def add(self, paths: Iterable[PurePosixPath], ended: bool = False) -> None:
        with self._changed:
            self._coalescer.add(paths, time.monotonic(), ended)
            self._changed.notify()

    def stop(self) -> None:
        with self._changed:
            self._stopping = True
            self._changed.notify()
        self.observer.stop()
        self.observer.join()
        self._worker.join()

    def _start_observer(self, poll: bool) -> BaseObserver:
        if not poll:
            native = Observer()
            try:
                self._schedule(native)
                native.start()
                return native
            except OSError as exc:
                log.warning("native file watching failed (%s); polling instead", exc)
                native.unschedule_all()
                self._scheduled.clear()
        polling = PollingObserver(timeout=0.25)
        self._schedule(polling)
        polling.start()
        return polling

    def _schedule(self, observer: BaseObserver) -> None:
        """One recursive watch per source folder and a shallow one on the project, rather than a
        recursive watch on the project that would also watch site/ and .git/."""
        if self.project.as_posix() not in self._scheduled:
            observer.schedule(self._handler, str(self.project), recursive=False)
            self._scheduled.add(self.project.as_posix())
        for name in WATCHED_FOLDERS:
            folder = self.project / name
            if folder.is_dir() and folder.as_posix() not in self._scheduled:
                observer.schedule(self._handler, str(folder), recursive=True)
                self._scheduled.add(folder.as_posix())

    def _on_event(self, event: FileSystemEvent) -> None:
        paths = event_paths(event, self.project)
        if any(len(p.parts) == 1 and p.name in WATCHED_FOLDERS for p in paths):
            # A source folder appeared after start-up: watch it from now on.
            try:
                self._schedule(self.observer)
            except OSError as exc:
                log.warning("cannot watch the new folder: %s", exc)
        self.add(paths, event.event_type in WRITE_ENDS)

    def _run(self) -> None:
        while (batch := self._next_batch()) is not None:
            try:
                if batch:
                    self._on_batch(batch)
                    self._idle_due = self._on_idle is not None
                elif self._on_idle is not None:
                    self._on_idle()
            except Exception:
                log.exception("rebuild failed unexpectedly")

    def _next_batch(self) -> frozenset[PurePosixPath] | None:
        """Wait for the next due batch; an empty one when `idle` seconds passed without a
        change since the last batch (once per batch); None once stopping."""
        with self._changed:
            while not self._stopping:
                batch = self._coalescer.take(time.monotonic())
                if batch:
                    return batch
                wait = self._coalescer.wait(time.monotonic())
                if wait is None and self._idle_due:
                    if not self._changed.wait(self._idle) and not self._coalescer.pending:
                        self._idle_due = False
                        return frozenset()
                    continue
                self._changed.wait(wait)
            return None


class _Handler(FileSystemEventHandler):
    def __init__(self, watcher: Watcher) -> None:
        self._watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        self._watcher._on_event(event)
