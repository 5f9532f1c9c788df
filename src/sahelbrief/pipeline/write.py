"""The write stage: the only stage that touches the output folder.

The site is built in a staging folder beside the output and swapped in at the end, so a build
that fails or is killed leaves the previous site exactly as it was. A lock file keeps two builds
of the same output from interleaving.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import fcntl
import logging
import os
import shutil
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
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    with _lock(out_dir):
        _clean_leftovers(out_dir)
        staging = _sibling(out_dir, "staging")
        staging.mkdir()
        try:
            summary = _write_all(files, staging)
            if before_swap is not None:
                before_swap(staging)
            _swap(staging, out_dir)
        finally:
            for leftover in (staging, _sibling(out_dir, "old")):
                shutil.rmtree(leftover, ignore_errors=True)
    return summary


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


def _exchange(a: Path, b: Path) -> bool:
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)


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
    build owns them)."""
    prefix = staging_prefix(out_dir)
    for path in out_dir.parent.glob(prefix + "*"):
        if path.is_dir() and path.name.startswith((prefix + "staging-", prefix + "old-")):
            log.info("removing %s left by an interrupted build", path.name)
            shutil.rmtree(path, ignore_errors=True)
