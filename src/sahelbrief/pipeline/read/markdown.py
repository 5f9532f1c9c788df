"""Markdown article with YAML front matter -> Article. Blocks between blank lines are paragraphs."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from sahelbrief.errors import SourceError
from sahelbrief.model import Article, Paragraph
from sahelbrief.pipeline.read import frontmatter
from sahelbrief.pipeline.read.common import dated, derive_slug

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
# Python-Markdown slows down sharply with nesting depth (2,000 nested list levels take a minute
# before they overflow the stack); no article nests lists or quotes this deep.
MAX_INDENT = 64
MAX_QUOTES = 16
_QUOTES = re.compile(r"^(?:\s*>)+")


def read_markdown(lines: list[str], path: str) -> Article:
    body, offset, meta = frontmatter.split(lines, path)
    if meta is None:
        raise SourceError(
            'needs front matter: start the file with "---", a "title: ..." line and "---"', path, 1
        )
    if meta.title is None:
        raise SourceError("front matter has no title (title is required)", path, 2)
    _refuse_deep_nesting(body, offset, path)
    date = dated(meta, path)
    return Article(
        source=path,
        format="markdown",
        kind=meta.kind,
        title=meta.title,
        title_line=None,
        paragraphs=tuple(Paragraph(line, "body", text) for line, text in blocks(body, offset)),
        slug=meta.slug or derive_slug(meta.title, PurePosixPath(path).stem),
        slug_explicit=meta.slug is not None,
        date=date,
        **meta.article_fields(),
    )


def blocks(lines: list[str], first_line: int) -> list[tuple[int, str]]:
    """Markdown blocks separated by blank lines, with their first line; a fenced code block is
    one block even when it holds blank lines."""
    found: list[tuple[int, str]] = []
    current: list[str] = []
    start = first_line
    fence: str | None = None
    for number, line in enumerate(lines, first_line):
        marker = _FENCE.match(line)
        if fence is None and not line.strip():
            if current:
                found.append((start, "\n".join(current)))
                current = []
            continue
        if not current:
            start = number
        current.append(line.rstrip())
        if marker and (fence is None or marker.group(1).startswith(fence)):
            fence = None if fence else marker.group(1)[0] * 3
    if current:
        found.append((start, "\n".join(current)))
    return found


def _refuse_deep_nesting(lines: list[str], first_line: int, path: str) -> None:
    for number, line in enumerate(lines, first_line):
        indent = len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())
        quotes = _QUOTES.match(line)
        if indent > MAX_INDENT or (quotes and quotes.group().count(">") > MAX_QUOTES):
            raise SourceError(
                f"is nested too deeply (more than {MAX_INDENT} spaces of indentation or "
                f"{MAX_QUOTES} levels of quotes); flatten the lists or quotes",
                path,
                number,
            )
