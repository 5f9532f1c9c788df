"""The read stage: the only stage that reads sources. Files -> Article values."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from sahelbrief.errors import BuildFailed, SahelbriefError, SourceError, collect
from sahelbrief.model import Article, Sources, StaticFile
from sahelbrief.pipeline.read.markdown import read_markdown
from sahelbrief.pipeline.read.seed import read_seed

log = logging.getLogger(__name__)

SEEDS, CONTENT, STATIC = "seeds", "content", "static"
_LINE_END = re.compile(r"\r\n|\r|\n")
Reader = Callable[[list[str], str], Article]


class Memo(Protocol):
    """Articles parsed by an earlier build (the build cache): `recall` gives the article for a
    file whose bytes were parsed before, `remember` records one just parsed."""

    def recall(self, relative: str, path: Path) -> Article | None: ...

    def remember(self, relative: str, path: Path, data: bytes, article: Article) -> None: ...


def read_sources(project_dir: Path, memo: Memo | None = None) -> Sources:
    """Every seed (`seeds/*.txt`), Markdown source (`content/**/*.md`) and static file, sorted by
    path. Every bad file is reported, not only the first."""
    errors: list[SahelbriefError] = []
    articles: list[Article] = []
    readers: list[tuple[str, str, Reader]] = [
        (SEEDS, "*.txt", read_seed),
        (CONTENT, "**/*.md", read_markdown),
    ]
    for folder, pattern, reader in readers:
        for path in sorted((project_dir / folder).glob(pattern)):
            if not path.is_file():
                continue
            relative = path.relative_to(project_dir).as_posix()
            try:
                known = memo.recall(relative, path) if memo else None
                if known is not None:
                    articles.append(known)
                    continue
                data = path.read_bytes()
                articles.append(reader(decode(data, relative), relative))
                if memo:
                    memo.remember(relative, path, data, articles[-1])
            except BuildFailed as failed:
                errors.extend(failed.errors)
            except SahelbriefError as error:
                errors.append(error)
            except OSError as exc:
                errors.append(SourceError(f"cannot be read: {exc.strerror}", relative))
    collect(errors, "read")
    log.debug("read %d sources", len(articles))
    return Sources(tuple(articles), read_static(project_dir / STATIC))


def decode(data: bytes, path: str) -> list[str]:
    """UTF-8 bytes (with or without a BOM, any line ends) -> lines."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(
            f"is not valid UTF-8 (byte offset {exc.start}); save the file as UTF-8", path, line
        ) from exc
    return _LINE_END.split(text)


def read_static(folder: Path) -> tuple[StaticFile, ...]:
    """Files under `static/`, copied through to the site as they are (dotfiles skipped)."""
    if not folder.is_dir():
        return ()
    return tuple(
        StaticFile(path.relative_to(folder).as_posix(), path.read_bytes())
        for path in sorted(folder.rglob("*"))
        if path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(folder).parts)
    )
