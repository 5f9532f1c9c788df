from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Iterator

import pytest

from sahelbrief.config import Config
from sahelbrief.errors import BuildFailed, warn_once
from sahelbrief.model import Article, Deduped, Paragraph
from sahelbrief.pipeline.assemble import assemble, place, urls


def art(source: str, title: str, date: str | None = None, **extra: object) -> Article:
    base = Article(
        source=source,
        format="markdown",
        title=title,
        title_line=None,
        paragraphs=(Paragraph(5, "body", "Text."),),
        slug=title.lower().replace(" ", "-"),
        date=dt.date.fromisoformat(date) if date else None,
    )
    return dataclasses.replace(base, **extra)  # type: ignore[arg-type]


def test_derived_slug_collisions_are_numbered_in_canonical_order() -> None:
    a = art("content/b.md", "Same", "2026-01-01")
    b = art("content/a.md", "Same", "2026-02-01")
    c = art("content/c.md", "Same")
    for order in ([a, b, c], [c, b, a]):
        urls = {e.article.source: e.url for e in place(order, Config())}
        assert urls == {
            "content/c.md": "/articles/same/",
            "content/b.md": "/articles/same-2/",
            "content/a.md": "/articles/same-3/",
        }


def test_explicit_slugs_must_be_unique() -> None:
    explicit = art("content/z.md", "Other", slug="same", slug_explicit=True, slug_line=3)
    clash = art("content/y.md", "Third", slug="same", slug_explicit=True, slug_line=4)
    with pytest.raises(BuildFailed) as caught:
        place([explicit, clash], Config())
    assert "already used by content/y.md" in str(caught.value.errors[0])


@pytest.fixture
def moves(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Warnings about stories an explicit slug pushed off their title's URL, each told once a
    process: forgotten before and after the test."""
    warn_once.cache_clear()
    caplog.set_level(logging.WARNING, logger=urls.__name__)
    yield
    warn_once.cache_clear()


def told(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == urls.__name__]


def test_an_explicit_slug_wins_and_the_story_it_pushes_off_is_warned_about(
    caplog: pytest.LogCaptureFixture, moves: None
) -> None:
    # Either a slug added later took a published story's URL (its shared links now show
    # another story), or a seed arrived with the title of a story given that slug: the
    # build cannot tell which, goes on (seeds arrive unattended), and says so.
    derived = art("content/a.md", "Same")
    explicit = art("content/z.md", "Other", slug="same", slug_explicit=True)
    for _ in range(2):
        placed = {e.article.source: e.url for e in place([derived, explicit], Config())}
        assert placed == {"content/z.md": "/articles/same/", "content/a.md": "/articles/same-2/"}
    [warning] = told(caplog)  # once a process, not at every preview rebuild
    assert warning.startswith("content/a.md: its title gives the URL /articles/same/, which ")
    assert "content/z.md's slug takes: it is published at /articles/same-2/" in warning


def test_titles_are_numbered_past_explicit_slugs(
    caplog: pytest.LogCaptureFixture, moves: None
) -> None:
    first, second = (
        art("content/a.md", "Same", "2026-01-01"),
        art("content/b.md", "Same", "2026-01-02"),
    )
    alone = {e.article.source: e.url for e in place([first, second], Config())}
    assert alone == {"content/a.md": "/articles/same/", "content/b.md": "/articles/same-2/"}
    assert told(caplog) == []
    other = art("content/z.md", "Other", slug="same-2", slug_explicit=True)
    urls_now = {e.article.source: e.url for e in place([first, second, other], Config())}
    assert urls_now == {
        "content/a.md": "/articles/same/",
        "content/z.md": "/articles/same-2/",
        "content/b.md": "/articles/same-3/",
    }
    [warning] = told(caplog)
    assert warning.startswith("content/b.md: its title gives the URL /articles/same-2/")


def test_permalink_pattern_with_dates() -> None:
    config = Config(permalink="/{year}/{month}/{slug}/")
    entries = place([art("content/a.md", "Hello", "2026-03-04"), art("b", "Undated")], config)
    assert {e.url for e in entries} == {"/2026/03/hello/", "/undated/undated/undated/"}
    assert {e.output for e in entries} == {
        "2026/03/hello/index.html",
        "undated/undated/undated/index.html",
    }


def test_front_page_is_the_latest_edition_paginated() -> None:
    articles = [art(f"content/{i}.md", f"Story {i}", "2026-01-05") for i in range(5)]
    older = art("content/old.md", "Old story", "2026-01-01")
    page = art("content/about.md", "About", kind="page")
    site = assemble(Deduped((*articles, older, page)), Config(per_page=2))
    front = [p for p in site.pages if p.front and p.template == "edition.html"]
    assert [p.url for p in front] == ["/", "/page/2/", "/page/3/"]
    assert [e.article.title for e in front[0].entries] == ["Story 0", "Story 1"]
    assert [e.article.title for e in front[2].entries] == ["Story 4"]
    last = front[2].pagination
    assert last is not None and (last.previous_url, last.next_url) == ("/page/2/", None)
    assert all(page.source != e.article.source for p in front for e in p.entries)
    assert front[0].earlier is not None and front[0].earlier.url == "/briefs/2026-01-01/"
    assert [e.url for e in site.navigation] == ["/about/"]
    assert {p.output for p in site.pages} >= {"404.html", "about/index.html", "index.html"}
