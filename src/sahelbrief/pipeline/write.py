"""The write stage: the only stage that touches the output folder.

The site is built in a staging folder beside the output and swapped in at the end, so a build
that fails or is killed leaves the previous site exactly as it was. A lock file keeps two builds
of the same output from interleaving.

- The lock is an flock() on `.OUT.lock` beside the output folder (not inside it: the output
  folder is replaced by the swap), held by build() from before the sources are read. The
  kernel drops an flock when its process dies, so a build killed with SIGKILL never leaves a
  stale lock behind; the file itself stays and is harmless.
- The staging folder is flushed to disk (syncfs) before the swap, and the parent folder after
  it, so a power cut just after a build cannot publish a site of empty files.
- Where the kernel has no atomic exchange, the swap is two renames, and a kill between them
  leaves no output folder at all: the next build puts the old site back before anything else.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import fcntl
import logging
import os
import shutil
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path, PurePosixPath

from sahelbrief.errors import BuildFailed, OutputError
from sahelbrief.model import OutputFile, WriteSummary

log = logging.getLogger(__name__)

_RENAME_EXCHANGE = 2


def write(
    files: Iterable[OutputFile],
    out_dir: Path,
    before_swap: Callable[[Path], None] | None = None,
) -> WriteSummary:
    """Write `files` into a staging folder, let `before_swap` add to it (the search index is
    built from the finished pages), then swap it in place of `out_dir`."""
    out_dir = out_dir.absolute()
    with output_lock(out_dir):
        _clean_leftovers(out_dir)
        staging = _sibling(out_dir, "staging")
        staging.mkdir()
        try:
            summary = _write_all(files, staging)
            if before_swap is not None:
                before_swap(staging)
            _flush(staging)
            _swap(staging, out_dir)
            _fsync_folder(out_dir.parent)
        finally:
            for leftover in (staging, _sibling(out_dir, "old")):
                shutil.rmtree(leftover, ignore_errors=True)
    return summary


def check_output(out_dir: Path, project_dir: Path, sources: Iterable[Path]) -> None:
    """Refuse an output folder whose swap would throw away something that is not a site: the
    project itself or a folder above it, a source folder (`-o seeds` would replace every seed
    with the site), the home folder, a file system root, or a folder outside the project that
    holds files but no index.html (a mistyped `-o ~/Documents`)."""
    out = Path(os.path.realpath(out_dir))
    project = Path(os.path.realpath(project_dir))
    problem = None
    if out == Path(out.anchor) or out == Path.home().resolve():
        problem = "is the home folder or a file system root"
    elif out == project or out in project.parents:
        problem = "is the project folder or a folder above it"
    else:
        for source in sources:
            real = Path(os.path.realpath(source))
            if out == real or out in real.parents or real in out.parents:
                problem = f"overlaps the project's {source.name}"
    if problem is None and project not in out.parents and _holds_something_else(out):
        # Outside the project, an output folder must be new, empty or a site already.
        problem = "holds files but no index.html, so it is not a site built before"
    if problem:
        raise OutputError(
            f"{problem}; the build replaces the output folder as a whole, which would delete "
            "it: choose a folder of its own, such as site/",
            str(out_dir),
        )


def _holds_something_else(out: Path) -> bool:
    """A folder that is neither empty nor a site (a mistyped `-o ~/Documents`)."""
    if not out.is_dir() or (out / "index.html").is_file():
        return False
    with os.scandir(out) as entries:
        return any(True for _ in entries)


def staging_prefix(out_dir: Path) -> str:
    """The name every temporary folder of a build of `out_dir` starts with (the preview server
    ignores them)."""
    return f".{out_dir.name}."


def _sibling(out_dir: Path, role: str) -> Path:
    return out_dir.with_name(f"{staging_prefix(out_dir)}{role}-{os.getpid()}")


def _write_all(files: Iterable[OutputFile], root: Path) -> WriteSummary:
    seen: set[str] = set()
    count = size = 0
    for file in files:
        relative = _safe_relative(file.path)
        if relative.casefold() in seen:
            raise BuildFailed(
                "write",
                [OutputError(f"two pages want the same output file {relative!r}", file.path)],
            )
        seen.add(relative.casefold())
        target = root / relative
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(file.data)
        except OSError as exc:
            raise BuildFailed(
                "write", [OutputError(f"cannot be written: {exc.strerror}", relative)]
            ) from exc
        count += 1
        size += len(file.data)
    return WriteSummary(count, size)


def _safe_relative(path: str) -> str:
    pure = PurePosixPath(path)
    if pure.is_absolute() or not pure.parts or any(p in ("", ".", "..") for p in pure.parts):
        raise BuildFailed("write", [OutputError(f"unsafe output path {path!r}", path)])
    return pure.as_posix()


def _swap(staging: Path, out_dir: Path) -> None:
    """Put `staging` in place of `out_dir` with no moment at which `out_dir` is half-written:
    an atomic exchange where the kernel has one, otherwise two renames."""
    if not out_dir.exists():
        staging.rename(out_dir)
        return
    if not out_dir.is_dir() or out_dir.is_symlink():
        raise BuildFailed(
            "write",
            [
                OutputError(
                    "exists and is not a folder; remove it or choose another output folder",
                    str(out_dir),
                )
            ],
        )
    if not _exchange(staging, out_dir):
        old = _sibling(out_dir, "old")
        out_dir.rename(old)
        staging.rename(out_dir)


def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    return ctypes.CDLL(name, use_errno=True) if name else None


def _flush(folder: Path) -> None:
    """Make everything written under `folder` durable: one syncfs() of its file system where
    libc has it, else an fsync() of every file."""
    libc = _libc()
    syncfs = getattr(libc, "syncfs", None) if libc else None
    if syncfs is not None:
        fd = os.open(folder, os.O_RDONLY)
        try:
            if syncfs(fd) == 0:
                return
        finally:
            os.close(fd)
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


def _fsync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _exchange(a: Path, b: Path) -> bool:
    libc = _libc()
    if libc is None:
        return False
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)


_held = threading.local()


@contextlib.contextmanager
def output_lock(out_dir: Path) -> Iterator[None]:
    """Hold the exclusive lock of `out_dir` for a whole build, from before its sources are read:
    a build that started later always reads later sources, so it cannot be overtaken by an
    earlier one that then publishes older sources over it. Reentrant within a thread, so the
    write stage can take it again."""
    out_dir = out_dir.absolute()
    held: set[Path] = _held.__dict__.setdefault("paths", set())
    if out_dir in held:
        yield
        return
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    held.add(out_dir)
    try:
        with _lock(out_dir):
            yield
    finally:
        held.discard(out_dir)


@contextlib.contextmanager
def _lock(out_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock for `out_dir`; a second build waits for the first to finish."""
    lock_path = out_dir.with_name(f"{staging_prefix(out_dir)}lock")
    with lock_path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.warning("another build is writing %s; waiting for it to finish", out_dir)
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _clean_leftovers(out_dir: Path) -> None:
    """Remove staging folders that a killed build left behind (we hold the lock, so no running
    build owns them). A build killed between the two renames of a non-atomic swap left the
    published site as `old-PID` and no output folder: put it back first."""
    prefix = staging_prefix(out_dir)
    olds = sorted(p for p in out_dir.parent.glob(prefix + "old-*") if p.is_dir())
    if olds and not out_dir.exists() and not out_dir.is_symlink():
        log.warning("restoring %s, moved aside by an interrupted build", out_dir.name)
        olds[0].rename(out_dir)
    for path in out_dir.parent.glob(prefix + "*"):
        if path.is_dir() and path.name.startswith((prefix + "staging-", prefix + "old-")):
            log.info("removing %s left by an interrupted build", path.name)
            shutil.rmtree(path, ignore_errors=True)
