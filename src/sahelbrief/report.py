"""The --report JSON: every source and every paragraph, kept or removed and why.

Other tools read this file: keep the names, add new ones rather than renaming.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sahelbrief.errors import BuildFailed, SahelbriefError
from sahelbrief.model import Article, Entry, Paragraph

VERSION = 1


def build_report(entries: Iterable[Entry], drafts: Iterable[Article]) -> dict[str, Any]:
    rows = [_article(e.article, e.url, e.output) for e in entries]
    rows += [_article(a, None, None) for a in drafts]
    rows.sort(key=lambda row: row["source"])
    paragraphs = [p for row in rows for p in row["paragraphs"]]
    removed = sum(1 for p in paragraphs if p["status"] == "removed")
    _reconcile(rows)
    return {
        "version": VERSION,
        "summary": {"articles": len(rows), "paragraphs": len(paragraphs), "removed": removed},
        "articles": rows,
    }


def _article(article: Article, url: str | None, output: str | None) -> dict[str, Any]:
    return {
        "source": article.source,
        "title": article.title,
        "title_line": article.title_line,
        "url": url,
        "output": output,
        "kind": article.kind,
        "draft": article.draft,
        # What classify gave the article (front matter or detected), for editors to audit.
        "language": article.language,
        "countries": list(article.countries),
        "topics": list(article.topics),
        "paragraphs": [_paragraph(p) for p in article.paragraphs],
    }


def _paragraph(paragraph: Paragraph) -> dict[str, Any]:
    row: dict[str, Any] = {"line": paragraph.line, "role": paragraph.role}
    removal = paragraph.removal
    if removal is None:
        row["status"] = "kept"
        return row
    row["status"] = "removed"
    row["reason"] = removal.reason
    if removal.duplicate_of is not None:
        row["duplicate_of"] = {
            "source": removal.duplicate_of.source,
            "line": removal.duplicate_of.line,
        }
    if removal.similarity is not None:
        row["similarity"] = round(removal.similarity, 4)
    return row


def _reconcile(rows: list[dict[str, Any]]) -> None:
    """Every paragraph is accounted for exactly once: kept + removed = read, per article."""
    errors: list[SahelbriefError] = []
    for row in rows:
        lines = [p["line"] for p in row["paragraphs"]]
        if len(lines) != len(set(lines)):
            errors.append(SahelbriefError("report lists a paragraph twice", row["source"]))
    if errors:
        raise BuildFailed("report", errors)
