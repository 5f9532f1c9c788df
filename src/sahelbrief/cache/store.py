"""Cache files: a header, a checksum and a pickle that may only name the model's classes.

A cache file is trusted only when its magic, format, program digest and xxh3-128 checksum all
match; anything else (a truncated write, a flipped byte, a file from another version or another
program) reads as "no cache" and is rebuilt. Unpickling is restricted to plain values, arrays, the
frozen dataclasses of sahelbrief.model and datetime values, so even a file that passes the
checksum cannot name other code to run. Files are written to a temporary name and renamed.
"""

from __future__ import annotations

import array
import dataclasses
import datetime as dt
import importlib
import io
import logging
import os
import pickle
import tempfile
import threading
from collections.abc import Iterable, Iterator, MutableMapping
from pathlib import Path
from typing import Any

import xxhash

from sahelbrief import heap, model

log = logging.getLogger(__name__)

MAGIC = b"SAHELBRIEF-CACHE"
FORMAT = 1
_DIGEST = 16
_CHUNK = 1 << 20  # bytes read at a time for the checksum
_ALLOWED_DATETIME = {"date", "datetime", "timedelta", "timezone"}


# What a template sees of an article (render/view.py), kept between builds.
_VIEWS = {
    ("sahelbrief.pipeline.render.view", "ArticleView"),
    *(
        ("sahelbrief.pipeline.render.stories", name)
        for name in ("SourceLink", "Addition", "RepeatNote", "StoryLinks")
    ),
}


