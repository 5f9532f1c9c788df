"""URLs: where each article's page lives, and the URLs of listing pages."""

from __future__ import annotations

from collections.abc import Sequence

from sahelbrief.config import Config
from sahelbrief.errors import OutputError, SahelbriefError, collect
from sahelbrief.model import Article, Entry, Page, canonical_order


def place(articles: Sequence[Article], config: Config) -> tuple[Entry, ...]:
    """Give every article its URL. Slugs derived from titles that collide are numbered (-2,
    -3...) in canonical order, so the result never depends on the order files were read in.
    Explicit slugs must be unique, and may not take a URL a title gives: a story published at
    its title's URL keeps it when a story with that slug is added (it was pushed to -2, so a
    link already shared showed another story). An editor's note (kind: brief) lives on its
    day's edition page."""
    errors: list[SahelbriefError] = []
    ordered = canonical_order(articles)
    notes: dict[str, Article] = {}  # edition pages, which titles' URLs make way for
    chosen: dict[str, Article] = {}  # by explicit slugs
    for article in (a for a in ordered if a.slug_explicit or a.kind == "brief"):
        url = permalink(article, article.slug, config)
        holder = notes.get(url) or chosen.get(url)
        if holder is not None:
            errors.append(
                OutputError(_clash(article, url, holder), article.source, article.slug_line)
            )
        (notes if article.kind == "brief" else chosen)[url] = article
    titled: dict[str, Article] = {}
    for article in (a for a in ordered if not a.slug_explicit and a.kind != "brief"):
        url, number = permalink(article, article.slug, config), 1
        while url in notes or url in titled:
            number += 1
            url = permalink(article, f"{article.slug}-{number}", config)
        titled[url] = article
        holder = chosen.get(url)
        if holder is not None:
            errors.append(
                OutputError(
                    f"slug {holder.slug!r} gives the URL {url}, which {article.source} has from "
                    "its title; choose another slug",
                    holder.source,
                    holder.slug_line,
                )
            )
    collect(errors, "assemble")
    entries = [
        Entry(article, url, output(url))
        for placed in (notes, chosen, titled)
        for url, article in placed.items()
    ]
    return tuple(sorted(entries, key=lambda e: e.article.source))


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
