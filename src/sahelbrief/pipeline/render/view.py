"""What a template sees of an article: its text already converted to safe HTML."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial

from markupsafe import Markup

from sahelbrief.config import Config
from sahelbrief.model import Entry, Outlet, Paragraph
from sahelbrief.pipeline.render import markup
from sahelbrief.pipeline.render.stories import RepeatNote, Stories, StoryLinks


@dataclass(frozen=True)
class ArticleView:
    title: str
    url: str
    source: str
    kind: str
    date: dt.date | None
    updated: dt.date | None
    author: str | None
    outlet: Outlet | None
    topics: tuple[str, ...]
    dek: Markup | None
    summary: tuple[Markup, ...]
    body: Markup
    notes: tuple[Markup, ...]
    teaser: Markup | None
    # The body with a note where a paragraph repeats another article (partials/body.html), and
    # the story's other sources and their additions (partials/also-reported.html).
    body_parts: tuple[Markup | RepeatNote, ...] = ()
    links: StoryLinks = field(default_factory=StoryLinks)


def view(entry: Entry, config: Config, stories: Stories | None = None) -> ArticleView:
    article = entry.article
    inline = partial(markup.inline, base_path=config.base_path)
    kept_dek = article.kept("dek")
    dek = inline(article.dek) if article.dek else inline(kept_dek[0].text) if kept_dek else None
    summary = (
        (inline(article.summary),)
        if article.summary
        else tuple(inline(p.text) for p in article.kept("summary"))
    )
    body = article.kept("body")

    def render_body(paragraphs: Sequence[Paragraph]) -> Markup:
        if article.format == "markdown":
            return markup.block("\n\n".join(p.text for p in paragraphs), config.base_path)
        return Markup("\n").join(Markup("<p>{}</p>").format(inline(p.text)) for p in paragraphs)

    body_html = render_body(body)
    return ArticleView(
        title=article.title,
        url=config.absolute(entry.url),
        source=article.source,
        kind=article.kind,
        date=article.date,
        updated=article.updated,
        author=article.author,
        outlet=article.outlet,
        topics=article.topics,
        dek=dek,
        summary=summary,
        body=body_html,
        notes=tuple(inline(p.text) for p in article.kept("note")),
        teaser=summary[0] if summary else dek or (inline(body[0].text) if body else None),
        body_parts=stories.body(article, render_body) if stories else (body_html,),
        links=stories.links(entry, inline) if stories else StoryLinks(),
    )