class _ModelOnly(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if module == "datetime" and name in _ALLOWED_DATETIME:
            return getattr(dt, name)
        if module == model.__name__:
            found = getattr(model, name, None)
            if isinstance(found, type) and dataclasses.is_dataclass(found):
                return found
        if module == "array" and name in ("array", "_array_reconstructor"):
            return getattr(array, name)
        if module == "markupsafe" and name == "Markup":
            from markupsafe import Markup

            return Markup
        if (module, name) in _VIEWS:
            found = getattr(importlib.import_module(module), name)
            if isinstance(found, type) and dataclasses.is_dataclass(found):
                return found
        raise pickle.UnpicklingError(f"cache names a forbidden class {module}.{name}")


def _header(program: str) -> bytes:
    return MAGIC + b" %d %s\n" % (FORMAT, program.encode("ascii"))


class _Checksummed(io.RawIOBase):
    """A file the pickle streams into, hashing what passes: a large value (the dedupe pass's
    memory) is never held twice in memory as one bytes object."""

    def __init__(self, handle: io.BufferedWriter) -> None:
        self.handle = handle
        self.digest = xxhash.xxh3_128()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.digest.update(data)
        return self.handle.write(data)


def dump(path: Path, value: object, program: str, shared: bool = True) -> None:
    """Write `value` to `path` atomically, with header and checksum. `shared` False: `value`
    holds no object twice (or does not mind getting copies back), so the pickler need not
    remember every object it wrote (for millions of small ones, a table of hundreds of MB)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(_header(program))
            handle.write(bytes(_DIGEST))  # the checksum, written once the payload is
            payload = _Checksummed(handle)
            pickler = pickle.Pickler(payload, protocol=pickle.HIGHEST_PROTOCOL)
            pickler.fast = not shared
            pickler.dump(value)
            handle.seek(len(_header(program)))
            handle.write(payload.digest.digest())
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def load(path: Path, program: str) -> Any | None:
    """The value stored at `path`, or None when it is missing, foreign, stale or damaged."""
    try:
        with path.open("rb") as handle:
            return _load(handle, path.name, program)
    except FileNotFoundError:
        return None
    except OSError as exc:
        log.info("cache %s unreadable (%s); rebuilding it", path.name, exc.strerror)
        return None


_told = threading.Event()  # the first stale file of this process has been reported


def _from_another_version(name: str) -> None:
    """Said once, even with -v: after an upgrade every one of a hundred cache files is stale."""
    if _told.is_set():
        return
    _told.set()
    log.info(
        "the build cache is from another version of sahelbrief (%s, and maybe more); rebuilding it",
        name,
    )


def _load(handle: io.BufferedReader, name: str, program: str) -> Any | None:
    """The file is read twice, for the checksum and then for the pickle, instead of being held
    whole while it is decoded: the dedupe pass's memory alone is ~130 MB at 10,000 articles.
    (A cache file is replaced by a rename, never rewritten in place: both reads see one file.)"""
    header = _header(program)
    start = handle.read(len(header))
    if start != header:
        if start:
            _from_another_version(name)
        return None
    checksum = handle.read(_DIGEST)
    digest = xxhash.xxh3_128()
    while chunk := handle.read(_CHUNK):
        digest.update(chunk)
    if len(checksum) != _DIGEST or digest.digest() != checksum:
        log.warning("cache %s is damaged (checksum mismatch); rebuilding it", name)
        return None
    handle.seek(len(header) + _DIGEST)
    try:
        with heap.paused():
            return _ModelOnly(handle).load()
    except Exception as exc:  # a checksum collision with a bad payload: still never trusted
        log.warning("cache %s could not be decoded (%s); rebuilding it", name, exc)
        return None


class ShardedStore(MutableMapping[bytes, Any]):
    """A mapping from digests to values, spread over `shards` files so that a small change
    rewrites a few small files, not one big one. Entries not read or written during a build are
    dropped when it is saved, so the cache does not grow with every edit."""

    def __init__(self, folder: Path, program: str, shards: int = 32) -> None:
        self._folder = folder
        self._program = program
        self._count = shards
        self._shards: list[dict[bytes, Any] | None] = [None] * shards
        self._used: list[set[bytes]] = [set() for _ in range(shards)]
        self._dirty = [False] * shards

    def begin(self) -> None:
        """Start counting the entries a new build uses."""
        self._used = [set() for _ in range(self._count)]

    def _index(self, key: bytes) -> int:
        return key[0] % self._count

    def _shard(self, index: int) -> dict[bytes, Any]:
        shard = self._shards[index]
        if shard is None:
            loaded = load(self._folder / f"{index:02x}.bin", self._program)
            shard = loaded if isinstance(loaded, dict) else {}
            self._shards[index] = shard
        return shard

    def empty(self) -> bool:
        """Nothing stored: no shard loaded holds anything, and none is on disk."""
        if any(self._shards):
            return False
        try:
            with os.scandir(self._folder) as entries:
                return not any(e.name.endswith(".bin") for e in entries)
        except OSError:
            return True

    def __getitem__(self, key: bytes) -> Any:
        index = self._index(key)
        value = self._shard(index)[key]
        self._used[index].add(key)
        return value

    def __setitem__(self, key: bytes, value: Any) -> None:
        index = self._index(key)
        self._shard(index)[key] = value
        self._used[index].add(key)
        self._dirty[index] = True

    def keep(self, keys: Iterable[bytes]) -> None:
        """Count `keys` as used by this build (not dropped when it is saved), unread."""
        for key in keys:
            self._used[self._index(key)].add(key)

    def __delitem__(self, key: bytes) -> None:
        index = self._index(key)
        del self._shard(index)[key]
        self._dirty[index] = True

    def __iter__(self) -> Iterator[bytes]:
        for index in range(self._count):
            yield from self._shard(index)

    def __len__(self) -> int:
        return sum(len(self._shard(i)) for i in range(self._count))

    def save(self, prune: bool = True) -> None:
        """Write the shards that changed; with `prune`, drop the entries this build did not use
        (only in shards that were loaded, so an unread shard is kept as it is)."""
        for index, shard in enumerate(self._shards):
            if shard is None:
                continue
            if prune and len(self._used[index]) != len(shard):
                for key in [k for k in shard if k not in self._used[index]]:
                    del shard[key]
                self._dirty[index] = True
            if self._dirty[index]:
                dump(self._folder / f"{index:02x}.bin", shard, self._program)
                self._dirty[index] = False

    def release(self) -> None:
        """Save, then let the loaded shards go (a later lookup loads its shard again)."""
        self.save()
        self._shards = [None] * self._count
