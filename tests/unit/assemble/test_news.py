"""Editions, taxonomy pages, archives, pagination, expiry and the text edition."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from sahelbrief.config import Config
from sahelbrief.errors import BuildFailed
from sahelbrief.identity import ByIdentity
from sahelbrief.model import Article, Deduped, Entry, Outlet, Page, Paragraph, Site
from sahelbrief.pipeline.assemble import KnownPages, assemble


def art(source: str, date: str | None = None, **extra: object) -> Article:
    base = Article(
        source=source,
        format="markdown",
        title=source.rsplit("/", 1)[-1].removesuffix(".md").title(),
        title_line=None,
        paragraphs=(Paragraph(5, "body", "Text."),),
        slug=source.rsplit("/", 1)[-1].removesuffix(".md"),
        date=dt.date.fromisoformat(date) if date else None,
    )
    return dataclasses.replace(base, **extra)  # type: ignore[arg-type]


def pages(site: Site, url_prefix: str = "", template: str | None = None) -> list[Page]:
    return [
        p
        for p in site.pages
        if p.url.startswith(url_prefix) and (template is None or p.template == template)
    ]


def page(site: Site, url: str) -> Page:
    (found,) = [p for p in site.pages if p.url == url]
    return found


def titles(found: Page) -> list[str]:
    return [e.article.title for e in found.entries]


DAY1 = [
    art("content/a.md", "2026-11-20", countries=("NE",), topics=("Coups",)),
    art("content/b.md", "2026-11-20", countries=("ML",)),
    art("content/c.md", "2026-11-20", countries=("NE", "ML")),
    art("content/d.md", "2026-11-20"),
]
DAY2 = [art("content/e.md", "2026-11-22", countries=("TD",))]
NOTE = art("content/note.md", "2026-11-22", kind="brief", title="Why Chad matters")


def test_each_day_has_an_edition_with_previous_and_next() -> None:
    site = assemble(Deduped((*DAY1, *DAY2, NOTE)), Config(), today=dt.date(2026, 11, 25))
    older, newer = page(site, "/briefs/2026-11-20/"), page(site, "/briefs/2026-11-22/")
    assert older.earlier is None and older.later is not None
    assert older.later.url == "/briefs/2026-11-22/"
    assert newer.earlier is not None and newer.earlier.url == "/briefs/2026-11-20/"
    assert newer.later is None
    assert newer.note is not None and newer.note.article.title == "Why Chad matters"
    assert titles(newer) == ["E"]
    # The note lives on its edition page, not on a page of its own.
    assert not [p for p in site.pages if p.entry and p.entry.article.kind == "brief"]


def test_an_edition_groups_stories_by_first_country_biggest_group_first() -> None:
    site = assemble(Deduped(tuple(DAY1)), Config(), today=dt.date(2026, 11, 25))
    edition = page(site, "/briefs/2026-11-20/")
    groups = [(s.title, [e.article.title for e in s.entries]) for s in edition.sections]
    assert groups == [("Niger", ["A", "C"]), ("Mali", ["B"]), ("", ["D"])]
    assert edition.sections[0].url == "/countries/niger/"
    by_topic = assemble(Deduped(tuple(DAY1)), Config(edition_group="topic"))
    assert [s.title for s in page(by_topic, "/briefs/2026-11-20/").sections] == ["Coups", ""]


def test_the_front_page_is_the_latest_edition() -> None:
    site = assemble(Deduped((*DAY1, *DAY2, NOTE)), Config(), today=dt.date(2026, 11, 25))
    front = page(site, "/")
    assert front.front and front.date == dt.date(2026, 11, 22)
    assert titles(front) == ["E"] and front.note is not None
    assert front.earlier is not None and front.earlier.url == "/briefs/2026-11-20/"


def test_undated_stories_have_their_own_page_linked_from_the_front_page() -> None:
    undated = art("seeds/x.md")
    site = assemble(Deduped((*DAY2, undated)), Config())
    assert titles(page(site, "/briefs/undated/")) == ["X"]
    assert [link.url for link in page(site, "/").nav] == ["/briefs/undated/"]
    assert "/briefs/undated/" in [link.url for link in page(site, "/archive/").links]
    # With no dated story at all, the front page shows the undated ones.
    only = assemble(Deduped((undated,)), Config())
    assert titles(page(only, "/")) == ["X"]


def test_every_long_list_is_paginated_by_per_page() -> None:
    many = [art(f"content/s{n:02d}.md", "2026-11-20", countries=("ML",)) for n in range(7)]
    site = assemble(Deduped(tuple(many)), Config(per_page=3))
    for prefix in ("/briefs/2026-11-20/", "/countries/mali/", "/archive/2026/11/", "/"):
        listing = [p for p in site.pages if p.url.startswith(prefix) and p.entries]
        listing = [p for p in listing if p.url in (prefix, f"{prefix}page/2/", f"{prefix}page/3/")]
        assert [len(p.entries) for p in listing] == [3, 3, 1], prefix
        assert listing[-1].pagination is not None
        assert listing[-1].pagination.previous_url == f"{prefix}page/2/"
    assert max(len(p.entries) for p in site.pages) <= 3


def test_topic_country_and_source_pages_and_their_indexes() -> None:
    outlet = Outlet("Studio Tamani", "https://example.org/x")
    stories = [
        art("content/a.md", "2026-11-20", countries=("TD",), topics=("Elections",), outlet=outlet),
        art("content/b.md", "2026-11-21", countries=("TD", "NE"), outlet=outlet),
    ]
    site = assemble(Deduped(tuple(stories)), Config(language="fr"))
    assert titles(page(site, "/countries/chad/")) == ["B", "A"]
    assert page(site, "/countries/chad/").title == "Tchad"  # names in the site's language
    assert titles(page(site, "/topics/elections/")) == ["A"]
    assert titles(page(site, "/sources/studio-tamani/")) == ["B", "A"]
    countries = page(site, "/countries/")
    assert [(link.title, link.count) for link in countries.links] == [("Niger", 1), ("Tchad", 2)]
    accents = assemble(
        Deduped(tuple(art(f"content/{c}.md", countries=(c,)) for c in ("GA", "ET", "EG"))),
        Config(language="fr"),
    )
    assert [link.title for link in page(accents, "/countries/").links] == [
        "Égypte",
        "Éthiopie",
        "Gabon",
    ]
    entry = next(e for e in site.entries if e.article.source == "content/b.md")
    assert [t.url for t in entry.countries] == ["/countries/chad/", "/countries/niger/"]
    assert entry.source is not None and entry.source.url == "/sources/studio-tamani/"
    assert {t.slug for t, _ in site.terms} == {"chad", "niger", "elections", "studio-tamani"}


def test_archives_by_year_and_month() -> None:
    stories = [
        art("content/a.md", "2025-12-31"),
        art("content/b.md", "2026-01-02"),
        art("content/c.md", "2026-01-05"),
    ]
    site = assemble(Deduped(tuple(stories)), Config())
    archive = page(site, "/archive/")
    assert [link.url for link in archive.links] == [
        "/briefs/2026-01-05/",
        "/briefs/2026-01-02/",
        "/briefs/2025-12-31/",
    ]
    assert [link.url for link in archive.nav] == ["/archive/2026/", "/archive/2025/"]
    assert [link.url for link in page(site, "/archive/2026/").links] == ["/archive/2026/01/"]
    month = page(site, "/archive/2026/01/")
    assert titles(month) == ["C", "B"]
    assert [s.url for s in month.sections] == ["/briefs/2026-01-05/", "/briefs/2026-01-02/"]


def test_an_expired_article_keeps_its_page_but_leaves_every_list() -> None:
    gone = art("content/gone.md", "2026-11-20", countries=("ML",), expires=dt.date(2026, 11, 24))
    kept = art("content/kept.md", "2026-11-20", countries=("ML",))
    site = assemble(Deduped((gone, kept)), Config(), today=dt.date(2026, 11, 24))
    assert page(site, "/articles/gone/").entry is not None
    listed = {e.article.title for p in site.pages for e in p.entries}
    assert listed == {"Kept"}
    assert [e.listed for e in site.entries] == [False, True]
    assert [e.edition for e in site.entries] == [None, "/briefs/2026-11-20/"]
    # The day before it expires, it is still listed.
    before = assemble(Deduped((gone, kept)), Config(), today=dt.date(2026, 11, 23))
    assert {e.article.title for e in page(before, "/countries/mali/").entries} == {"Gone", "Kept"}


def test_the_text_edition_twins_every_page_but_404() -> None:
    site = assemble(Deduped((*DAY1, NOTE)), Config())
    main = [p for p in site.pages if not p.url.startswith("/text/")]
    text = {p.url: p for p in site.pages if p.url.startswith("/text/")}
    for found in main:
        if found.template == "404.html":
            assert found.twin is None
            continue
        twin = text["/text" + found.url]
        assert twin.template == "text/" + found.template
        assert (found.twin, twin.twin) == (twin.url, found.url)
        assert twin.output == "text/" + found.output
    assert len(text) == len(main) - 1


def test_two_notes_for_one_day_are_refused() -> None:
    other = dataclasses.replace(NOTE, source="content/other.md")
    with pytest.raises(BuildFailed) as caught:
        assemble(Deduped((NOTE, other)), Config())
    assert "one note per day" in str(caught.value.errors[0])


def test_no_page_lists_every_article_of_a_large_site() -> None:
    stories = [
        art(f"content/s{n:04d}.md", f"2026-{1 + n % 12:02d}-{1 + n % 28:02d}", countries=("ML",))
        for n in range(1200)
    ]
    site = assemble(Deduped(tuple(stories)), Config(per_page=20))
    assert max(len(p.entries) for p in site.pages) == 20
    assert max(len(p.links) for p in site.pages) <= 20
    assert max(len(p.nav) for p in site.pages) <= 12
    # Every story is still reachable from its country's pages and the month archives.
    mali = {
        e.article.source
        for p in site.pages
        if p.url.startswith("/countries/mali/")
        for e in p.entries
    }
    months = {
        e.article.source
        for p in site.pages
        if p.url.startswith("/archive/2026/")
        for e in p.entries
    }
    assert len(mali) == len(months) == 1200


def test_the_previews_pages_are_those_of_its_last_build_unless_what_they_show_changed() -> None:
    """A second build in one process (the preview), with one story edited: the pages that do
    not show it are the very objects of the first build; the site is the one made afresh."""
    config, today = Config(per_page=2), dt.date(2026, 11, 25)
    made: ByIdentity[Article, Entry] = ByIdentity()
    reuse = KnownPages()
    first = (*DAY1, *DAY2, NOTE)
    before = assemble(Deduped(first), config, today=today, made=made, reuse=reuse)
    edited = dataclasses.replace(DAY2[0], title="Chad's new cabinet")
    second = (*DAY1, edited, NOTE)
    made.begin()
    reuse.begin()
    after = assemble(Deduped(second), config, today=today, made=made, reuse=reuse)
    assert after == assemble(Deduped(second), config, today=today)
    old = {p.output: p for p in before.pages}
    shows = {
        p.output
        for p in after.pages
        if any(e.article is edited for e in (p.entry, *p.entries) if e is not None)
    }
    assert shows  # its page, its edition's, its country's...
    for new in after.pages:
        if new.output in shows:
            assert new is not old[new.output] and new != old[new.output]
        else:
            # Equal; the same object unless it is a later page of a list that shows the story.
            assert new == old[new.output]
    kept = [
        "/articles/a/",  # the other stories' pages...
        "/text/articles/b/",  # ... and their twins
        "/briefs/2026-11-20/",  # the other day's edition
        "/countries/niger/",  # lists that do not show the story
        "/text/countries/mali/",
        "/briefs/2026-11-20/page/2/",
        "/topics/",  # an index whose counts did not change
    ]
    for url in kept:
        assert page(after, url) is page(before, url), url
