"""Helpers for the hardening tests: small projects on disk, whole-tree hashes, CLI runs."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from sahelbrief import cli

GOOD_SEED = (
    "Niger reopens the Benin border crossing\n"
    "Trucks queued at Malanville on Monday as the crossing reopened after months of closure.\n"
    "Traders said prices in Niamey markets had doubled during the closure.\n"
)


def make_project(root: Path, files: dict[str, bytes | str] | None = None) -> Path:
    """A project with one good seed, plus `files` (project-relative path -> content)."""
    (root / "seeds").mkdir(parents=True, exist_ok=True)
    (root / "content").mkdir(exist_ok=True)
    (root / "seeds" / "2026-11-20-border.txt").write_text(GOOD_SEED, encoding="utf-8")
    for relative, data in (files or {}).items():
        add(root, relative, data)
    return root


def add(root: Path, relative: str, data: bytes | str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)


def tree_hash(folder: Path) -> str:
    """One hash over every path, file type and byte under `folder` (symlinks not followed)."""
    digest = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        for name in sorted(filenames + dirnames):
            path = Path(dirpath) / name
            relative = path.relative_to(folder).as_posix()
            if path.is_symlink() or not path.is_file():
                digest.update(f"D {relative}\n".encode())
                continue
            digest.update(f"F {relative}\n".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def leftovers(project: Path) -> list[str]:
    """Staging or moved-aside folders a build left beside site/."""
    return sorted(
        p.name for p in project.iterdir() if p.name.startswith(".site.") and p.name != ".site.lock"
    )


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


def run_build(capsys: pytest.CaptureFixture[str], project: Path, *args: str) -> Run:
    capsys.readouterr()
    code = cli.main(["build", str(project), *args])
    captured = capsys.readouterr()
    return Run(code, captured.out, captured.err)
