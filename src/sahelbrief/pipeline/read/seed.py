"""Raw seed text -> Article. Seeds have no metadata, so the parts are inferred from the shape.

The shape the newsroom's sources take: an optional one-paragraph summary, a short title line with
no closing full stop, an optional one-sentence dek, body paragraphs, and editor's notes written
wholly in *asterisks*; often with the title or the last paragraphs pasted again.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from sahelbrief.errors import SourceError
from sahelbrief.model import Article, Paragraph, Role
from sahelbrief.normalize import match_key
from sahelbrief.pipeline.read import frontmatter
from sahelbrief.pipeline.read.common import dated, derive_slug

TITLE_SEARCH = 3  # the title is among the first few lines, or there is none
TITLE_MAX_WORDS = 20
TITLE_MAX_CHARS = 160
DEK_MAX_WORDS = 40
_NOTE = re.compile(r"^\*(?!\*)(?=\S)(.+?)(?<=\S)\*$")
_SENTENCE_BREAK = re.compile(r"[.!?…][\"'”’»)]*\s+[\"'“‘«(]*[A-Z0-9À-Ý]")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)]*$")


def read_seed(lines: list[str], path: str) -> Article:
    body, offset, meta = frontmatter.split(lines, path)
    numbered = [(offset + i, line.strip()) for i, line in enumerate(body) if line.strip()]
    if not numbered:
        raise SourceError("has no text: a seed needs at least a title line", path, offset)
    roles = infer_roles([text for _, text in numbered])
    paragraphs = tuple(
        Paragraph(line, role, text) for (line, text), role in zip(numbered, roles, strict=True)
    )
    if all(p.role == "title" for p in paragraphs):
        # A machine-written source with nothing but a headline is a failed scrape, not a story.
        raise SourceError(
            "has only a title and no text; add the article's paragraphs or remove the file",
            path,
            paragraphs[0].line,
        )
    meta = meta or frontmatter.FrontMatter()
    inferred = next((p for p in paragraphs if p.role == "title"), None)
    if meta.title is not None:
        title, title_line = meta.title, None
    elif inferred is not None:
        title, title_line = inferred.text, inferred.line
    else:
        raise SourceError(
            "no title found: put a short headline with no closing full stop on one of the "
            f"first {TITLE_SEARCH} lines, or set title in front matter",
            path,
            numbered[0][0],
        )
    return Article(
        source=path,
        format="seed",
        kind=meta.kind,
        title=title,
        title_line=title_line,
        paragraphs=paragraphs,
        slug=meta.slug or derive_slug(title, PurePosixPath(path).stem),
        slug_explicit=meta.slug is not None,
        date=dated(meta, path),
        **meta.article_fields(),
    )


def infer_roles(texts: list[str]) -> list[Role]:
    """The role of each non-blank line, from the shape of the text alone."""
    title_at = next((i for i, t in enumerate(texts[:TITLE_SEARCH]) if is_title(t)), None)
    roles: list[Role] = ["note" if is_note(t) else "body" for t in texts]
    if title_at is None:
        return roles
    title_key = match_key(texts[title_at])
    for i in range(title_at):
        if roles[i] == "body":
            roles[i] = "summary"
    after = title_at + 1
    for i, text in enumerate(texts):
        if i >= title_at and match_key(text) == title_key:
            roles[i] = "title"
            if i == after:
                after += 1
    if after < len(texts) - 1 and roles[after] == "body" and is_one_sentence(texts[after]):
        roles[after] = "dek"
    return roles


def is_title(text: str) -> bool:
    words = len(text.split())
    return (
        0 < words <= TITLE_MAX_WORDS
        and len(text) <= TITLE_MAX_CHARS
        and not text.endswith((".", "…", ":", ";", ","))
        and not is_note(text)
    )


def is_note(text: str) -> bool:
    return _NOTE.match(text) is not None


def is_one_sentence(text: str) -> bool:
    return (
        len(text.split()) <= DEK_MAX_WORDS
        and _SENTENCE_END.search(text) is not None
        and _SENTENCE_BREAK.search(text) is None
    )
