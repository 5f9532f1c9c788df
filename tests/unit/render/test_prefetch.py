"""The cold build's background Markdown (render/batch.py Prefetch): what its one worker has not
taken up when the views need the fragments is called off, for every core to convert."""

from __future__ import annotations

import multiprocessing
import re

import pytest

from sahelbrief.config import Config
from sahelbrief.model import Article, Paragraph
from sahelbrief.pipeline.render.batch import CHUNK, Prefetch
from sahelbrief.pipeline.render.view import ViewSettings

SETTINGS = ViewSettings.of(Config(base_url="https://example.org/"))

pytestmark = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="the prefetch forks"
)


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
    prefetch.collect(memo)
    converted = {int(n) for html in memo.values() for n in re.findall(r"Story (\d+),", html)}
    taken_up = len(converted) / CHUNK
    assert taken_up <= 4, f"{taken_up:.0f} of {chunks} chunks converted by the one worker"
