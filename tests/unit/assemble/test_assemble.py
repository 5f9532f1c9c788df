from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from sahelbrief.config import Config
from sahelbrief.errors import BuildFailed
from sahelbrief.model import Article, Deduped, Paragraph
from sahelbrief.pipeline.assemble import assemble, place


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


def test_an_explicit_slug_cannot_take_the_url_a_title_gives() -> None:
    # A story published at the URL its title gives keeps it: a story added later with that
    # slug does not push it to /articles/same-2/ (a published link would show another story).
    derived = art("content/a.md", "Same")
    explicit = art("content/z.md", "Other", slug="same", slug_explicit=True, slug_line=3)
    with pytest.raises(BuildFailed) as caught:
        place([derived, explicit], Config())
    [error] = caught.value.errors
    assert (error.path, error.line) == ("content/z.md", 3)
    assert "/articles/same/" in error.message and "content/a.md" in error.message


def test_explicit_slugs_do_not_renumber_the_urls_titles_give() -> None:
    first, second = (
        art("content/a.md", "Same", "2026-01-01"),
        art("content/b.md", "Same", "2026-01-02"),
    )
    alone = {e.article.source: e.url for e in place([first, second], Config())}
    assert alone == {"content/a.md": "/articles/same/", "content/b.md": "/articles/same-2/"}
    other = art("content/z.md", "Other", slug="same-3", slug_explicit=True)
    urls = {e.article.source: e.url for e in place([first, second, other], Config())}
    assert urls == {**alone, "content/z.md": "/articles/same-3/"}
    taken = art("content/y.md", "Other", slug="same-2", slug_explicit=True, slug_line=2)
    with pytest.raises(BuildFailed) as caught:
        place([first, second, taken], Config())
    assert "content/b.md" in caught.value.errors[0].message


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
