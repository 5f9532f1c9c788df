"""A resumed dedupe pass (pipeline/dedupe/memory.py) gives exactly the result of a pass from
scratch, after every kind of change, and decides again only from the first change on."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections.abc import Callable

import pytest

from sahelbrief.config import DedupConfig
from sahelbrief.model import Article, Paragraph, canonical_order
from sahelbrief.pipeline.dedupe import dedupe
from sahelbrief.pipeline.dedupe.memory import Memory, restore, snapshot
from tests.unit.dedupe.helpers import evaluation_data, evaluation_module

FOOTER = "This story was compiled by the Sahel Brief desk in Dakar."

Change = Callable[[list[Article], random.Random], None]


@pytest.fixture(scope="module")
def site() -> list[Article]:
    return list(evaluation_module().to_articles(evaluation_data()))


def _body(article: Article) -> list[int]:
    return [i for i, p in enumerate(article.paragraphs) if p.role != "title"]


def _with_paragraphs(article: Article, paragraphs: list[Paragraph]) -> Article:
    numbered = tuple(dataclasses.replace(p, line=n) for n, p in enumerate(paragraphs, start=1))
    return dataclasses.replace(article, paragraphs=numbered)


def edit_word(articles: list[Article], rng: random.Random) -> None:
    a = rng.randrange(len(articles))
    paragraphs = list(articles[a].paragraphs)
    k = rng.choice(_body(articles[a]))
    words = paragraphs[k].text.split()
    words[rng.randrange(len(words))] = rng.choice(["17", "Djibo", "not", "said"])
    paragraphs[k] = dataclasses.replace(paragraphs[k], text=" ".join(words))
    articles[a] = _with_paragraphs(articles[a], paragraphs)


def copy_paragraph(articles: list[Article], rng: random.Random) -> None:
    """An earlier article's paragraph pasted into a later one: a new repeat."""
    source, target = rng.sample(range(len(articles)), 2)
    pasted = articles[source].paragraphs[rng.choice(_body(articles[source]))]
    articles[target] = _with_paragraphs(
        articles[target], [*articles[target].paragraphs, dataclasses.replace(pasted)]
    )


def drop_paragraph(articles: list[Article], rng: random.Random) -> None:
    a = rng.randrange(len(articles))
    paragraphs = list(articles[a].paragraphs)
    body = _body(articles[a])
    if len(body) > 1:
        del paragraphs[rng.choice(body)]
        articles[a] = _with_paragraphs(articles[a], paragraphs)


def add_article(articles: list[Article], rng: random.Random) -> None:
    """A re-filed copy of a story, dated later: a story copy to merge."""
    original = rng.choice(articles)
    number = len(articles)
    articles.append(
        dataclasses.replace(
            original,
            source=f"seeds/added-{number}.txt",
            slug=f"added-{number}",
            date=dt.date(2026, 12, 1) + dt.timedelta(days=rng.randrange(5)),
        )
    )


def remove_article(articles: list[Article], rng: random.Random) -> None:
    del articles[rng.randrange(len(articles))]


def redate(articles: list[Article], rng: random.Random) -> None:
    a = rng.randrange(len(articles))
    articles[a] = dataclasses.replace(
        articles[a], date=dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(700))
    )


def add_footer(articles: list[Article], rng: random.Random) -> None:
    """The same short line in one more article: after a few, it becomes boilerplate."""
    a = rng.randrange(len(articles))
    paragraphs = [*articles[a].paragraphs, Paragraph(0, "body", FOOTER)]
    articles[a] = _with_paragraphs(articles[a], paragraphs)


CHANGES: list[Change] = [
    edit_word,
    copy_paragraph,
    drop_paragraph,
    add_article,
    remove_article,
    redate,
    add_footer,
]


@pytest.mark.parametrize("scope", ["site", "article"])
def test_a_resumed_pass_is_a_pass_from_scratch_after_every_change(
    site: list[Article], scope: str
) -> None:
    rng = random.Random(20261125)
    config = DedupConfig(scope=scope)
    articles = list(site)
    memory = Memory()
    dedupe(articles, config, memory=memory)
    for step in range(40):
        change = CHANGES[step % len(CHANGES)]
        change(articles, rng)
        resumed = dedupe(articles, config, memory=memory)
        assert resumed == dedupe(articles, config), f"step {step}: {change.__name__}"


