from __future__ import annotations

import pytest

from sahelbrief.errors import SourceError
from sahelbrief.pipeline.read.seed import infer_roles, read_seed
from tests.conftest import REPO

SEED = "seeds/000_adcd0fdd9a87cadc.txt"


def test_the_seed_parts_are_inferred_from_its_shape() -> None:
    lines = (REPO / SEED).read_text(encoding="utf-8").split("\n")
    article = read_seed(lines, SEED)
    roles = [(p.line, p.role) for p in article.paragraphs]
    assert roles == [
        (1, "summary"),
        (2, "title"),
        (4, "title"),
        (5, "dek"),
        (6, "body"),
        (7, "body"),
        (8, "body"),
        (9, "note"),
        (10, "body"),
        (11, "body"),
        (12, "note"),
    ]
    assert (
        article.title
        == "Wagner Group Announces Withdrawal from Mali Amid Ongoing Security Concerns"
    )
    assert article.title_line == 2
    assert article.date is None
    assert (
        article.slug == "wagner-group-announces-withdrawal-from-mali-amid-ongoing-security-concerns"
    )


def test_wire_format_is_title_then_paragraphs() -> None:
    roles = infer_roles(
        [
            "Niger reopens border with Benin",
            "NIAMEY — Niger reopened its border crossing at Gaya on Monday. Traders welcomed it.",
            "The crossing had been closed since July 2023.",
        ]
    )
    assert roles == ["title", "body", "body"]


def test_one_sentence_line_after_the_title_is_the_dek() -> None:
    roles = infer_roles(["Chad votes", "Voters in Chad went to the polls on Sunday.", "More text."])
    assert roles == ["title", "dek", "body"]


def test_a_single_paragraph_after_the_title_stays_body() -> None:
    assert infer_roles(["Chad votes", "Voters in Chad went to the polls on Sunday."]) == [
        "title",
        "body",
    ]


def test_note_is_a_line_wholly_in_asterisks() -> None:
    roles = infer_roles(["Title here", "Body one. Body two.", "*Editor's note text.*", "**Bold**"])
    assert roles == ["title", "body", "note", "body"]


def test_front_matter_overrides_what_was_inferred() -> None:
    lines = [
        "---",
        "title: A better headline",
        "date: 2026-11-20",
        "slug: better",
        "source: {name: Studio Tamani, url: 'https://www.studiotamani.org/'}",
        "---",
        "Raw headline",
        "A paragraph. Another sentence.",
    ]
    article = read_seed(lines, "seeds/x.txt")
    assert article.title == "A better headline"
    assert article.title_line is None
    assert str(article.date) == "2026-11-20"
    assert article.slug == "better" and article.slug_explicit
    assert article.outlet is not None and article.outlet.name == "Studio Tamani"
    assert [(p.line, p.role) for p in article.paragraphs] == [(7, "title"), (8, "body")]


def test_date_comes_from_the_file_name() -> None:
    article = read_seed(["Headline", "Text. More."], "seeds/2026-11-01-headline.txt")
    assert str(article.date) == "2026-11-01"


def test_a_seed_with_no_title_line_is_an_error_with_its_line() -> None:
    long = "This is a long paragraph that ends with a full stop and is no title."
    with pytest.raises(SourceError) as caught:
        read_seed(["", long, long + " Again.", long + " Thrice."], "seeds/x.txt")
    assert (caught.value.path, caught.value.line) == ("seeds/x.txt", 2)
    assert "no title" in caught.value.message


def test_an_empty_seed_is_an_error() -> None:
    with pytest.raises(SourceError, match="no text"):
        read_seed(["", "  "], "seeds/empty.txt")
