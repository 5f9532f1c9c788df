"""Resuming the dedupe pass: on a rebuild, the articles before the first change are not
compared again.

A paragraph's decision depends only on the paragraphs before it in canonical order, the word
ranks (fixed by the words alone, see ranks.py) and the set of boilerplate lines (engine.py).
So when the site changes, the decisions up to the first article that differs (by
fingerprint: the build cache's key of its source's path and bytes, or a hash of its path, date,
kind and every paragraph) still hold, unless a line became or stopped
being boilerplate (then the pass resumes from the first article that has it). The pass is
rewound to that article and run on from there, and the unchanged articles after it that read
nothing the change wrote have their decisions copied instead of made again (replay.py); the
result is exactly that of a pass from scratch (tested on series of edits). Rows (pass 1) are
kept by article fingerprint, so only changed articles have their keys and word ids made again.

So an edit, of any article, decides the edited article again, and the few later ones that
share a key or a 3-gram with what it wrote.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

import xxhash

from sahelbrief.config import DedupConfig
from sahelbrief.identity import ByIdentity
from sahelbrief.model import Article
from sahelbrief.pipeline.dedupe.engine import Engine
from sahelbrief.pipeline.dedupe.grams import Packed
from sahelbrief.pipeline.dedupe.rows import Rows, pack, rows_of, unpack
from sahelbrief.pipeline.dedupe.words import WORD_IDS


class Memory:
    """What the last dedupe pass of this site learnt; empty at first."""

    def __init__(self, config: DedupConfig | None = None) -> None:
        self.reset(config)

    def reset(self, config: DedupConfig | None) -> None:
        """Forget everything: a pass with other settings starts from scratch."""
        self.config = config
        self.rows: dict[bytes, Rows] = {}  # by article fingerprint
        self.fingerprints: list[bytes] = []  # of the articles the engine decided, in order
        self.engine: Engine | None = None
        self.resumed_at = 0  # the article the last pass resumed from (for -v and tests)
        self.resumed = False  # whether the last pass resumed an earlier one's state
        self.rewound = 0  # how many articles of that state it took back (deleted or redecided)
        # By article object, in the preview's process: the article as the pass decided it
        # (equal decisions give the same object next time).
        self.decided: ByIdentity[Article, Article] = ByIdentity()
        # By the article's rows (kept above): its packed 3-grams, for a resumed pass's look at
        # the articles ahead (grams.py).
        self.packed: Packed = ByIdentity()


def decide(
    articles: Sequence[Article],
    config: DedupConfig,
    memory: Memory,
    by_source: Mapping[str, bytes] | None = None,
) -> Engine:
    """Run the pass over `articles` (in canonical order), resuming what `memory` holds.
    `by_source`: each article's fingerprint by source, when the caller has one that changes
    whenever the article does (the build cache's key of the source's bytes, of which an article
    as read is a function: hashing every paragraph again took 0.09 s of an edit at 5,000
    articles); else `fingerprint` is taken of each (the passes that do not resume a memory:
    a memory's fingerprints are all of one kind, as the build cache always gives them)."""
    if memory.config != config:
        memory.reset(config)
    fingerprints = (
        [by_source[a.source] for a in articles]
        if by_source is not None
        else [fingerprint(a) for a in articles]
    )
    known = memory.rows
    new = [a for a, f in zip(articles, fingerprints, strict=True) if f not in known]
    made = iter(rows_of(new, config))
    rows = [known[f] if f in known else next(made) for f in fingerprints]
    memory.rows = dict(zip(fingerprints, rows, strict=True))
    boilerplate, first = _boilerplate(rows, config)
    words = sum(row.size for some in rows for row in some if row is not None)
    engine, memory.engine = memory.engine, None  # until it is consistent again
    if engine is None or words > engine.capacity:
        engine = Engine(config, capacity=words + words // 4 + 1024)
        engine.boilerplate = boilerplate
        engine.run(articles, rows)
        start, memory.resumed, memory.rewound = 0, False, 0
    else:
        start = _first_difference(memory.fingerprints, fingerprints)
        changed = boilerplate.symmetric_difference(engine.boilerplate)
        for key in changed:
            start = min(start, first.get(key, start))
        tail = engine.rewind(start, memory.fingerprints[start:])
        engine.adopt(articles[:start], rows[:start])
        engine.boilerplate = boilerplate
        engine.run(
            articles[start:], rows[start:], fingerprints[start:], tail, changed, memory.packed
        )
        memory.resumed, memory.rewound = True, len(memory.fingerprints) - start
    memory.engine, memory.fingerprints, memory.resumed_at = engine, fingerprints, start
    return engine


# A build whose pass resumed a stored memory and decided only the latest REDO articles or fewer
# again, taking back no more of the stored ones (an edit of the day's stories) does not store
# its memory: storing 66 MB at 5,000 articles took 0.3-0.6 s of such an edit. The memory stored
# before still holds (it is a consistent earlier state), so the next build resumes from it and
# decides those articles again, a millisecond or so each, with its own changes; a pass that
# decides more, or takes back more (the latest stories deleted), stores it.
REDO = 64


def snapshot(memory: Memory, unless_recent: bool = False) -> dict[str, Any] | None:
    """The memory as plain values, for the build cache (None when empty; with `unless_recent`
    also when the pass resumed and changed only the last REDO articles, see REDO)."""
    if memory.engine is None or memory.config is None:
        return None
    decided = len(memory.fingerprints) - memory.resumed_at
    if unless_recent and memory.resumed and max(decided, memory.rewound) <= REDO:
        return None
    return {
        "config": dataclasses.astuple(memory.config),
        "word_ids": WORD_IDS,
        "rows": pack(memory.rows),
        "fingerprints": memory.fingerprints,
        "engine": memory.engine.snapshot(),
    }


def resume(previous: Any) -> Memory:
    """The memory the build cache handed back: kept in this process, stored (a snapshot), or
    none yet."""
    if isinstance(previous, Memory):
        return previous
    return restore(previous) if isinstance(previous, dict) else Memory()


def restore(snapshot: dict[str, Any]) -> Memory:
    """A Memory from `snapshot`; an empty one if it does not fit this program."""
    try:
        config = DedupConfig(*snapshot["config"])
        if snapshot["word_ids"] != WORD_IDS:  # rows of another id scheme (or numbered words)
            raise ValueError(snapshot["word_ids"])
        memory = Memory(config)
        memory.rows = unpack(snapshot["rows"])
        memory.fingerprints = list(snapshot["fingerprints"])
        memory.engine = Engine.restore(config, snapshot["engine"])
    except (KeyError, IndexError, TypeError, ValueError):
        return Memory()
    return memory


def fingerprint(article: Article) -> bytes:
    """Everything of an article that dedupe reads."""
    digest = xxhash.xxh3_128(
        f"{article.source}\x1f{article.date}\x1f{article.kind}\x1f{article.format}".encode(
            "utf-8", "surrogateescape"
        )
    )
    for p in article.paragraphs:
        digest.update(
            f"\x1e{p.line}\x1f{p.role}\x1f{p.removal!r}\x1f{p.text}".encode(
                "utf-8", "surrogateescape"
            )
        )
    return digest.digest()


def _boilerplate(
    rows: Sequence[Rows], config: DedupConfig
) -> tuple[frozenset[int], dict[int, int]]:
    """The loose keys found in at least `boilerplate_min_articles` articles, and the first
    article of every loose key."""
    counts: dict[int, int] = {}
    first: dict[int, int] = {}
    for a, some in enumerate(rows):
        for key in {row.loose for row in some if row is not None and row.loose is not None}:
            counts[key] = counts.get(key, 0) + 1
            first.setdefault(key, a)
    enough = config.boilerplate_min_articles
    return frozenset(k for k, n in counts.items() if n >= enough), first


def _first_difference(old: Sequence[bytes], new: Sequence[bytes]) -> int:
    for i, (a, b) in enumerate(zip(old, new, strict=False)):
        if a != b:
            return i
    return min(len(old), len(new))