def test_footer_becoming_boilerplate_rewinds_to_its_first_article(site: list[Article]) -> None:
    articles = canonical_order(site)
    memory = Memory()
    config = DedupConfig(boilerplate_min_articles=3)
    for a in (5, 40, len(articles) - 1):  # the third makes it boilerplate
        articles[a] = _with_paragraphs(
            articles[a], [*articles[a].paragraphs, Paragraph(0, "body", FOOTER)]
        )
        result = dedupe(articles, config, memory=memory)
    assert memory.resumed_at == 5
    assert result == dedupe(articles, config)
    footers = [p for a in result.articles for p in a.paragraphs if p.text == FOOTER]
    assert [p.removal is not None for p in footers] == [False, True, True]


def test_an_edit_of_the_latest_story_decides_that_story_only(site: list[Article]) -> None:
    articles = canonical_order(site)
    latest = len(articles) - 1
    memory = Memory()
    dedupe(articles, memory=memory)
    edit = articles[latest].paragraphs[-1]
    articles[latest] = _with_paragraphs(
        articles[latest],
        [*articles[latest].paragraphs[:-1], dataclasses.replace(edit, text=edit.text + " Update.")],
    )
    result = dedupe(articles, memory=memory)
    assert memory.resumed_at == latest
    assert result == dedupe(articles)


