"""The assemble stage: pure. Decides which pages the site has, their URLs and output paths."""

from __future__ import annotations

import math
from collections.abc import Sequence

from sahelbrief.config import Config
from sahelbrief.errors import OutputError, SahelbriefError, collect
from sahelbrief.model import (
    Article,
    Deduped,
    Entry,
    Page,
    Pagination,
    Site,
    StaticFile,
    canonical_order,
    newest_first,
)


def assemble(deduped: Deduped, config: Config, static: tuple[StaticFile, ...] = ()) -> Site:
    entries = place(deduped.articles, config)
    # A copy of another story (dedupe's merged_into) keeps its URL but is listed only as its
    # story, whose page names it.
    stories = [e for e in entries if e.article.kind == "article" and e.article.merged_into is None]
    by_source = {e.article.source: e for e in stories}
    ordered = [by_source[a.source] for a in newest_first(e.article for e in stories)]
    navigation = tuple(
        sorted(
            (e for e in entries if e.article.kind == "page"),
            key=lambda e: (e.article.title.casefold(), e.article.source),
        )
    )
    pages = [
        *(
            Page(
                _template(e.article),
                e.url,
                e.output,
                e.article.title,
                entry=e,
            )
            for e in entries
        ),
        *listing(ordered, config),
        Page("404.html", "/404.html", "404.html", "Page not found"),
    ]
    return Site(tuple(pages), tuple(entries), navigation, static=static)


def _template(article: Article) -> str:
    if article.merged_into is not None:
        return "copy.html"
    return "article.html" if article.kind == "article" else "page.html"


def place(articles: Sequence[Article], config: Config) -> tuple[Entry, ...]:
    """Give every article its URL. Explicit slugs must be unique; slugs derived from titles that
    collide are numbered (-2, -3...) in canonical order, so the result never depends on the
    order files were read in."""
    errors: list[SahelbriefError] = []
    taken: dict[str, Article] = {}
    ordered = canonical_order(articles)
    for article in (a for a in ordered if a.slug_explicit):
        url = permalink(article, article.slug, config)
        if url in taken:
            errors.append(
                OutputError(
                    f"slug {article.slug!r} gives the URL {url}, already used by "
                    f"{taken[url].source}; choose another slug",
                    article.source,
                )
            )
        taken[url] = article
    for article in (a for a in ordered if not a.slug_explicit):
        slug, number = article.slug, 1
        while permalink(article, slug, config) in taken:
            number += 1
            slug = f"{article.slug}-{number}"
        taken[permalink(article, slug, config)] = article
    collect(errors, "assemble")
    entries = [
        Entry(article, url, url.lstrip("/") + "index.html") for url, article in taken.items()
    ]
    return tuple(sorted(entries, key=lambda e: e.article.source))


def permalink(article: Article, slug: str, config: Config) -> str:
    pattern = config.page_permalink if article.kind == "page" else config.permalink
    date = article.date
    return pattern.format(
        slug=slug,
        year=f"{date.year:04d}" if date else "undated",
        month=f"{date.month:02d}" if date else "undated",
        day=f"{date.day:02d}" if date else "undated",
    )


def listing(entries: Sequence[Entry], config: Config) -> list[Page]:
    """The front page and its continuation pages (/page/2/ ...), newest first."""
    count = max(1, math.ceil(len(entries) / config.per_page))
    urls = ["/"] + [f"/page/{n}/" for n in range(2, count + 1)]
    return [
        Page(
            "index.html",
            url,
            url.lstrip("/") + "index.html",
            config.title,
            entries=tuple(entries[i * config.per_page : (i + 1) * config.per_page]),
            pagination=Pagination(
                i + 1, count, urls[i - 1] if i else None, urls[i + 1] if i + 1 < count else None
            ),
        )
        for i, url in enumerate(urls)
    ]
