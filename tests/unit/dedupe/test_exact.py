from __future__ import annotations

import datetime as dt
import itertools

from sahelbrief.model import Article, Paragraph, Ref, Role
from sahelbrief.pipeline.dedupe import dedupe


def article(source: str, *texts: str, date: str | None = None, roles: str = "") -> Article:
    role_of: dict[str, Role] = {"t": "title", "s": "summary", "d": "dek", "b": "body", "n": "note"}
    paragraphs = tuple(
        Paragraph(i + 1, role_of[roles[i]] if i < len(roles) else "body", text)
        for i, text in enumerate(texts)
    )
    return Article(
        source=source,
        format="seed",
        title=texts[0],
        title_line=1,
        paragraphs=paragraphs,
        slug=source,
        date=dt.date.fromisoformat(date) if date else None,
    )


def removed(result_articles: tuple[Article, ...]) -> dict[tuple[str, int], tuple[str, int] | None]:
    return {
        (a.source, p.line): (p.removal.duplicate_of.source, p.removal.duplicate_of.line)
        if p.removal and p.removal.duplicate_of
        else None
        for a in result_articles
        for p in a.paragraphs
        if not p.kept
    }


def test_typography_case_and_spacing_do_not_hide_a_repeat() -> None:
    a = article(
        "a",
        "Title",
        "The junta’s “main mission” is over.",
        'the junta\'s "main  mission" is over',
        roles="tbb",
    )
    assert removed(dedupe([a]).articles) == {("a", 3): ("a", 2)}


def test_digits_are_kept_in_the_key() -> None:
    a = article("a", "Title", "Militants killed 12 soldiers.", "Militants killed 21 soldiers.")
    assert removed(dedupe([a]).articles) == {}


# Across articles only paragraphs of at least `dedup.min_words` (8) words are removed: a short
# line such as "The border remains closed." is a fact each outlet may state (see
# tests/unit/dedupe/test_pitfalls.py).
BACKGROUND = "Background paragraph here, long enough to be compared across articles."
SHARED = "Shared line, which is long enough to count as a repeat across the site."


def test_first_occurrence_in_canonical_order_is_kept_across_the_site() -> None:
    older = article("z-older", "Old", BACKGROUND, date="2026-01-01")
    newer = article("a-newer", "New", BACKGROUND, date="2026-02-01")
    for order in itertools.permutations([older, newer]):
        assert removed(dedupe(order).articles) == {("a-newer", 2): ("z-older", 2)}


def test_undated_articles_come_first() -> None:
    undated = article("b", "One", SHARED)
    dated = article("a", "Two", SHARED, date="2020-01-01")
    assert removed(dedupe([dated, undated]).articles) == {("a", 2): ("b", 2)}


def test_titles_are_only_compared_within_their_article() -> None:
    a = article("a", "Same headline", "Text a.", roles="tb")
    b = article("b", "Same headline", "Text b.", roles="tb")
    assert removed(dedupe([a, b]).articles) == {}


def test_article_scope_keeps_cross_article_repeats() -> None:
    a = article("a", "One", SHARED)
    b = article("b", "Two", SHARED)
    assert removed(dedupe([a, b], scope="article").articles) == {}
    assert removed(dedupe([a, b], scope="site").articles) == {("b", 2): ("a", 2)}


def test_nothing_is_deleted_and_removals_carry_a_reason() -> None:
    a = article("a", "T", "Same.", "Same.")
    result = dedupe([a]).articles[0]
    assert len(result.paragraphs) == 3
    removal = result.paragraphs[2].removal
    assert removal is not None and removal.reason == "exact"
    assert removal.duplicate_of == Ref("a", 2)


def test_punctuation_only_paragraphs_are_never_matched() -> None:
    a = article("a", "T", "***", "***")
    assert removed(dedupe([a]).articles) == {}
