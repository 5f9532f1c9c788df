"""One exception family. Every error can point at a file and a line. And warnings, told once."""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable


@functools.cache
def warn_once(logger: logging.Logger, message: str, *args: object) -> None:
    """`logger.warning(message, *args)`, once a process for the same words: the preview builds
    again at every edit, and would repeat a warning about what did not change each time."""
    logger.warning(message, *args)


class SahelbriefError(Exception):
    """A problem the user can fix, located at `path:line` when that is known."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def location(self) -> str:
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}" if self.line is not None else self.path

    def __str__(self) -> str:
        where = self.location()
        return f"{where}: {self.message}" if where else self.message


class SourceError(SahelbriefError):
    """A source file (seed, Markdown article, front matter) is malformed."""


class ConfigError(SahelbriefError):
    """sahelbrief.yaml is malformed or has a bad value."""


class TemplateError(SahelbriefError):
    """A template failed to load or render."""


class OutputError(SahelbriefError):
    """The output could not be written (a collision, a lock, a disk error)."""


class BuildFailed(SahelbriefError):
    """One or more errors stopped a build stage; `errors` lists every one of them."""

    def __init__(self, stage: str, errors: Iterable[SahelbriefError]) -> None:
        self.stage = stage
        self.errors = tuple(errors)
        count = len(self.errors)
        super().__init__(f"{stage}: {count} error{'s' if count != 1 else ''}")


def collect(errors: list[SahelbriefError], stage: str) -> None:
    """Raise BuildFailed for `stage` when `errors` is not empty."""
    if errors:
        raise BuildFailed(stage, sorted(errors, key=_sort_key))


def _sort_key(error: SahelbriefError) -> tuple[str, int, str]:
    return (error.path or "", error.line or 0, error.message)
