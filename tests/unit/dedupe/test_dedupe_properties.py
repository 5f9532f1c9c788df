"""Property tests of the dedupe stage: it never removes a paragraph that has no kept twin, keeps
every distinct paragraph, and gives the same result whatever order the articles come in."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from sahelbrief.model import Article, Deduped, Paragraph, Ref
from sahelbrief.normalize import match_key
from sahelbrief.pipeline.dedupe import dedupe

# A small pool, with variants that differ only in what match_key ignores, so repeats are common.
POOL = [
    "The convoy left Gao at dawn.",
    "the convoy left gao at dawn",
    "The con\u200bvoy left Gao at dawn!",
    "Prices doubled in Niamey.",
    "PRICES DOUBLED IN NIAMEY",
    "Officials said 12 people died.",
    "Officials said 21 people died.",
    "Wagner leaves Mali",
    "...",
    "Un convoi a quitté Gao à l'aube.",
]
roles = st.sampled_from(["title", "summary", "dek", "body", "note"])
paragraph_specs = st.lists(st.tuples(roles, st.sampled_from(POOL)), min_size=1, max_size=8)
dates = st.one_of(st.none(), st.dates(dt.date(2026, 1, 1), dt.date(2026, 1, 5)))


@st.composite
def article_sets(draw: st.DrawFn) -> list[Article]:
    count = draw(st.integers(1, 6))
    articles = []
    for n in range(count):
        specs = draw(paragraph_specs)
        paragraphs = tuple(
            Paragraph(line, role, text) for line, (role, text) in enumerate(specs, start=1)
        )
        articles.append(
            Article(
                source=f"seeds/{n:02d}.txt",
                format="seed",
                title=f"Story {n}",
                title_line=None,
                paragraphs=paragraphs,
                slug=f"story-{n}",
                date=draw(dates),
            )
        )
    return articles


# Removals that by design point at no twin (page furniture such as "Read more", copyright
# notices); every other removal is of a repeat and must name the kept paragraph it repeats.
NO_TWIN_REASONS = {"furniture", "boilerplate"}


def _by_ref(result: Deduped) -> dict[Ref, Paragraph]:
    return {Ref(a.source, p.line): p for a in result.articles for p in a.paragraphs}


@settings(max_examples=300, deadline=None)
@given(article_sets())
def test_every_removed_paragraph_has_a_kept_twin(articles: list[Article]) -> None:
    result = dedupe(articles)
    paragraphs = _by_ref(result)
    for article in result.articles:
        for paragraph in article.paragraphs:
            if paragraph.kept:
                continue
            removal = paragraph.removal
            assert removal is not None
            if removal.duplicate_of is None and removal.reason in NO_TWIN_REASONS:
                continue
            assert removal.duplicate_of is not None, removal
            twin = paragraphs[removal.duplicate_of]
            assert twin is not paragraph
            if removal.reason == "exact":
                assert match_key(twin.text) == match_key(paragraph.text)
            if paragraph.role == "title":
                assert removal.duplicate_of.source == article.source
            assert _kept_root(paragraphs, paragraph).kept


def _kept_root(paragraphs: dict[Ref, Paragraph], paragraph: Paragraph) -> Paragraph:
    """Follow duplicate_of from `paragraph` to the kept paragraph it repeats (a chain a -> b ->
    c is allowed, a cycle or a dead end is not)."""
    seen = []
    while not paragraph.kept:
        assert paragraph.removal is not None and paragraph.removal.duplicate_of is not None
        assert all(p is not paragraph for p in seen), "duplicate_of goes round in a circle"
        seen.append(paragraph)
        paragraph = paragraphs[paragraph.removal.duplicate_of]
    return paragraph


@settings(max_examples=300, deadline=None)
@given(article_sets())
def test_every_distinct_paragraph_is_kept_somewhere(articles: list[Article]) -> None:
    result = dedupe(articles)
    kept = {match_key(p.text) for a in result.articles for p in a.kept()}
    paragraphs = _by_ref(result)
    for article in result.articles:
        for paragraph in article.paragraphs:
            key = match_key(paragraph.text)
            if not key or key in kept or paragraph.removal is None:
                continue
            # Not kept anywhere word for word: only a near repeat of a kept paragraph (or page
            # furniture) may go.
            assert (
                paragraph.removal.reason in NO_TWIN_REASONS
                or _kept_root(paragraphs, paragraph).kept
            ), paragraph
    for before, after in zip(
        sorted(articles, key=lambda a: a.source),
        sorted(result.articles, key=lambda a: a.source),
        strict=True,
    ):
        # Nothing is deleted: every paragraph is still there, in order, kept or marked.
        assert [(p.line, p.role, p.text) for p in before.paragraphs] == [
            (p.line, p.role, p.text) for p in after.paragraphs
        ]
        titles = {match_key(p.text) for p in before.paragraphs if p.role == "title"}
        assert titles <= {match_key(p.text) for p in after.kept("title")}


@settings(max_examples=300, deadline=None)
@given(article_sets(), st.randoms(use_true_random=False))
def test_same_result_in_any_order(articles: list[Article], rng: object) -> None:
    shuffled = list(articles)
    rng.shuffle(shuffled)  # type: ignore[attr-defined]
    first = sorted(dedupe(articles).articles, key=lambda a: a.source)
    second = sorted(dedupe(shuffled).articles, key=lambda a: a.source)
    assert first == second


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(max_codepoint=127)))
def test_ascii_keys_are_those_of_the_unicode_rules(text: str) -> None:
    # NFKC, case folding, invisible characters dropped, `[\W_]+` as one space.
    folded = unicodedata.normalize("NFKC", text).casefold()
    assert match_key(text) == " ".join(re.sub(r"[\W_]+", " ", folded).split())
