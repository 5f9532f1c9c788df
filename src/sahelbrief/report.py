"""The --report JSON: every source and every paragraph, kept or removed and why.

Other tools read this file: keep the names, add new ones rather than renaming.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from sahelbrief.errors import BuildFailed, SahelbriefError
from sahelbrief.identity import ByIdentity
from sahelbrief.model import Article, Entry, Lookalike, Paragraph

VERSION = 1


# An article's row by article object, with the URL and output it was made for (the preview's
# builds make the same rows again and again: see sahelbrief.identity). Rows are never changed
# once made.
Rows = ByIdentity[Article, tuple[str | None, str | None, dict[str, Any]]]


def build_report(
    entries: Iterable[Entry],
    drafts: Iterable[Article],
    lookalikes: Iterable[Lookalike] = (),
    made: Rows | None = None,
) -> dict[str, Any]:
    """The report; `lookalikes` are pairs kept apart by the fact guard; `made`: the rows of the
    last build of this process."""
    made = made if made is not None else ByIdentity()
    rows = [_row(e.article, e.url, e.output, made) for e in entries]
    rows += [_row(a, None, None, made) for a in drafts]
    rows.sort(key=lambda row: row["source"])
    paragraphs = [p for row in rows for p in row["paragraphs"]]
    removed = sum(1 for p in paragraphs if p["status"] == "removed")
    reasons = Counter(p["reason"] for p in paragraphs if p["status"] == "removed")
    return {
        "version": VERSION,
        "summary": {
            "articles": len(rows),
            "paragraphs": len(paragraphs),
            "removed": removed,
            "kept": len(paragraphs) - removed,
            "removed_by_reason": dict(sorted(reasons.items())),
            "merged": sum(1 for row in rows if row.get("status") == "merged"),
        },
        "articles": rows,
        "lookalikes": [_lookalike(item) for item in lookalikes],
    }


def _row(article: Article, url: str | None, output: str | None, made: Rows) -> dict[str, Any]:
    found = made.find(article)
    if found is None or found[:2] != (url, output):
        found = made.put(article, (url, output, _article(article, url, output)))
    return found[2]


def _article(article: Article, url: str | None, output: str | None) -> dict[str, Any]:
    row: dict[str, Any] = {
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
    if article.merged_into is not None:
        row["status"] = "merged"
        row["duplicate_story_of"] = article.merged_into
    return row


def _lookalike(item: Lookalike) -> dict[str, Any]:
    return {
        "paragraph": {"source": item.paragraph.source, "line": item.paragraph.line},
        "other": {"source": item.other.source, "line": item.other.line},
        "similarity": round(item.similarity, 4),
        "kept_because": item.reason,
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


def reconcile(articles: Iterable[Article], paragraphs_read: Mapping[str, int]) -> None:
    """Every paragraph read is accounted for exactly once, kept or removed: dedupe marks
    paragraphs, it never drops or repeats one. Checked on every build, report or not."""
    errors: list[SahelbriefError] = []
    for article in articles:
        lines = [p.line for p in article.paragraphs]
        if len(lines) != len(set(lines)):
            errors.append(SahelbriefError("a paragraph is accounted for twice", article.source))
        read = paragraphs_read.get(article.source)
        if read != len(lines):
            kept = sum(1 for p in article.paragraphs if p.kept)
            removed = len(lines) - kept
            errors.append(
                SahelbriefError(
                    f"paragraphs do not reconcile: {read} read, {kept} kept + {removed} removed",
                    article.source,
                )
            )
    if errors:
        raise BuildFailed("report", errors)
