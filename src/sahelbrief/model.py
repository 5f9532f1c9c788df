"""The one data model: plain frozen values that the pipeline stages hand to each other."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal, TypeVar

# Where the text edition lives: every page again under this path, in plain minimal HTML.
TEXT_EDITION = "/text"

Role = Literal["title", "summary", "dek", "body", "note"]
SourceFormat = Literal["seed", "markdown"]
# "brief" is the editor's note of a day: shown at the top of that day's edition, not on its own.
ArticleKind = Literal["article", "page", "brief"]
Taxonomy = Literal["topics", "countries", "sources"]


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
class Correction:
    """A dated correction note, shown on the article (and in its feeds and structured data)."""

    date: dt.date
    text: str


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
    slug_line: int | None = None  # where front matter set the slug, for collision messages
    kind: ArticleKind = "article"
    date: dt.date | None = None
    updated: dt.date | None = None
    summary: str | None = None
    dek: str | None = None
    author: str | None = None
    outlet: Outlet | None = None
    topics: tuple[str, ...] = ()
    draft: bool = False
    # ISO 3166-1 alpha-2 codes ("ML", "TD"), most prominent first. From front matter, or filled
    # in by the classify stage from the headline, summary and lead paragraphs.
    countries: tuple[str, ...] = ()
    # A language tag ("en", "fr"): from front matter, else detected by the classify stage.
    language: str | None = None
    expires: dt.date | None = None
    corrections: tuple[Correction, ...] = ()
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
class Term:
    """One topic, country or source, with the URL of its page."""

    taxonomy: Taxonomy
    slug: str
    name: str
    url: str


@dataclass(frozen=True)
class Entry:
    """An article placed in the site: where its page lives, its terms (with their pages),
    whether listings show it (False once it has expired) and in which edition."""

    article: Article
    url: str
    output: str
    topics: tuple[Term, ...] = ()
    countries: tuple[Term, ...] = ()
    source: Term | None = None
    listed: bool = True
    edition: str | None = None  # the URL of the day's edition that lists it, if one does


@dataclass(frozen=True)
class Pagination:
    number: int
    count: int
    previous_url: str | None
    next_url: str | None


@dataclass(frozen=True)
class Link:
    """A link in an index page or between editions: title, URL, and how many stories it leads to."""

    title: str
    url: str
    count: int = 0
    date: dt.date | None = None


@dataclass(frozen=True)
class Section:
    """A group of stories under a heading (a country or topic in an edition); url is the
    heading's own page, when it has one. A `day` section is headed by its stories' date (or
    "Undated stories"): an archive month's days, the undated stories on the front page."""

    title: str
    url: str | None
    entries: tuple[Entry, ...]
    day: bool = False


@dataclass(frozen=True)
class Page:
    """One HTML page to render: its template and what the template shows.

    `entries` is the flat list of stories on this page (every listing has it); `sections` groups
    the same stories under headings where the page is grouped (editions). `links` are an index
    page's items; `nav` a short list of links to sibling pages (an archive's years). `twin` is
    the same page in the other edition (main site <-> text edition)."""

    template: str
    url: str
    output: str
    title: str
    entry: Entry | None = None
    entries: tuple[Entry, ...] = ()
    pagination: Pagination | None = None
    sections: tuple[Section, ...] = ()
    links: tuple[Link, ...] = ()
    note: Entry | None = None
    date: dt.date | None = None
    earlier: Link | None = None
    later: Link | None = None
    nav: tuple[Link, ...] = ()
    term: Term | None = None
    front: bool = False  # the front page (and its continuation pages): the latest edition
    twin: str | None = None


@dataclass(frozen=True)
class Feed:
    """A syndication feed of one listing (the whole site, a topic, a country). Its Atom, RSS and
    JSON files sit under `url`, the listing page's URL: `url`feed.xml, rss.xml, feed.json."""

    url: str
    title: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Site:
    """`entries` has every article with a page (expired ones too: check Entry.listed);
    `terms` every topic, country and source page, with the entries filed under each."""

    pages: tuple[Page, ...]
    entries: tuple[Entry, ...]
    navigation: tuple[Entry, ...]
    drafts: tuple[Article, ...] = ()
    static: tuple[StaticFile, ...] = field(default=())
    terms: tuple[tuple[Term, tuple[Entry, ...]], ...] = ()
    feeds: tuple[Feed, ...] = ()
    # The build's "now" for machine-readable output (feeds, news sitemap): SOURCE_DATE_EPOCH
    # when set, else the newest article's date, so two builds of the same input are identical.
    now: dt.datetime | None = None


@dataclass(frozen=True)
class OutputFile:
    """A file of the site and its bytes."""

    path: str
    data: bytes


@dataclass(frozen=True)
class StagedFile:
    """A page a page worker wrote into the staging folder itself (pipeline/write.py, stage_new):
    the stamp of what it wrote, and whether the page carries the search attribute
    (pipeline/search.py), instead of its bytes: sent back, every page's HTML crossed a pipe to
    the build, which had no other use for it (about 1 s of CPU of a cold build at 5,000
    articles)."""

    path: str
    staged: FileStamp
    searchable: bool


@dataclass(frozen=True)
class KeptFile:
    """A page whose inputs are those of the same page in the live site: the write stage takes
    the live file (by `digest`, see FileStamp) instead of bytes rendered again; or, when
    `staged` (the stamp of the staging folder's copy, found intact with those very bytes),
    leaves that copy as it is."""

    path: str
    digest: bytes
    staged: FileStamp | None = None


# A file of the site as the render stage hands it to the write stage, for generic passes over them.
SiteFile = TypeVar(
    "SiteFile", OutputFile, KeptFile, OutputFile | KeptFile, OutputFile | KeptFile | StagedFile
)


@dataclass(frozen=True)
class FileStamp:
    """A published file as the build cache remembers it: what it holds (xxh3-128 of the bytes)
    and how the live copy looked when written, to tell whether it can be hard-linked again."""

    digest: bytes
    size: int
    mtime_ns: int
    inode: int


@dataclass(frozen=True)
class IndexRecord:
    """What a build noted of the search index of the site it published (pipeline/search.py):
    the HTML files that carry data-pagefind-body, and, when the site's bundle was made from
    exactly those pages before it was published, which Pagefind made it and the stamp of the
    bundle's entry file as published."""

    paths: frozenset[str]
    made_by: tuple[str, int, int, str] | None = None
    entry: tuple[int, int, int] | None = None


@dataclass(frozen=True)
class WriteSummary:
    files: int
    bytes: int
    # Every file of the new site (what the next build may reuse); written = files not linked.
    published: dict[str, FileStamp] = field(default_factory=dict, compare=False, repr=False)
    written: int = 0
