"""The read stage: the only stage that reads sources. Files -> Article values."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Protocol

import xxhash

from sahelbrief.errors import BuildFailed, SahelbriefError, SourceError, collect, warn_once
from sahelbrief.layout import CONTENT, SEEDS, STATIC
from sahelbrief.model import Article, Sources, StaticFile
from sahelbrief.pipeline.read.decode import MAX_BYTES, decode
from sahelbrief.pipeline.read.discover import find
from sahelbrief.pipeline.read.markdown import read_markdown
from sahelbrief.pipeline.read.seed import read_seed
from sahelbrief.workers import PARALLEL_MIN, pool, worth_it

log = logging.getLogger(__name__)

Reader = Callable[[list[str], str], Article]


class Memo(Protocol):
    """Articles parsed by an earlier build (the build cache): `recall` gives the article for a
    file whose bytes were parsed before, `remember` records one just parsed from bytes of the
    given digest (xxh3-128), read from the file when it had the stat given."""

    def recall(
        self, relative: str, path: Path, load: Callable[[Path], bytes]
    ) -> Article | None: ...

    def remember(
        self, relative: str, st: os.stat_result, digest: bytes, article: Article
    ) -> None: ...


def read_sources(project_dir: Path, memo: Memo | None = None, jobs: int = 1) -> Sources:
    """Every seed (`seeds/*.txt`), Markdown source (`content/**/*.md`) and static file, sorted by
    path. Every bad file is reported, not only the first. The sources `memo` does not know
    are parsed in `jobs` worker processes when they are many (a cold build of a large site)."""
    errors: list[SahelbriefError] = []
    sources: list[Source] = []
    readers: list[tuple[str, str, bool, Reader]] = [
        (SEEDS, ".txt", False, read_seed),
        (CONTENT, ".md", True, read_markdown),
    ]
    for folder, suffix, recursive, reader in readers:
        found = find(project_dir, folder, suffix, recursive)
        errors.extend(found.errors)
        # Each file's path in the project, cut from the folder's, under which find() lists
        # every file (relative_to for every one of 5,000 sources took a twentieth of an edit).
        under = len(f"{project_dir / folder}/")
        sources.extend((f"{folder}/{str(p)[under:]}", p, reader) for p in found.files)
    articles: list[Article | None] = [None] * len(sources)  # None: unreadable or bad
    missing: list[int] = []
    for index, (relative, path, _) in enumerate(sources):
        try:
            known = memo.recall(relative, path, _bytes_of) if memo else None
        except OSError as exc:
            errors.append(_unreadable(relative, exc))
            continue
        if known is not None:
            articles[index] = known
        else:
            missing.append(index)
    for index, parsed in zip(missing, _parse_all([sources[i] for i in missing], jobs), strict=True):
        if isinstance(parsed, list):
            errors.extend(parsed)
            continue
        st, digest, article = parsed
        articles[index] = article
        if memo:
            memo.remember(sources[index][0], st, digest, article)
    static = find(project_dir, STATIC, None, recursive=True)
    errors.extend(static.errors)
    collect(errors, "read")
    read = tuple(a for a in articles if a is not None)
    log.debug("read %d sources", len(read))
    if not read:  # a mistyped project folder built an empty site without a word
        warn_once(
            log,
            "%s: no sources in %s/ or %s/: the site has no stories",
            project_dir.absolute(),
            SEEDS,
            CONTENT,
        )
    return Sources(read, read_static(project_dir / STATIC, static.files))


Source = tuple[str, Path, Reader]  # path relative to the project, path, reader
# The file's stat before its bytes were read, the digest of the bytes and the article (the bytes
# themselves, sent back by the workers, were 30 of 50 MB), or why not.
Parsed = tuple[os.stat_result, bytes, Article] | list[SahelbriefError]
# The sources the workers parse: set before the pool forks, so they inherit them.
_TODO: list[Sequence[Source]] = []


def _parse_all(sources: Sequence[Source], jobs: int) -> Iterator[Parsed]:
    """Each source parsed, in order: in worker processes when there are enough."""
    if not worth_it(jobs, len(sources), PARALLEL_MIN):
        yield from (_parse(*source) for source in sources)
        return
    _TODO[:] = [sources]
    try:
        with pool(jobs) as workers:
            bounds = [(i, min(i + CHUNK, len(sources))) for i in range(0, len(sources), CHUNK)]
            for parsed in workers.map(_parse_range, bounds):
                yield from parsed
    finally:
        _TODO.clear()


CHUNK = 64  # sources a worker is given at a time


def _parse_range(bounds: tuple[int, int]) -> list[Parsed]:
    """In a worker: the sources [start, end) parsed."""
    return [_parse(*source) for source in _TODO[0][bounds[0] : bounds[1]]]


def _parse(relative: str, path: Path, reader: Reader) -> Parsed:
    """One source's stat, digest and article, or what is wrong with it."""
    try:
        st, data = _read_head(path)
        return st, xxhash.xxh3_128_digest(data), reader(decode(data, relative), relative)
    except BuildFailed as failed:
        return list(failed.errors)
    except SahelbriefError as error:
        return [error]
    except OSError as exc:
        return [_unreadable(relative, exc)]


def _unreadable(relative: str, exc: OSError) -> SourceError:
    return SourceError(f"cannot be read: {exc.strerror}", relative)


def _read_head(path: Path) -> tuple[os.stat_result, bytes]:
    """The file's stat, taken before its bytes are read (see BuildCache.remember), and its
    bytes, but never more than one byte over the limit: decode() reports a file that is too big
    without the build loading all of it."""
    with path.open("rb") as handle:
        return os.fstat(handle.fileno()), handle.read(MAX_BYTES + 1)


def _bytes_of(path: Path) -> bytes:
    return _read_head(path)[1]


def read_static(folder: Path, files: tuple[Path, ...]) -> tuple[StaticFile, ...]:
    """Files under `static/`, copied through to the site as they are (dotfiles skipped)."""
    return tuple(
        StaticFile(path.relative_to(folder).as_posix(), path.read_bytes()) for path in files
    )
