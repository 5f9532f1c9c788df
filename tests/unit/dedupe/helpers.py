"""Small builders for dedupe tests."""

from __future__ import annotations

import datetime as dt

from sahelbrief.model import Article, Paragraph


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
