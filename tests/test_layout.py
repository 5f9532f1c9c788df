"""The pipeline's shape, kept true: stages do not import one another, and only the edges do
I/O."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "sahelbrief"
STAGES = ("read", "dedupe", "classify", "assemble", "render", "write")


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def stage_files(stage: str) -> list[Path]:
    package = SRC / "pipeline" / stage
    return sorted(package.rglob("*.py")) if package.is_dir() else [package.with_suffix(".py")]


@pytest.mark.parametrize("stage", STAGES)
def test_stages_do_not_import_each_other(stage: str) -> None:
    others = {f"sahelbrief.pipeline.{s}" for s in STAGES if s != stage}
    for path in stage_files(stage):
        bad = {m for m in imports(path) if any(m == o or m.startswith(o + ".") for o in others)}
        assert not bad, f"{path.relative_to(SRC)} imports {bad}"


def test_model_and_errors_import_no_stage() -> None:
    for name in ("model.py", "errors.py", "normalize.py", "countries.py", "clock.py"):
        assert not {m for m in imports(SRC / name) if m.startswith("sahelbrief.pipeline")}


@pytest.mark.parametrize("stage", ["dedupe", "classify", "assemble"])
def test_pure_stages_do_no_io(stage: str) -> None:
    for path in stage_files(stage):
        text = path.read_text(encoding="utf-8")
        for call in ("open(", "read_text(", "write_text(", "read_bytes(", "os.", "shutil."):
            assert call not in text, f"{path.relative_to(SRC)} calls {call}"
