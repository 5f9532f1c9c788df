"""Feeds: Atom 1.0, RSS 2.0 and JSON Feed 1.1 of a listing, with full content.

XML is built with ElementTree, so every piece of source text is escaped by a serializer, never
pasted into markup. Entry ids are the articles' absolute URLs (stable while the URL is); every
time comes from the articles themselves, never the clock.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from email.utils import format_datetime
from urllib.parse import urlsplit

from markupsafe import Markup

from sahelbrief import __version__
from sahelbrief.clock import last_change, moment, rfc3339
from sahelbrief.config import Config
from sahelbrief.model import Entry, Feed, OutputFile
from sahelbrief.pipeline.render.view import ArticleView
from sahelbrief.pipeline.render.xmlout import clean, serialize, text

ATOM_NS = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DC_NS = "http://purl.org/dc/elements/1.1/"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
ET.register_namespace("atom", ATOM_NS)
ET.register_namespace("dc", DC_NS)
ET.register_namespace("content", CONTENT_NS)

FORMATS = (
    ("feed.xml", "application/atom+xml", "Atom"),
    ("rss.xml", "application/rss+xml", "RSS"),
    ("feed.json", "application/feed+json", "JSON Feed"),
)
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
_ROOT_RELATIVE = re.compile(r'(\s(?:href|src)=")/(?!/)')


@dataclass(frozen=True)
class Labels:
    """The theme's words for what a feed item adds to the story (notes, corrections), in the
    site's language: the templates' gettext and date functions."""

    gettext: Callable[..., str] = lambda message, **values: message % values if values else message
    date: Callable[[dt.date], str] = dt.date.isoformat


@dataclass(frozen=True)
class _Item:
    """One entry, everything resolved: absolute URLs, aware datetimes, plain and HTML text."""

    id: str
    url: str
    title: str
    summary: str
    content: str
    published: dt.datetime
    updated: dt.datetime
    author: str
    tags: tuple[str, ...]
    language: str


def feed_files(
    feed: Feed,
    config: Config,
    views: Mapping[str, ArticleView],
    now: dt.datetime | None,
    labels: Labels = Labels(),
) -> Iterator[OutputFile]:
    """The three files of `feed`; nothing when base_url is a bare path (feeds need absolute
    URLs)."""
    home = config.external(feed.url)
    if home is None:
        return
    # The feed is as new as its newest dated story or correction; an undated story is given
    # that time too, so it never makes the feed look newer than its content.
    changes = [last_change(e.article) for e in feed.entries]
    latest = max((c for c in changes if c is not None), default=None)
    updated = moment(latest, config.timezone) if latest else now or _EPOCH
    items = [_item(e, config, views[e.article.source], updated, labels) for e in feed.entries]
    atom, rss, json = feed_outputs(feed, config)
    yield OutputFile(atom, _atom(feed, config, home, items, updated))
    yield OutputFile(rss, _rss(feed, config, home, items, updated))
    yield OutputFile(json, _json_feed(feed, config, home, items))


def feed_outputs(feed: Feed, config: Config) -> list[str]:
    """The paths of the files `feed_files` writes for `feed`, in that order."""
    if config.external(feed.url) is None:
        return []
    return [feed.url.lstrip("/") + name for name, _, _ in FORMATS]


def feed_links(feed: Feed, config: Config) -> list[tuple[str, str, str]]:
    """(type, title, href) of each format of `feed`, for `<link rel="alternate">`."""
    if config.origin is None:
        return []
    return [
        (kind, f"{feed.title} ({label})", config.external(feed.url + name) or "")
        for name, kind, label in FORMATS
    ]


def _item(
    entry: Entry, config: Config, view: ArticleView, undated: dt.datetime, labels: Labels
) -> _Item:
    article = entry.article
    url = config.external(entry.url) or entry.url
    published = moment(article.date, config.timezone) if article.date else undated
    changed = last_change(article)
    updated = moment(changed, config.timezone) if changed else published
    parts = urlsplit(config.base_url)
    host = f"{parts.scheme}://{parts.netloc}"
    html = Markup("\n").join(
        [
            *(Markup("<p>{}</p>").format(p) for p in view.summary),
            view.body,
            *(
                Markup("<p><strong>{}</strong> {}</p>").format(labels.gettext("Editor's note:"), n)
                for n in view.notes
            ),
            *(
                Markup("<p><strong>{}</strong> {}</p>").format(
                    labels.gettext("Correction, %(day)s:", day=labels.date(c.date)), c.text
                )
                for c in article.corrections
            ),
        ]
    )
    return _Item(
        id=url,
        url=url,
        title=clean(article.title),
        summary=clean(view.teaser.striptags() if view.teaser else ""),
        # Root-relative links in the body would resolve against the feed reader, not the site.
        content=clean(_ROOT_RELATIVE.sub(lambda m: m.group(1) + host + "/", str(html))),
        published=published,
        updated=max(updated, published),
        author=clean(article.author or config.title),
        tags=tuple(
            clean(t) for t in dict.fromkeys([*article.topics, *(c.name for c in entry.countries)])
        ),
        language=article.language or config.language,
    )


def _atom(feed: Feed, config: Config, home: str, items: list[_Item], updated: dt.datetime) -> bytes:
    root = ET.Element("feed", {"xmlns": ATOM_NS, XML_LANG: config.language})
    text(root, "title", clean(feed.title))
    text(root, "subtitle", clean(config.description))
    ET.SubElement(
        root,
        "link",
        {"rel": "self", "type": "application/atom+xml", "href": home + "feed.xml"},
    )
    ET.SubElement(root, "link", {"rel": "alternate", "type": "text/html", "href": home})
    text(root, "id", home)
    text(root, "updated", rfc3339(updated))
    text(root, "generator", "sahelbrief", uri="https://pypi.org/project/sahelbrief/")
    for item in items:
        entry = ET.SubElement(root, "entry", {XML_LANG: item.language})
        text(entry, "title", item.title)
        ET.SubElement(entry, "link", {"rel": "alternate", "type": "text/html", "href": item.url})
        text(entry, "id", item.id)
        text(entry, "published", rfc3339(item.published))
        text(entry, "updated", rfc3339(item.updated))
        author = ET.SubElement(entry, "author")
        text(author, "name", item.author)
        for tag in item.tags:
            ET.SubElement(entry, "category", {"term": tag})
        if item.summary:
            text(entry, "summary", item.summary)
        text(entry, "content", item.content, type="html")
    return serialize(root)


def _rss(feed: Feed, config: Config, home: str, items: list[_Item], updated: dt.datetime) -> bytes:
    root = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(root, "channel")
    text(channel, "title", clean(feed.title))
    text(channel, "link", home)
    text(channel, "description", clean(config.description))
    text(channel, "language", config.language)
    text(channel, "lastBuildDate", format_datetime(updated))
    text(channel, "generator", f"sahelbrief {__version__}")
    ET.SubElement(
        channel,
        f"{{{ATOM_NS}}}link",
        {"href": home + "rss.xml", "rel": "self", "type": "application/rss+xml"},
    )
    for item in items:
        node = ET.SubElement(channel, "item")
        text(node, "title", item.title)
        text(node, "link", item.url)
        text(node, "guid", item.id, isPermaLink="true")
        text(node, "pubDate", format_datetime(item.published))
        text(node, f"{{{DC_NS}}}creator", item.author)
        text(node, f"{{{ATOM_NS}}}updated", rfc3339(item.updated))
        for tag in item.tags:
            text(node, "category", tag)
        # RSS readers show a description as HTML: the plain-text summary must be escaped, or a
        # "<script>" in a source's text would be live in the reader.
        text(node, "description", html.escape(item.summary or item.title, quote=False))
        text(node, f"{{{CONTENT_NS}}}encoded", item.content)
    return serialize(root)


def _json_feed(feed: Feed, config: Config, home: str, items: list[_Item]) -> bytes:
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": feed.title,
        "home_page_url": home,
        "feed_url": home + "feed.json",
        "description": config.description,
        "language": config.language,
        "authors": [{"name": config.title, "url": config.external("/")}],
        "items": [
            {
                "id": item.id,
                "url": item.url,
                "title": item.title,
                "content_html": item.content,
                **({"summary": item.summary} if item.summary else {}),
                "date_published": rfc3339(item.published),
                "date_modified": rfc3339(item.updated),
                "authors": [{"name": item.author}],
                **({"tags": list(item.tags)} if item.tags else {}),
                "language": item.language,
            }
            for item in items
        ],
    }
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
