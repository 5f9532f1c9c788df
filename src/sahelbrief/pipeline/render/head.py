"""What every page's <head> tells machines: canonical URL, feeds, Open Graph and Twitter card
values, and for a story its NewsArticle JSON-LD. Computed here; partials/head-meta.html only
prints it."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from markupsafe import Markup

from sahelbrief.clock import last_change, moment
from sahelbrief.config import Config
from sahelbrief.model import Feed, Page
from sahelbrief.pipeline.render import jsonld
from sahelbrief.pipeline.render.feeds import feed_links
from sahelbrief.pipeline.render.view import ArticleView

# A brief (the editor's note of the day) is news writing too.
NEWS_KINDS = ("article", "brief")


@dataclass(frozen=True)
class Head:
    canonical: str
    url: str | None  # absolute, for og:url; None when base_url is a bare path
    description: str
    kind: str  # og:type
    locale: str
    alternates: tuple[tuple[str, str, str], ...]  # (type, title, href)
    published: str | None = None
    modified: str | None = None
    # The story's JSON-LD, made when a template asks for `structured`: the text edition's
    # head does not (making it costs about 50 us: 0.25 s of CPU for 5,000 text pages).
    structure: Callable[[], Markup] | None = field(default=None, repr=False, compare=False)

    @functools.cached_property
    def structured(self) -> Markup | None:
        try:
            return self.structure() if self.structure else None
        except AttributeError as exc:  # Jinja would take it for "no attribute `structured`"
            raise RuntimeError(f"making the JSON-LD: {exc}") from exc


class HeadMaker:
    """Builds the Head of each page; the feed links are worked out once per site."""

    def __init__(self, config: Config, feeds: Sequence[Feed]) -> None:
        self.config = config
        self.site_links = tuple(feed_links(feeds[0], config)) if feeds else ()
        self.listing_links = {f.url: tuple(feed_links(f, config)) for f in feeds[1:]}

    def __call__(self, page: Page, views: Mapping[str, ArticleView]) -> Head:
        config = self.config
        if page.template.startswith("text/") and page.twin:
            # A text-edition page is a copy: search engines should index its main-site twin.
            page = replace(page, url=page.twin)
        absolute = config.external(page.url)
        alternates = self.listing_links.get(_listing_url(page.url), ()) + self.site_links
        entry = page.entry
        teaser = views[entry.article.source].teaser if entry else None
        description = teaser.striptags() if teaser else config.description
        if entry is None or entry.article.kind not in NEWS_KINDS:
            return Head(
                canonical=absolute or config.absolute(page.url),
                url=absolute,
                description=description,
                kind="website",
                locale=_locale(config.language),
                alternates=alternates,
            )
        article = entry.article
        view = views[article.source]
        return Head(
            canonical=absolute or config.absolute(page.url),
            url=absolute,
            description=description,
            kind="article",
            locale=_locale(article.language or config.language),
            alternates=alternates,
            published=_time(article.date, config),
            modified=_time(last_change(article), config),
            structure=lambda: jsonld.script(jsonld.news_article(entry, view, config)),
        )


def _listing_url(url: str) -> str:
    """A listing's first page: /topics/mali/page/3/ -> /topics/mali/."""
    head, marker, _ = url.rpartition("/page/")
    return head + "/" if marker else url


def _locale(tag: str) -> str:
    """og:locale wants language_TERRITORY; a bare language is accepted."""
    language, _, territory = tag.partition("-")
    return f"{language}_{territory.upper()}" if territory else language


def _time(day: dt.date | None, config: Config) -> str | None:
    return moment(day, config.timezone).isoformat() if day else None
