"""The dedupe stage: pure. Marks repeated paragraphs removed, says why and of what, and marks
articles that are copies of another story.

Articles are visited in the site's canonical order (undated first, then by date, then by path),
so the first occurrence of a paragraph in that order is the one kept, whatever order the files
were read in. Nothing is deleted: a removed paragraph stays in its article, marked.

Rules, in order (see the README's Deduplication section for the figures behind them):
1. furniture: "Read more", "Photo : AFP"... in seeds: removed, reason "furniture";
2. boilerplate: a line of at most `boilerplate_max_words` words in at least
   `boilerplate_min_articles` articles: kept once (removed everywhere if it is a copyright
   notice or a promotion), reason "boilerplate";
3. exact: same key earlier in the article, or (scope site, at least `min_words` words) in an
   earlier article: reason "exact";
4. near: at least `min_words` words, word 3-gram containment >= `containment` with an earlier
   paragraph and the fact guard passes: reason "near" (within one article the less complete of
   the two goes);
5. story: an article whose paragraphs repeat an earlier story (share >= `story_share`) is
   merged into it (`Article.merged_into`).
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Literal

from sahelbrief.config import DedupConfig
from sahelbrief.model import Article, Deduped, Removal, canonical_order
from sahelbrief.pipeline.dedupe import cluster
from sahelbrief.pipeline.dedupe.engine import Engine
from sahelbrief.pipeline.dedupe.memory import Memory, decide


def dedupe(
    articles: Iterable[Article],
    config: DedupConfig | None = None,
    *,
    scope: Literal["site", "article"] | None = None,
    memory: Memory | None = None,
    fingerprints: Mapping[str, bytes] | None = None,
) -> Deduped:
    """Mark repeats in `articles`; `scope`, when given, overrides `config.scope`. With a
    `memory` of an earlier pass over the site, only what changed is decided again (see
    memory.py); the result is the same. `fingerprints`: see memory.decide."""
    config = config or DedupConfig()
    if scope is not None:
        config = replace(config, scope=scope)
    ordered = canonical_order(articles)
    # The stage allocates millions of small containers and no reference cycles; the cyclic
    # garbage collector would rescan all of them again and again (measured: 15.5x the time for
    # 10x the paragraphs with it, linear without), also while the result is put together
    # (0.3 s at 150,000 paragraphs when it ran then).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _decided_site(ordered, config, memory or Memory(), fingerprints)
    finally:
        if collecting:
            gc.enable()


def _decided_site(
    ordered: list[Article],
    config: DedupConfig,
    memory: Memory,
    fingerprints: Mapping[str, bytes] | None,
) -> Deduped:
    engine = decide(ordered, config, memory, fingerprints)
    state = engine.state
    decided = memory.decided
    decided.begin()
    result = [
        _decided(article, state.removals[i], decided.find(article))
        for i, article in enumerate(ordered)
    ]
    if config.scope == "site":
        result = _merge_stories(result, engine, config)
    return Deduped(
        tuple(decided.stable(a, r) for a, r in zip(ordered, result, strict=True)),
        tuple(state.lookalikes),
    )


def _decided(article: Article, removals: list[Removal | None], before: Article | None) -> Article:
    """`article` with these removals: itself when it has none to add, or `before` (the article
    as the last pass of this process decided it) when it had the same. Which story it is a
    copy of is set afterwards (_merge_stories)."""
    wanted = tuple(removals)  # compared as tuples: the very same removals match at once
    for made in (article, before):
        if made is not None and tuple(p.removal for p in made.paragraphs) == wanted:
            return made
    paragraphs = tuple(
        p if p.removal is removal else replace(p, removal=removal)
        for p, removal in zip(article.paragraphs, removals, strict=True)
    )
    return replace(article, paragraphs=paragraphs)


def _merge_stories(articles: list[Article], engine: Engine, config: DedupConfig) -> list[Article]:
    sizes = [
        sum(
            1
            for p in a.paragraphs
            if p.role != "title"
            and (p.removal is None or p.removal.reason not in ("furniture", "boilerplate"))
        )
        if a.kind == "article"
        else 0
        for a in articles
    ]
    roots = cluster.stories(sizes, engine.state.matches, engine.state.conflicts, config.story_share)
    merged = [articles[root].source if root != i else None for i, root in enumerate(roots)]
    return [
        a if a.merged_into == story else replace(a, merged_into=story)
        for a, story in zip(articles, merged, strict=True)
    ]
