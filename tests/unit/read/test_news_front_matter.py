"""Front matter keys for news: countries, language, expires, corrections, kind: brief."""

from __future__ import annotations

import datetime as dt

import pytest

from sahelbrief.errors import BuildFailed, SahelbriefError, SourceError
from sahelbrief.model import Correction
from sahelbrief.pipeline.read.markdown import read_markdown
from sahelbrief.pipeline.read.seed import read_seed


def md(text: str) -> list[str]:
    return text.split("\n")


def test_news_keys_are_read() -> None:
    article = read_markdown(
        md(
            "---\n"
            "title: Vote au Tchad\n"
            "countries: [Tchad, ne]\n"
            "language: fr\n"
            "updated: 2026-11-23\n"
            "expires: 2026-12-31\n"
            "corrections:\n"
            "  - {date: 2026-11-24, note: 'The turnout was 52%, not 25%.'}\n"
            "  - date: 2026-11-23\n"
            "    note: The vote was on Sunday.\n"
            "---\n\nText."
        ),
        "content/2026-11-22-vote.md",
    )
    assert article.countries == ("TD", "NE")
    assert article.language == "fr"
    assert article.updated == dt.date(2026, 11, 23)
    assert article.expires == dt.date(2026, 12, 31)
    assert article.corrections == (
        Correction(dt.date(2026, 11, 23), "The vote was on Sunday."),
        Correction(dt.date(2026, 11, 24), "The turnout was 52%, not 25%."),
    )


def test_seeds_take_the_same_keys() -> None:
    article = read_seed(md("---\ncountries: Mali\nlanguage: en\n---\nHeadline\nText."), "s.txt")
    assert (article.countries, article.language) == (("ML",), "en")


@pytest.mark.parametrize(
    ("line", "key_line", "message"),
    [
        ("countries: [Narnia]", 3, "'Narnia' is not a country name or ISO 3166 code"),
        ("language: French", 3, "language tag"),
        ("expires: soon", 3, "must be a date"),
        ("corrections: [{date: 2026-01-01}]", 3, "correction 1 must have exactly a date and"),
        ("corrections: [{date: nope, note: x}]", 3, "correction 1: must be a date"),
        ("corrections: fixed", 3, "must be a list of corrections"),
    ],
)
def test_bad_values_are_reported_at_their_line(line: str, key_line: int, message: str) -> None:
    with pytest.raises(SourceError) as caught:
        read_markdown(md(f"---\ntitle: T\n{line}\n---\nText."), "content/x.md")
    assert caught.value.line == key_line
    assert message in caught.value.message
    assert caught.value.path == "content/x.md"


def test_every_bad_key_is_reported() -> None:
    with pytest.raises(BuildFailed) as caught:
        read_markdown(md("---\ntitle: T\ncountries: [Narnia]\nlanguage: 7\n---\nx"), "c.md")
    errors: tuple[SahelbriefError, ...] = caught.value.errors
    assert [e.line for e in errors] == [3, 4]


def test_a_brief_needs_a_date() -> None:
    dated = read_markdown(md("---\ntitle: Note\nkind: brief\n---\nx"), "content/2026-11-24-n.md")
    assert dated.kind == "brief" and dated.date == dt.date(2026, 11, 24)
    with pytest.raises(SourceError, match="needs a date"):
        read_markdown(md("---\ntitle: Note\nkind: brief\n---\nx"), "content/note.md")
