"""Finding source files without leaving the project.

A symbolic link in seeds/, content/ or static/ may point anywhere; one that leads outside the
project is refused (a build must publish only what the project holds, never /etc/passwd or a
colleague's drafts). Links that stay inside are followed, once each, so a link loop cannot make
the walk run forever. Only regular files are read: a named pipe would block the build.
Results are sorted, so the build never depends on the order the file system lists a folder in.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sahelbrief.errors import SourceError


@dataclass(frozen=True)
class Found:
    files: tuple[Path, ...]
    errors: tuple[SourceError, ...]


def find(project_dir: Path, folder: str, suffix: str | None, recursive: bool) -> Found:
    """Regular files under `project_dir/folder` whose names end with `suffix` (any when None);
    dot files and dot folders are skipped when `suffix` is None (static files)."""
    root = Path(os.path.realpath(project_dir))
    files: list[Path] = []
    errors: list[SourceError] = []
    start = project_dir / folder
    if not start.is_dir():
        return Found((), ())
    pending = [start]
    visited: set[str] = set()
    while pending:
        directory = pending.pop()
        real = os.path.realpath(directory)
        if not _inside(real, root):
            errors.append(_outside(directory, project_dir, real))
            continue
        if real in visited:
            continue
        visited.add(real)
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as exc:
            errors.append(_unreadable(directory, project_dir, exc))
            continue
        for entry in entries:
            path = Path(entry.path)
            if suffix is None and entry.name.startswith("."):
                continue
            if entry.is_dir():
                if recursive:
                    pending.append(path)
                continue
            if suffix is not None and not entry.name.endswith(suffix):
                continue
            # A plain file in a folder inside the project is inside it: only a link needs its
            # target resolved (resolving every file cost a tenth of a preview rebuild).
            if entry.is_symlink() and not _inside(target := os.path.realpath(path), root):
                errors.append(_outside(path, project_dir, target))
            elif entry.is_file():
                files.append(path)
    return Found(tuple(sorted(files)), tuple(errors))


def _inside(real: str, root: Path) -> bool:
    return Path(real) == root or root in Path(real).parents


def _relative(path: Path, project_dir: Path) -> str:
    return path.relative_to(project_dir).as_posix()


def _outside(path: Path, project_dir: Path, target: str) -> SourceError:
    return SourceError(
        f"is a symbolic link to {target}, outside the project; sahelbrief reads only files "
        "inside the project: copy what it points to into the project instead of linking to it",
        _relative(path, project_dir),
    )


def _unreadable(path: Path, project_dir: Path, exc: OSError) -> SourceError:
    return SourceError(f"cannot be listed: {exc.strerror}", _relative(path, project_dir))
