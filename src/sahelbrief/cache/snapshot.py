"""Cheap fingerprints of what a build depends on.

`program_digest` names the code that made a cache: the version and the bytes of every module of
the package, so a cache written by any other code (an upgrade, a local edit) is never reused.
`inputs_digest` stats, without reading, every file a build reads (like git's index and make):
when it is unchanged since the last build, the build can be skipped outright.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

import xxhash

import sahelbrief


@cache
def program_digest() -> str:
    package = Path(sahelbrief.__file__).parent
    digest = xxhash.xxh3_128(sahelbrief.__version__.encode())
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def inputs_digest(
    files: Iterable[Path], folders: Iterable[Path], extra: Iterable[str]
) -> tuple[str, int]:
    """Size, modification and change times and inode of `files` and of every entry under
    `folders` (the change time moves when a file is rewritten with its modification time put
    back, as `cp -p` does), plus the `extra` strings (options, the date...); and the newest
    modification time seen."""
    digest = xxhash.xxh3_128()
    newest = 0
    for text in extra:
        digest.update(text.encode("utf-8", "surrogateescape") + b"\0")
    paths = list(files)
    for folder in folders:
        paths.append(folder)
        paths.extend(sorted(Path(entry.path) for entry in _walk(folder)))
    for path in paths:
        try:
            st = path.stat()
        except OSError:
            digest.update(os.fsencode(path) + b" missing\0")
            continue
        newest = max(newest, st.st_mtime_ns)
        digest.update(
            os.fsencode(path)
            + b" %d %d %d %d %d\0"
            % (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_mode)
        )
    return digest.hexdigest(), newest


def _walk(folder: Path) -> Iterator[os.DirEntry[str]]:
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        yield entry
        if entry.is_dir(follow_symlinks=True):
            yield from _walk(Path(entry.path))
