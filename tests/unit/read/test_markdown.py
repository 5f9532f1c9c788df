from __future__ import annotations

import pytest

from sahelbrief.errors import BuildFailed, SourceError
from sahelbrief.pipeline.read.markdown import blocks, read_markdown


def md(text: str) -> list[str]:
    return text.split("\n")


def test_markdown_article_with_front_matter() -> None:
    article = read_markdown(
        md(
            "---\ntitle: Élections au Tchad\nkind: page\ntopics: [Chad]\n---\n\nOne.\n\nTwo\nlines."
        ),
        "content/2026-05-06-tchad.md",
    )
    assert article.title == "Élections au Tchad"
    assert article.kind == "page"
    assert article.slug == "elections-au-tchad"
    assert str(article.date) == "2026-05-06"
    assert article.topics == ("Chad",)
    assert [(p.line, p.text) for p in article.paragraphs] == [(7, "One."), (9, "Two\nlines.")]


def test_fenced_code_with_blank_lines_is_one_block() -> None:
    found = blocks(["Intro.", "", "```", "a", "", "b", "```", "", "After."], 1)
    assert found == [(1, "Intro."), (3, "```\na\n\nb\n```"), (9, "After.")]


def test_title_is_required() -> None:
    with pytest.raises(SourceError, match="no title"):
        read_markdown(md("---\ndate: 2026-01-01\n---\nText."), "content/a.md")


def test_front_matter_is_required() -> None:
    with pytest.raises(SourceError, match="needs front matter"):
        read_markdown(md("Just text."), "content/a.md")


def test_unterminated_front_matter() -> None:
    with pytest.raises(SourceError, match="no closing") as caught:
        read_markdown(md("---\ntitle: x\nText."), "content/a.md")
    assert caught.value.line == 1


def test_every_bad_key_is_reported_with_its_line() -> None:
    with pytest.raises(BuildFailed) as caught:
        read_markdown(
            md("---\ntitle: ok\ndate: yesterday\ntopics: 5\ncolour: red\n---\nText."),
            "content/a.md",
        )
    found = {(e.line, e.message.split(":")[1].strip()) for e in caught.value.errors}
    assert found == {(3, "date"), (4, "topics"), (5, "colour")}


def test_yaml_syntax_error_names_the_line() -> None:
    with pytest.raises(SourceError) as caught:
        read_markdown(md("---\ntitle: ok\ndate: [unclosed\n---\nText."), "content/a.md")
    assert caught.value.path == "content/a.md"
    assert caught.value.line is not None and caught.value.line >= 3
    assert "not valid YAML" in caught.value.message


def test_bad_slug_suggests_a_good_one() -> None:
    with pytest.raises(SourceError, match="'bad-slug'"):
        read_markdown(md("---\ntitle: ok\nslug: Bad Slug\n---\nText."), "content/a.md")