def test_a_pass_that_changed_only_the_latest_articles_is_not_stored_unless_asked(
    site: list[Article], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build cache keeps an older memory rather than storing one that differs from it in
    the last REDO articles only (memory.py): an edit of the latest story; but not after more
    articles were taken back, such as the latest stories deleted (the stored memory would
    then hold them for every later build to take back again)."""
    from sahelbrief.pipeline.dedupe import memory as memory_module

    monkeypatch.setattr(memory_module, "REDO", 3)
    articles = canonical_order(site)
    memory = Memory()
    dedupe(articles, memory=memory)
    assert snapshot(memory, unless_recent=True) is not None  # from scratch: always stored
    edit = articles[-1].paragraphs[-1]
    articles[-1] = _with_paragraphs(
        articles[-1],
        [*articles[-1].paragraphs[:-1], dataclasses.replace(edit, text=edit.text + " Update.")],
    )
    dedupe(articles, memory=memory)
    assert snapshot(memory, unless_recent=True) is None
    assert snapshot(memory) is not None  # the preview's flush stores it all the same
    dedupe(articles[:-5], memory=memory)  # the five latest stories deleted
    assert memory.resumed_at == len(articles) - 5
    assert snapshot(memory, unless_recent=True) is not None


def test_an_edit_of_any_article_resumes_from_it(site: list[Article]) -> None:
    """Word ranks are fixed by the words alone (ranks.py): no article is special, the first
    one included."""
    articles = canonical_order(site)
    memory = Memory()
    dedupe(articles, memory=memory)
    articles[0] = dataclasses.replace(articles[0], slug="renamed")  # not dedupe's
    dedupe(articles, memory=memory)
    assert memory.resumed_at == len(articles)  # nothing dedupe reads changed
    for a in [*range(0, len(articles), 9), len(articles) - 1]:
        articles[a] = _with_paragraphs(
            articles[a], [*articles[a].paragraphs, Paragraph(0, "body", f"A new line {a}.")]
        )
        result = dedupe(articles, memory=memory)
        assert memory.resumed_at == a
        assert result == dedupe(articles)


def test_new_settings_start_from_scratch(site: list[Article]) -> None:
    memory = Memory()
    dedupe(site, memory=memory)
    stricter = DedupConfig(containment=0.95)
    assert dedupe(site, stricter, memory=memory) == dedupe(site, stricter)
    assert memory.resumed_at == 0


def _near_repeat(articles: list[Article]) -> tuple[int, int, int]:
    """An article of the middle, one of whose paragraphs a later
    article repeats with a light edit: (that article, the paragraph, the later article)."""
    result = dedupe(articles)
    position = {a.source: i for i, a in enumerate(result.articles)}
    for later, article in enumerate(result.articles):
        for p in article.paragraphs:
            removal = p.removal
            if removal is None or removal.reason != "near" or removal.duplicate_of is None:
                continue
            earlier = position[removal.duplicate_of.source]
            if len(articles) // 4 < earlier < later:
                line = removal.duplicate_of.line
                k = next(k for k, q in enumerate(articles[earlier].paragraphs) if q.line == line)
                return earlier, k, later
    raise AssertionError("the evaluation set has no cross-article near repeat")


def test_unchanged_articles_after_an_edit_are_copied_unless_they_read_it(
    site: list[Article],
) -> None:
    articles = canonical_order(site)
    earlier, k, later = _near_repeat(articles)
    memory = Memory()
    before = dedupe(articles, memory=memory)
    # The paragraph the later article repeats is cut to its first third: no longer repeated.
    paragraphs = list(articles[earlier].paragraphs)
    words = paragraphs[k].text.split()
    paragraphs[k] = dataclasses.replace(paragraphs[k], text=" ".join(words[: len(words) // 3]))
    articles[earlier] = _with_paragraphs(articles[earlier], paragraphs)
    result = dedupe(articles, memory=memory)
    assert result == dedupe(articles)
    assert result.articles[later] != before.articles[later]  # the later one was decided again
    assert memory.resumed_at == earlier
    engine = memory.engine
    assert engine is not None
    # Most articles after the edit read nothing it changed: their decisions were copied.
    assert engine.copied >= (len(articles) - earlier) // 2, engine.copied


@pytest.mark.parametrize(
    ("added", "reason", "near"), [("", "exact", False), (" Officials said so.", "near", True)]
)
def test_an_unchanged_article_that_now_repeats_an_edit_is_decided_again(
    site: list[Article], added: str, reason: str, near: bool
) -> None:
    """An article of the middle gets a copy (or a fuller copy) of a paragraph of a later one,
    which had no link to it: the later paragraph becomes a repeat. Only the exact keys (or the
    3-grams) the edit wrote tell the later article apart from those it does not concern."""
    articles = canonical_order(site)
    config = DedupConfig(near=near)
    first = Memory()
    before = dedupe(articles, config, memory=first)
    stored = snapshot(first)
    assert stored is not None
    memory = restore(stored)  # as the next build finds it on disk
    earlier = len(articles) // 3
    later, k = next(
        (a, k)
        for a in reversed(range(len(articles)))
        for k, p in enumerate(before.articles[a].paragraphs)
        if p.role == "body" and p.removal is None and len(p.text.split()) >= 20
    )
    pasted = articles[later].paragraphs[k].text + added
    articles[earlier] = _with_paragraphs(
        articles[earlier], [*articles[earlier].paragraphs, Paragraph(0, "body", pasted)]
    )
    result = dedupe(articles, config, memory=memory)
    assert result == dedupe(articles, config)
    removal = result.articles[later].paragraphs[k].removal
    assert removal is not None and removal.reason == reason
    engine = memory.engine
    assert engine is not None and engine.copied >= (len(articles) - earlier) // 2


def test_a_new_first_copy_of_a_boilerplate_line_is_referred_to_by_the_later_ones(
    site: list[Article],
) -> None:
    articles = canonical_order(site)
    config = DedupConfig(boilerplate_min_articles=3)

    def add_footer_to(a: int) -> None:
        articles[a] = _with_paragraphs(
            articles[a], [*articles[a].paragraphs, Paragraph(0, "body", FOOTER)]
        )

    for a in (60, 80, 100):
        add_footer_to(a)
    memory = Memory()
    dedupe(articles, config, memory=memory)
    first = 20
    add_footer_to(first)  # already boilerplate: only where it is first changes
    result = dedupe(articles, config, memory=memory)
    assert result == dedupe(articles, config)
    assert memory.resumed_at == first
    engine = memory.engine
    assert engine is not None and engine.copied >= (len(articles) - first) // 2
