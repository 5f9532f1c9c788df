"""Page digests found again from the last build (render/keys.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import replace

from sahelbrief.config import Config
from sahelbrief.identity import Recent
from sahelbrief.model import Article, Entry, Link, Page, Pagination, Paragraph, Section, Term
from sahelbrief.pipeline.render.keys import Digests
from sahelbrief.pipeline.render.stories import Stories


def test_a_page_found_again_is_kept_as_this_builds_page() -> None:
    """The memo keeps the newest equal page, so the next build compares objects it shares
    instead of an older page's copies, field by field."""
    config = Config()
    pages: Recent[str, tuple[Page, tuple[bytes, ...], bytes]] = Recent()

    def digest(page: Page) -> bytes:
        pages.begin()
        return Digests(Stories((), config.absolute), "program", config, pages=pages).page(page)

    first = Page("page.html", "/about/", "about/index.html", "About")
    second = Page("page.html", "/about/", "about/index.html", "About")
    assert second == first and second is not first
    made = digest(first)
    assert digest(second) == made
    found = pages.find("about/index.html")
    assert found is not None and found[0] is second


def test_a_page_and_its_text_twin_share_what_they_show_but_not_their_digest() -> None:
    """A page's digest is its place and template with the digest of what it shows, made once
    for the page and its twin; every field counts."""
    config = Config()
    digests = Digests(Stories((), config.absolute), "program", config)
    nav = (Link("2025", "/archive/2025/", 3),)
    page = Page("index.html", "/archive/", "archive/index.html", "Archive", nav=nav, twin="/t/")
    twin = replace(page, template="text/index.html", url="/t/", output="t/index.html", twin="/a/")
    made = {digests.page(page), digests.page(twin)}
    assert len(made) == 2 and len(digests.shown) == 1
    fresh = Digests(Stories((), config.absolute), "program", config)
    assert fresh.page(page) in made  # the same page digested by another build
    others = {
        "sections": (Section("Mali", None, ()),),
        "pagination": Pagination(1, 2, None, "/archive/page/2/"),
        "date": dt.date(2025, 1, 1),
        "earlier": Link("2024", "/archive/2024/"),
        "later": Link("2026", "/archive/2026/"),
        "nav": (*nav, Link("2024", "/archive/2024/")),
        "links": (Link("2024", "/archive/2024/"),),
        "front": True,
        "term": Term("topics", "security", "Security", "/topics/security/"),
    }
    for field in dataclasses.fields(Page):
        value = getattr(page, field.name)
        changed = others.get(field.name, value + "x" if isinstance(value, str) else value)
        if field.name in ("entry", "entries", "note"):
            continue  # entries count by their digests (tests/unit/cache/test_incremental.py)
        assert changed != value, field.name
        new = Digests(Stories((), config.absolute), "program", config)
        assert new.page(replace(page, **{field.name: changed})) not in made, field.name


def test_entries_count_by_their_digests_wherever_a_page_shows_them() -> None:
    config = Config()
    article = Article(
        source="content/a.md",
        format="markdown",
        title="Rains came early in Mopti",
        title_line=1,
        paragraphs=(Paragraph(3, "body", "The river rose."),),
        slug="a",
    )
    entry = Entry(article, "/articles/a/", "articles/a/index.html")
    stories = Stories((entry,), config.absolute)
    digests = Digests(stories, "program", config)
    shown = digests.dumps((Section("Mali", None, (entry,)),))
    assert digests.digest(entry) in shown
    assert b"Rains came" not in shown and b"/articles/a/" not in shown
    # An entry's own digest covers its fields, and its article by the article's digest.
    own = digests.dumps(entry, replaced=(Article,))
    assert b"/articles/a/" in own and b"Rains came" not in own
    assert digests.digest(article) in own
    moved = replace(entry, url="/articles/b/")
    assert Digests(stories, "program", config).digest(moved) != digests.digest(entry)
