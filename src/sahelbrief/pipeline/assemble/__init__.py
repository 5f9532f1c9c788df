"""The assemble stage: pure. Decides which pages the site has, their URLs and output paths:
articles, editions and the front page, topic, country and source pages, archives, and the text
edition. Every listing shows only listed entries (an expired article keeps its page but leaves
every list)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from sahelbrief.config import Config
from sahelbrief.identity import ByIdentity
from sahelbrief.model import Article, Deduped, Entry, Page, Site, StaticFile, newest_first
from sahelbrief.pipeline.assemble.archives import archive_pages
from sahelbrief.pipeline.assemble.editions import edition_pages
from sahelbrief.pipeline.assemble.reuse import KnownPages
from sahelbrief.pipeline.assemble.taxonomy import (
    file_entries,
    only_filed,
    term_pages,
    with_terms,
)
from sahelbrief.pipeline.assemble.text import with_text_edition
from sahelbrief.pipeline.assemble.urls import (
    edition_url,
    permalink,
    place,
    refuse_shared_outputs,
)

__all__ = ["KnownPages", "assemble", "entries_settings", "permalink", "place"]


def assemble(
    deduped: Deduped,
    config: Config,
    static: tuple[StaticFile, ...] = (),
    today: dt.date | None = None,
    made: ByIdentity[Article, Entry] | None = None,
    reuse: KnownPages | None = None,
) -> Site:
    """`today` decides expiry: an article whose `expires` date is on or before it is unlisted.
    `made`: the entries the last build of this process made with the same `entries_settings`,
    by article object (see sahelbrief.identity); `reuse`: its pages (see reuse.py)."""
    made = made if made is not None else ByIdentity()
    reuse = reuse or KnownPages(active=False)
    placed = place(deduped.articles, config)
    entries = tuple(_entry(e, config.language, today, made) for e in placed)
    stories = [e for e in entries if e.article.kind == "article" and e.listed]
    by_source = {e.article.source: e for e in stories}
    ordered = [by_source[a.source] for a in newest_first(e.article for e in stories)]
    notes = [e for e in entries if e.article.kind == "brief"]
    navigation = tuple(
        sorted(
            (e for e in entries if e.article.kind == "page" and e.listed),
            key=lambda e: (e.article.title.casefold(), e.article.source),
        )
    )
    editions, edition_links = edition_pages(ordered, notes, config, reuse)
    filed = file_entries(ordered)
    entries = tuple(e if e.listed else only_filed(e, filed) for e in entries)
    pages = [
        *(reuse.article(e, _page) for e in entries if e.article.kind != "brief"),
        *editions,
        *term_pages(filed, config, reuse),
        *archive_pages(ordered, edition_links, config, reuse),
        Page("404.html", "/404.html", "404.html", "Page not found"),
    ]
    refuse_shared_outputs(pages)
    text = with_text_edition(pages, reuse)
    return Site(tuple(text), entries, navigation, static=static, terms=filed)


def entries_settings(config: Config, today: dt.date | None) -> tuple[str, dt.date | None]:
    """All that an entry is made of besides its article, URL and output path (which `_entry`
    compares): the language (of the countries' names) and `today`. A memo of entries serves
    the builds that agree on these; a setting such as the title makes no entry again."""
    return (config.language, today)


def _entry(
    placed: Entry, language: str, today: dt.date | None, made: ByIdentity[Article, Entry]
) -> Entry:
    """The placed article with its terms and listing, or the same entry as last time."""
    before = made.find(placed.article)
    if before is not None and (before.url, before.output) == (placed.url, placed.output):
        return before
    return made.put(placed.article, _placed(with_terms(placed, language), today))


def _page(entry: Entry) -> Page:
    return Page(_template(entry.article), entry.url, entry.output, entry.article.title, entry=entry)


def _template(article: Article) -> str:
    if article.merged_into is not None:
        return "copy.html"  # a copy of another story: its URL points to the story
    return "article.html" if article.kind == "article" else "page.html"


def _placed(entry: Entry, today: dt.date | None) -> Entry:
    """Listed unless expired (`expires` on or before `today`) or a copy of another story (dedupe's
    `merged_into`: the story lists it); a listed dated story is in the edition of its day."""
    article = entry.article
    expired = bool(article.expires and today and article.expires <= today)
    listed = not expired and article.merged_into is None
    in_edition = listed and article.kind == "article" and article.date
    return replace(
        entry,
        listed=listed,
        edition=edition_url(article.date.isoformat()) if in_edition and article.date else None,
    )
