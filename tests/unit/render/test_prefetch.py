"""The cold build's background Markdown (render/batch.py Prefetch): what its one worker has not
taken up when the views need the fragments is called off, for every core to convert."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from sahelbrief.config import Config
from sahelbrief.model import Article, Entry, Paragraph
from sahelbrief.pipeline.render import batch
from sahelbrief.pipeline.render.batch import CHUNK, Prefetch
from sahelbrief.pipeline.render.stories import Stories
from sahelbrief.pipeline.render.view import ViewSettings
from tests.conftest import pools_started

SETTINGS = ViewSettings.of(Config(base_url="https://example.org/"))


def _articles(count: int) -> list[Article]:
    return [
        Article(
            source=f"content/{n:05d}.md",
            format="markdown",
            title=f"Story {n}",
            title_line=1,
            paragraphs=tuple(
                Paragraph(3 + 2 * p, "body", f"Story {n}, paragraph {p}: *rains* in Mopti.")
                for p in range(12)
            ),
            slug=f"story-{n}",
        )
        for n in range(count)
    ]


def test_collect_calls_off_every_chunk_not_taken_up_at_once() -> None:
    # Called off one by one while waiting for each, the next chunk had always been taken up by
    # then: the one worker converted them all while the other core sat idle.
    chunks = 40
    prefetch = Prefetch(_articles(chunks * CHUNK), SETTINGS, workers=1)
    memo: dict[bytes, str] = {}
    skipped = prefetch.collect(memo)
    converted = {int(n) for html in memo.values() for n in re.findall(r"Story (\d+),", html)}
    taken_up = len(converted) / CHUNK
    # One chunk runs and one waits when collect starts; a busy machine may let a few more by.
    assert taken_up < chunks / 2, f"{taken_up:.0f} of {chunks} chunks converted by the one worker"
    # The views are told which articles were called off, to convert them on every core.
    assert skipped == {f"content/{n:05d}.md" for n in range(chunks * CHUNK) if n not in converted}


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> tuple[list[Article], list[Entry]]:
    """160 stories and their entries, in chunks of 4, with a pool worth it from 8."""
    monkeypatch.setattr(batch, "CHUNK", 4)
    monkeypatch.setattr(batch, "PARALLEL_MIN", 8)
    articles = _articles(160)
    return articles, [
        Entry(a, f"/articles/{a.slug}/", f"articles/{a.slug}/index.html") for a in articles
    ]


def test_views_convert_what_was_called_off_as_one_process_does(
    monkeypatch: pytest.MonkeyPatch, small_chunks: tuple[list[Article], list[Entry]]
) -> None:
    articles, entries = small_chunks
    # One story lost a paragraph in dedupe since it was read: its fragments were not prefetched.
    entries[3] = replace(
        entries[3], article=replace(articles[3], paragraphs=articles[3].paragraphs[1:])
    )
    stories = Stories(entries, SETTINGS.absolute)
    counts: list[int] = []
    pools = pools_started(monkeypatch, batch, "_pool")
    early = Prefetch(articles, SETTINGS, workers=1)
    made = batch.make_views(
        entries,
        SETTINGS,
        {},
        stories,
        jobs=2,
        progress=lambda _stage, done, _total: counts.append(done),
        early=early,
    )
    alone = batch.make_views(entries, SETTINGS, {}, stories)
    assert made == alone
    assert list(made) == [e.article.source for e in entries]
    assert counts[-1] == len(entries) and counts == sorted(counts)
    assert pools == [1, 2]  # what the prefetch called off went to the views' workers


def test_views_convert_again_only_what_the_memo_does_not_hold(
    monkeypatch: pytest.MonkeyPatch, small_chunks: tuple[list[Article], list[Entry]]
) -> None:
    # Sources read anew (renamed, say) whose text an earlier build converted: the prefetch
    # calls them off, and their fragments are in the memo already.
    articles, entries = small_chunks
    stories = Stories(entries, SETTINGS.absolute)
    memo: dict[bytes, str] = {}
    alone = batch.make_views(entries, SETTINGS, memo, stories)
    pools = pools_started(monkeypatch, batch, "_pool")
    made = batch.make_views(
        entries, SETTINGS, memo, stories, jobs=2, early=Prefetch(articles, SETTINGS, workers=1)
    )
    assert made == alone
    assert pools == [1]  # nothing for the views' workers to convert
