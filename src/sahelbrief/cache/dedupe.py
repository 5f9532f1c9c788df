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


def recalled(
    folder: Path, program: str, wanted: bytes, articles: Sequence[Article]
) -> Deduped | None:
    """The stage's result for `articles` when `wanted` is the key stored, else None."""
    stored = store.load(folder / FILE, program)
    if isinstance(stored, tuple) and len(stored) == 3 and stored[0] == wanted:
        return _restore(articles, stored[1], stored[2])
    return None


def remember(
    folder: Path, program: str, wanted: bytes, articles: Sequence[Article], result: Deduped
) -> None:
    """Store `result`, the stage's result for `articles`, under `wanted`."""
    decisions = _decisions(articles, result)
    if decisions is not None:
        others = {
            f.name: getattr(result, f.name)
            for f in dataclasses.fields(result)
            if f.name != "articles"
        }
        store.dump(folder / FILE, (wanted, decisions, others), program)


def _decisions(articles: Sequence[Article], result: Deduped) -> list[tuple[str, Decision]] | None:
    """What dedupe changed in each article, by source; None when the result is not the input
    articles with fields set (then it is not stored)."""
    given = {a.source: a for a in articles}
    found: list[tuple[str, Decision]] = []
    for article in result.articles:
        before = given.get(article.source)
        made = decision(before, article) if before is not None else None
        if made is None:
            return None
        found.append((article.source, made))
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
) -> Deduped | None:
    given = {a.source: a for a in articles}
    rebuilt = []
    for source, (removals, fields) in decisions:
        article = given.get(source)
        if article is None or len(removals) != len(article.paragraphs):
            return None
        paragraphs = tuple(
            p if p.removal == removal else dataclasses.replace(p, removal=removal)
            for p, removal in zip(article.paragraphs, removals, strict=True)
        )
        rebuilt.append(dataclasses.replace(article, paragraphs=paragraphs, **fields))
    return Deduped(articles=tuple(rebuilt), **others)
