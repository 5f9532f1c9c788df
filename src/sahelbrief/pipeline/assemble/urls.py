"""URLs: where each article's page lives, and the URLs of listing pages."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

from sahelbrief.config import Config
from sahelbrief.errors import OutputError, SahelbriefError, collect, warn_once
from sahelbrief.model import Article, Entry, Page, canonical_order

log = logging.getLogger(__name__)


def place(articles: Sequence[Article], config: Config) -> tuple[Entry, ...]:
    """Give every article its URL. Explicit slugs must be unique, and win: slugs derived from
    titles that collide with one another or with an explicit slug are numbered (-2, -3...) in
    canonical order, so the result never depends on the order files were read in. A story an
    explicit slug pushes off the URL its title gives is warned about (a slug added later moves
    a story already published, whose shared links then show another story; a seed arriving
    with the title of a story given a slug is numbered, as before, and the build goes on). An
    editor's note (kind: brief) lives on its day's edition page."""
    errors: list[SahelbriefError] = []
    ordered = canonical_order(articles)
    chosen: dict[str, Article] = {}  # by explicit slugs, and the editor's notes
    for article in (a for a in ordered if a.slug_explicit or a.kind == "brief"):
        url = permalink(article, article.slug, config)
        if url in chosen:
            errors.append(
                OutputError(_clash(article, url, chosen[url]), article.source, article.slug_line)
            )
        chosen[url] = article
    collect(errors, "assemble")
    titled = [a for a in ordered if not a.slug_explicit and a.kind != "brief"]
    placed, pushed = _numbered(titled, config, chosen)
    if pushed:  # which stories moved: against the URLs as if no story had a slug
        alone, _ = _numbered(titled, config, {})
        for (url, article), meant in zip(placed.items(), alone, strict=True):
            if url != meant:
                taker = f"{chosen[meant].source}'s slug" if meant in chosen else "a slug"
                warn_once(log, _MOVED, article.source, meant, taker, url)
    entries = [Entry(a, url, output(url)) for url, a in (*chosen.items(), *placed.items())]
    return tuple(sorted(entries, key=lambda e: e.article.source))


def _numbered(
    titled: Sequence[Article], config: Config, taken: Mapping[str, Article]
) -> tuple[dict[str, Article], bool]:
    """URLs from the titles' slugs, in canonical order, numbered past those `taken` or given;
    and whether any was numbered past one `taken` (else no story moved for them)."""
    placed: dict[str, Article] = {}
    pushed = False
    for article in titled:
        url, number = permalink(article, article.slug, config), 1
        while url in taken or url in placed:
            pushed = pushed or url in taken
            number += 1
            url = permalink(article, f"{article.slug}-{number}", config)
        placed[url] = article
    return placed, pushed


_MOVED = (
    "%s: its title gives the URL %s, which %s takes: it is published at %s (links to it shared "
    "before that slug was added now show another story; give it a slug: to choose its URL, or "
    "choose another slug there)"
)


def refuse_shared_outputs(pages: Sequence[Page]) -> None:
    """A slug can make an article's URL that of a page the site makes itself (a listing's
    "/page/2/", an archive): report it here, with the article's file, rather than as a bare
    collision when the files are written."""
    owners: dict[str, Page] = {}
    errors: list[SahelbriefError] = []
    for page in sorted(pages, key=lambda p: p.entry is not None):
        other = owners.setdefault(page.output.casefold(), page)
        if other is not page and page.entry is not None:
            used_by = other.entry.article.source if other.entry else "a page the site makes"
            errors.append(
                OutputError(
                    f"its URL {page.url} is already used by {used_by}; choose another slug",
                    page.entry.article.source,
                    page.entry.article.slug_line,
                )
            )
    collect(errors, "assemble")


def _clash(article: Article, url: str, holder: Article) -> str:
    if article.kind == "brief":
        return f"{holder.source} is already the editor's note of {url}: keep one note per day"
    return (
        f"slug {article.slug!r} gives the URL {url}, already used by {holder.source}; "
        "choose another slug"
    )


def permalink(article: Article, slug: str, config: Config) -> str:
    if article.kind == "brief" and article.date:
        return edition_url(article.date.isoformat())
    pattern = config.page_permalink if article.kind == "page" else config.permalink
    date = article.date
    return pattern.format(
        slug=slug,
        year=f"{date.year:04d}" if date else "undated",
        month=f"{date.month:02d}" if date else "undated",
        day=f"{date.day:02d}" if date else "undated",
    )


def edition_url(day: str) -> str:
    """An edition's page: /briefs/2026-11-24/ (day "undated" for the stories with no date)."""
    return f"/briefs/{day}/"


def output(url: str) -> str:
    """The file a pretty URL is served from."""
    return url.lstrip("/") + "index.html"


def page_url(base: str, number: int) -> str:
    """Page `number` of a listing at `base`: the base itself, then base + "page/N/"."""
    return base if number == 1 else f"{base}page/{number}/"
