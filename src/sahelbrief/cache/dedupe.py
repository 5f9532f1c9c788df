"""The dedupe stage's result, remembered.

Deduplication compares every paragraph with the whole site, so its result for one article may
depend on any other. The result is reused as a whole, keyed by the program, the dedupe
settings and every input article's path and bytes in order: a template or a setting that is
not a dedupe setting, a touched but unchanged source, or a rebuild of the same sources to
another folder skips the stage. When an article changed, the pass resumes from its stored
memory instead (MEMORY_FILE, see pipeline/dedupe/memory.py). What is stored here is only what
dedupe decided (each paragraph's removal, the article fields it set, the stage's other
findings), not the articles again. The preview keeps its last result loaded instead, and
stores it with the memory when it closes (BuildCache.flush).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import xxhash

from sahelbrief.cache import store
from sahelbrief.model import Article, Deduped

FILE = "dedupe.bin"
MEMORY_FILE = "dedupe-memory.bin"  # what the pass needs to resume (pipeline/dedupe/memory.py)
Decision = tuple[tuple[Any, ...], dict[str, Any]]  # paragraphs' removals, other fields set


def key(program: str, settings: str, sources: Sequence[tuple[str, bytes]]) -> bytes:
    digest = xxhash.xxh3_128(f"{program}\0{settings}\0".encode())
    for source, content in sources:
        digest.update(source.encode("utf-8", "surrogateescape") + b"\0" + content)
    return digest.digest()


# An article of the stage's result, the article it was made of, and what dedupe changed.
Decided = list[tuple[Article, Article, Decision]]


def recalled(
    folder: Path, program: str, wanted: bytes, articles: Sequence[Article]
) -> tuple[Deduped, Decided] | None:
    """The stage's result for `articles` when `wanted` is the key stored, with each article's
    decision; else None."""
    stored = store.load(folder / FILE, program)
    if isinstance(stored, tuple) and len(stored) == 3 and stored[0] == wanted:
        return _restore(articles, stored[1], stored[2])
    return None


def remember(
    folder: Path, program: str, wanted: bytes, articles: Sequence[Article], result: Deduped
) -> Decided | None:
    """Store `result`, the stage's result for `articles`, under `wanted`; returns each
    article's decision (None, and nothing stored, when the result is not the input articles
    with fields set)."""
    decided = _decided(articles, result)
    if decided is not None:
        others = {
            f.name: getattr(result, f.name)
            for f in dataclasses.fields(result)
            if f.name != "articles"
        }
        decisions = [(after.source, made) for _, after, made in decided]
        store.dump(folder / FILE, (wanted, decisions, others), program)
    return decided


def _decided(articles: Sequence[Article], result: Deduped) -> Decided | None:
    given = {a.source: a for a in articles}
    found: Decided = []
    for article in result.articles:
        before = given.get(article.source)
        made = decision(before, article) if before is not None else None
        if before is None or made is None:
            return None
        found.append((before, article, made))
    return found


def decision(before: Article, after: Article) -> Decision | None:
    """What dedupe changed to make `after` of `before`: each paragraph's removal and the other
    fields it set; None when it changed anything else."""
    if len(before.paragraphs) != len(after.paragraphs):
        return None
    removals = []
    for old, new in zip(before.paragraphs, after.paragraphs, strict=True):
        if old is not new and {**vars(old), "removal": None} != {**vars(new), "removal": None}:
            return None
        removals.append(new.removal)
    fields = {
        f.name: getattr(after, f.name)
        for f in dataclasses.fields(after)
        if f.name != "paragraphs" and getattr(after, f.name) != getattr(before, f.name)
    }
    return tuple(removals), fields


def _restore(
    articles: Sequence[Article], decisions: list[tuple[str, Decision]], others: dict[str, Any]
) -> tuple[Deduped, Decided] | None:
    given = {a.source: a for a in articles}
    decided: Decided = []
    for source, (removals, fields) in decisions:
        article = given.get(source)
        if article is None or len(removals) != len(article.paragraphs):
            return None
        paragraphs = tuple(
            p if p.removal == removal else dataclasses.replace(p, removal=removal)
            for p, removal in zip(article.paragraphs, removals, strict=True)
        )
        made = dataclasses.replace(article, paragraphs=paragraphs, **fields)
        decided.append((article, made, (removals, fields)))
    return Deduped(articles=tuple(after for _, after, _ in decided), **others), decided
