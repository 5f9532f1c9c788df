"""The read stage: the only stage that reads sources. Files -> Article values."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from sahelbrief.errors import BuildFailed, SahelbriefError, SourceError, collect
from sahelbrief.layout import CONTENT, SEEDS, STATIC
from sahelbrief.model import Article, Sources, StaticFile
from sahelbrief.pipeline.read.decode import MAX_BYTES, decode
from sahelbrief.pipeline.read.discover import find
from sahelbrief.pipeline.read.markdown import read_markdown
from sahelbrief.pipeline.read.seed import read_seed

log = logging.getLogger(__name__)

Reader = Callable[[list[str], str], Article]


class Memo(Protocol):
    """Articles parsed by an earlier build (the build cache): `recall` gives the article for a
    file whose bytes were parsed before, `remember` records one just parsed."""

    def recall(
        self, relative: str, path: Path, load: Callable[[Path], bytes]
    ) -> Article | None: ...

    def remember(self, relative: str, path: Path, data: bytes, article: Article) -> None: ...


def read_sources(project_dir: Path, memo: Memo | None = None) -> Sources:
    """Every seed (`seeds/*.txt`), Markdown source (`content/**/*.md`) and static file, sorted by
    path. Every bad file is reported, not only the first."""
    errors: list[SahelbriefError] = []
    articles: list[Article] = []
    readers: list[tuple[str, str, bool, Reader]] = [
        (SEEDS, ".txt", False, read_seed),
        (CONTENT, ".md", True, read_markdown),
    ]
    for folder, suffix, recursive, reader in readers:
        found = find(project_dir, folder, suffix, recursive)
        errors.extend(found.errors)
        for path in found.files:
            relative = path.relative_to(project_dir).as_posix()
            try:
                known = memo.recall(relative, path, _read_head) if memo else None
                if known is not None:
                    articles.append(known)
                    continue
                data = _read_head(path)
                articles.append(reader(decode(data, relative), relative))
                if memo:
                    memo.remember(relative, path, data, articles[-1])
            except BuildFailed as failed:
                errors.extend(failed.errors)
            except SahelbriefError as error:
                errors.append(error)
            except OSError as exc:
                errors.append(SourceError(f"cannot be read: {exc.strerror}", relative))
    static = find(project_dir, STATIC, None, recursive=True)
    errors.extend(static.errors)
    collect(errors, "read")
    log.debug("read %d sources", len(articles))
    return Sources(tuple(articles), read_static(project_dir / STATIC, static.files))


def _read_head(path: Path) -> bytes:
    """The file's bytes, but never more than one byte over the limit: decode() reports a file
    that is too big without the build loading all of it."""
    with path.open("rb") as handle:
        return handle.read(MAX_BYTES + 1)


def read_static(folder: Path, files: tuple[Path, ...]) -> tuple[StaticFile, ...]:
    """Files under `static/`, copied through to the site as they are (dotfiles skipped)."""
    return tuple(
        StaticFile(path.relative_to(folder).as_posix(), path.read_bytes()) for path in files
    )
