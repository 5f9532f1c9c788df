"""What a template sees of an article: its text already converted to safe HTML, and its topics,
countries and source as terms linking to their pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial

from markupsafe import Markup

from sahelbrief.config import Config
from sahelbrief.model import TEXT_EDITION, Correction, Entry, Outlet, Paragraph, Term
from sahelbrief.pipeline.render import markup
from sahelbrief.pipeline.render.stories import RepeatNote, Stories, StoryLinks


@dataclass(frozen=True)
class ViewSettings:
    """All that a view is given of the configuration. Views are kept between builds under these
    (render/keys.py), so a setting they do not read (the title, search) makes no view again."""

    base_path: str
    language: str

    @classmethod
    def of(cls, config: Config) -> ViewSettings:
        return cls(config.base_path, config.language)

    def absolute(self, url: str) -> str:
        """As Config.absolute."""
        return self.base_path + url.lstrip("/")


@dataclass(frozen=True)
class ArticleView:
    title: str
    url: str  # as the browser requests it (base path included)
    path: str  # site-relative ("/articles/x/"), for links into the text edition
    source: str
    kind: str
    date: dt.date | None
    updated: dt.date | None
    author: str | None
    outlet: Outlet | None
    topics: tuple[Term, ...]
    countries: tuple[Term, ...]
    outlet_page: Term | None
    kicker: Term | None  # the first country, else the first topic
    edition: str | None  # site-relative URL of the edition that lists it
    language: str
    lang: str | None  # the article's language when it differs from the site's, for lang=""
    corrections: tuple[Correction, ...]
    dek: Markup | None
    summary: tuple[Markup, ...]
    body: Markup
    notes: tuple[Markup, ...]
    teaser: Markup | None
    # The body for the text edition: no images, and site links that stay in the text edition.
    text_body: Markup
    # The body with a note where a paragraph repeats another article (partials/body.html), and
    # the story's other sources and their additions (partials/also-reported.html).
    body_parts: tuple[Markup | RepeatNote, ...] = ()
    links: StoryLinks = field(default_factory=StoryLinks)


def view(entry: Entry, settings: ViewSettings, stories: Stories | None = None) -> ArticleView:
    article = entry.article
    inline = partial(markup.inline, base_path=settings.base_path)
    kept_dek = article.kept("dek")
    dek = inline(article.dek) if article.dek else inline(kept_dek[0].text) if kept_dek else None
    summary = (
        (inline(article.summary),)
        if article.summary
        else tuple(inline(p.text) for p in article.kept("summary"))
    )
    body = article.kept("body")
    body_html = _body(article.format, [p.text for p in body], settings.base_path, True)

    def render_body(paragraphs: Sequence[Paragraph]) -> Markup:
        # Most bodies are one run of kept paragraphs: that part is the body's HTML, held once.
        if tuple(paragraphs) == body:
            return body_html
        return _body(article.format, [p.text for p in paragraphs], settings.base_path, True)

    text_base = settings.absolute(TEXT_EDITION + "/")
    text_body = _body(article.format, [p.text for p in body], text_base, False)
    terms = (*entry.countries, *entry.topics)
    language = article.language or settings.language
    return ArticleView(
        title=article.title,
        url=settings.absolute(entry.url),
        path=entry.url,
        source=article.source,
        kind=article.kind,
        date=article.date,
        updated=article.updated,
        author=article.author,
        outlet=article.outlet,
        topics=entry.topics,
        countries=entry.countries,
        outlet_page=entry.source,
        kicker=terms[0] if terms else None,
        edition=entry.edition,
        language=language,
        lang=language if _base(language) != _base(settings.language) else None,
        corrections=article.corrections,
        dek=dek,
        summary=summary,
        body=body_html,
        notes=tuple(inline(p.text) for p in article.kept("note")),
        # Listings show the shortest standfirst there is: the one-sentence dek, else the summary.
        teaser=dek or (summary[0] if summary else inline(body[0].text) if body else None),
        # Equal unless the body links into the site or shows an image: then held once too
        # (every view stays in memory while the pages render, and in the cache).
        text_body=body_html if text_body == body_html else text_body,
        body_parts=stories.body(article, render_body) if stories else (body_html,),
        links=stories.links(entry, inline) if stories else StoryLinks(),
    )


def _body(format: str, paragraphs: list[str], base_path: str, images: bool) -> Markup:
    if format == "markdown":
        return markup.block("\n\n".join(paragraphs), base_path, images)
    return Markup("\n").join(
        Markup("<p>{}</p>").format(markup.inline(p, base_path=base_path)) for p in paragraphs
    )


def _base(language: str) -> str:
    return language.split("-")[0].lower()
