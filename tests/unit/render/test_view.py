from __future__ import annotations

import pytest

from sahelbrief.config import Config
from sahelbrief.model import Article, Entry, Paragraph
from sahelbrief.pipeline.render.stories import Stories
from sahelbrief.pipeline.render.view import ViewSettings, view

SETTINGS = ViewSettings.of(Config(base_url="https://example.org/brief/"))


def entry(body: str, format: str) -> Entry:
    article = Article(
        source="content/a.md",
        format=format,  # type: ignore[arg-type]
        title="A",
        title_line=1,
        paragraphs=(Paragraph(3, "body", body), Paragraph(5, "body", "Second paragraph.")),
        slug="a",
    )
    return Entry(article, "/articles/a/", "articles/a/index.html")


@pytest.mark.parametrize("format", ["markdown", "seed"])
def test_a_body_is_held_once_where_its_page_and_text_edition_agree(format: str) -> None:
    # Every view stays in memory while the pages render: equal HTML is one string, not three.
    made = entry("Rains came *early* in Mopti.", format)
    made_view = view(made, SETTINGS, Stories([made], SETTINGS.absolute))
    assert made_view.text_body is made_view.body
    assert made_view.body_parts == (made_view.body,)
    assert made_view.body_parts[0] is made_view.body


def test_a_body_linking_into_the_site_keeps_its_own_text_edition() -> None:
    made = entry("See [the archive](/archives/).", "markdown")
    made_view = view(made, SETTINGS, Stories([made], SETTINGS.absolute))
    assert "/brief/archives/" in made_view.body
    assert "/brief/text/archives/" in made_view.text_body
