"""The one data model: plain frozen values that the pipeline stages hand to each other."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

Role = Literal["title", "summary", "dek", "body", "note"]
SourceFormat = Literal["seed", "markdown"]
ArticleKind = Literal["article", "page"]


@dataclass(frozen=True)
class Ref:
    """A paragraph's place: its source file (project-relative, `/`-separated) and 1-based line."""

    source: str
    line: int


@dataclass(frozen=True)
class Removal:
    """Why dedupe removed a paragraph, and which kept paragraph it repeats."""

    reason: str
    duplicate_of: Ref | None = None
    similarity: float | None = None


@dataclass(frozen=True)
class Paragraph:
    line: int
    role: Role
    text: str
    removal: Removal | None = None

    @property
    def kept(self) -> bool:
        return self.removal is None


@dataclass(frozen=True)
class Outlet:
    """Where a story was first published."""

    name: str
    url: str | None = None


@dataclass(frozen=True)
class Article:
    """One source file, read. Seeds and Markdown articles share this shape."""

    source: str
    format: SourceFormat
    title: str
    title_line: int | None
    paragraphs: tuple[Paragraph, ...]
    slug: str
    slug_explicit: bool = False
    kind: ArticleKind = "article"
    date: dt.date | None = None
    updated: dt.date | None = None
    summary: str | None = None
    dek: str | None = None
    author: str | None = None
    outlet: Outlet | None = None
    topics: tuple[str, ...] = ()
    draft: bool = False
    # Set by dedupe when this article is a copy of another story (syndicated, re-filed): the
    # source of that story. Its paragraphs that add something are shown on the story's page.
    merged_into: str | None = None

    def kept(self, *roles: Role) -> tuple[Paragraph, ...]:
        """Kept paragraphs, in source order, limited to `roles` when given."""
        return tuple(p for p in self.paragraphs if p.kept and (not roles or p.role in roles))


def canonical_order(articles: Iterable[Article]) -> list[Article]:
    """The site's reading order for "which came first": undated, then by date, then by path."""
    return sorted(articles, key=lambda a: (a.date is not None, a.date or dt.date.min, a.source))


def newest_first(articles: Iterable[Article]) -> list[Article]:
    """Listing order: newest dated first, undated last, ties by path."""
    by_path = sorted(articles, key=lambda a: a.source)
    dated = sorted(
        (a for a in by_path if a.date), key=lambda a: a.date or dt.date.min, reverse=True
    )
    return dated + [a for a in by_path if a.date is None]


@dataclass(frozen=True)
class StaticFile:
    """A file copied through unchanged (the project's static/ folder, the theme's assets)."""

    path: str
    data: bytes


@dataclass(frozen=True)
class Sources:
    """Everything the read stage found."""

    articles: tuple[Article, ...]
    static: tuple[StaticFile, ...] = ()


@dataclass(frozen=True)
class Lookalike:
    """Two paragraphs that read alike but were kept apart because their facts differ."""

    paragraph: Ref
    other: Ref
    similarity: float
    reason: str


@dataclass(frozen=True)
class Deduped:
    """Articles with every paragraph marked kept or removed, copies marked `merged_into`."""

    articles: tuple[Article, ...]
    lookalikes: tuple[Lookalike, ...] = ()

    @property
    def removed(self) -> int:
        return sum(1 for a in self.articles for p in a.paragraphs if not p.kept)


@dataclass(frozen=True)
class Entry:
    """An article placed in the site: where its page lives."""

    article: Article
    url: str
    output: str


@dataclass(frozen=True)
class Pagination:
    number: int
    count: int
    previous_url: str | None
    next_url: str | None


@dataclass(frozen=True)
class Page:
    """One HTML page to render: its template and what the template shows."""

    template: str
    url: str
    output: str
    title: str
    entry: Entry | None = None
    entries: tuple[Entry, ...] = ()
    pagination: Pagination | None = None


@dataclass(frozen=True)
class Site:
    pages: tuple[Page, ...]
    entries: tuple[Entry, ...]
    navigation: tuple[Entry, ...]
    drafts: tuple[Article, ...] = ()
    static: tuple[StaticFile, ...] = field(default=())


@dataclass(frozen=True)
class OutputFile:
    path: str
    data: bytes


@dataclass(frozen=True)
class WriteSummary:
    files: int
    bytes: int
