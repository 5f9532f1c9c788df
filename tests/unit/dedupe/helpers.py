"""Small builders for dedupe tests."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

from sahelbrief.model import Article, Paragraph

ROOT = Path(__file__).resolve().parents[3]


def evaluation_module() -> ModuleType:
    """benchmarks/dedup_eval.py, which plants and scores the evaluation set."""
    spec = importlib.util.spec_from_file_location("dedup_eval", ROOT / "benchmarks/dedup_eval.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def evaluation_data() -> dict[str, Any]:
    """The evaluation set of real news text with planted repeats (tests/data/README.md)."""
    data: dict[str, Any] = json.loads((ROOT / "tests/data/dedup-eval.json").read_text("utf-8"))
    return data


def article(
    source: str, *texts: str, day: int = 1, fmt: str = "seed", outlet: str | None = None
) -> Article:
    paragraphs = (
        Paragraph(1, "title", f"Title of {source}"),
        *(Paragraph(i + 2, "body", text) for i, text in enumerate(texts)),
    )
    return Article(
        source=source,
        format=fmt,  # type: ignore[arg-type]
        title=f"Title of {source}",
        title_line=1,
        paragraphs=paragraphs,
        slug=source.replace("/", "-"),
        date=dt.date(2026, 3, day),
    )


def removals(articles: tuple[Article, ...]) -> dict[tuple[str, int], tuple[str, object]]:
    """(source, line) -> (reason, duplicate_of) of every removed paragraph."""
    return {
        (a.source, p.line): (p.removal.reason, p.removal.duplicate_of)
        for a in articles
        for p in a.paragraphs
        if p.removal is not None
    }
