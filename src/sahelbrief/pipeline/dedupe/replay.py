"""Replaying the decisions of unchanged articles after a rebuild's first change.

When the pass resumes at the first changed article (memory.py), the articles after it are
mostly the same as last time. An article's decisions depend only on what it reads of the state
the articles before it left: the exact keys and boilerplate lines it looks up, and the postings
of the 3-grams it probes (engine.py). So the pass keeps what it decided about the old articles
after the change (a `Tail`) and, walking the new articles, keeps a `Touched` set: every key and
3-gram that an article decided anew or dropped wrote, in its old version or its new one. An
unchanged article that reads none of them reads exactly what it read last time, so it decides
exactly what it decided: its decisions are copied (renumbered to the new article positions)
instead of being made again. Any other article is decided again, and what it writes joins the
set. The result is the same as a pass from scratch (tests/unit/dedupe/test_resume.py).
"""

from __future__ import annotations

import itertools
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sahelbrief.model import Lookalike, Removal
from sahelbrief.pipeline.dedupe.grams import Grams
from sahelbrief.pipeline.dedupe.rows import Rows

Place = tuple[int, int]  # (article, paragraph)


@dataclass(slots=True)
class OldArticle:
    """What the last pass decided about one article and wrote to the state, as it was."""

    fingerprint: bytes
    removals: list[Removal | None]
    first: int  # the id its first indexed paragraph had
    places: array[int]  # paragraph positions of its indexed paragraphs, by id
    sizes: array[int]  # their 3-gram counts
    keys: array[int]  # its postings' 3-grams, in the order they were added
    owners: array[int]  # their paragraph ids
    site_exact: list[tuple[int, Place]]
    boiler_first: list[tuple[int, Place]]
    lookalikes: list[Lookalike]
    matches: list[tuple[int, int]] = field(default_factory=list)  # (earlier article, count)
    conflicts: list[int] = field(default_factory=list)  # earlier articles
    targets: list[tuple[int, Place]] = field(default_factory=list)  # (paragraph, kept place)


@dataclass(slots=True)
class Copied:
    """An old article's writes renumbered to where it now stands."""

    site_exact: list[tuple[int, Place]]
    boiler_first: list[tuple[int, Place]]
    matches: list[tuple[tuple[int, int], int]]
    conflicts: list[tuple[int, int]]
    targets: list[tuple[Place, Place]]


class Tail:
    """The old articles from the resume point on, in their old order, and where the ones
    copied so far now stand."""

    def __init__(self, start: int, old: Sequence[OldArticle]) -> None:
        self.start = start  # articles before it are where they were
        self.old = old
        self.positions = {article.fingerprint: i for i, article in enumerate(old)}
        self.placed: dict[int, int] = {}  # old article (counted from start) -> new position
        self.next = 0  # old articles before this one are copied or dropped

    def take(self, fingerprint: bytes) -> tuple[int | None, list[int]]:
        """The old article with this fingerprint if it comes after those taken so far, and the
        old articles passed over to reach it (dropped: their writes are gone)."""
        q = self.positions.get(fingerprint)
        if q is None or q < self.next:
            return None, []
        dropped = list(range(self.next, q))
        self.next = q + 1
        return q, dropped

    def copy(self, q: int, a: int) -> Copied | None:
        """Old article `q`'s writes with every article renumbered as it now stands at `a`;
        None if it refers to an article that is not copied (it must be decided again)."""
        self.placed[q] = a
        old = self.old[q]
        try:
            return Copied(
                [(key, self._place(place)) for key, place in old.site_exact],
                [(key, self._place(place)) for key, place in old.boiler_first],
                [((a, self._article(b)), n) for b, n in old.matches],
                [(a, self._article(b)) for b in old.conflicts],
                [((a, k), self._place(place)) for k, place in old.targets],
            )
        except KeyError:
            del self.placed[q]
            return None

    def _article(self, b: int) -> int:
        return b if b < self.start else self.placed[b - self.start]

    def _place(self, place: Place) -> Place:
        return (self._article(place[0]), place[1])


class Touched:
    """The keys and 3-grams whose state may differ from the last pass at this point, and the
    articles ahead (by position) that have one of those 3-grams."""

    def __init__(self, ahead: Grams | None) -> None:
        self.ahead = ahead  # None: near-duplicates are off, 3-grams are never read
        self.exact: set[int] = set()
        self.loose: set[int] = set()
        self.reached: set[int] = set()  # positions of the articles ahead with a touched 3-gram

    def add(self, features: Iterable[int], exact: Iterable[int], loose: Iterable[int]) -> None:
        """An article's writes: the 3-grams it posted, the exact keys and boilerplate lines it
        was the first to have (the later ones read where they first were)."""
        if self.ahead is not None:
            self.reached |= self.ahead.having(features)
        self.exact.update(exact)
        self.loose.update(loose)

    def add_old(self, old: OldArticle) -> None:
        """What an old article wrote, gone or changed."""
        self.add(old.keys, (k for k, _ in old.site_exact), (k for k, _ in old.boiler_first))

    def reaches(self, position: int, rows: Rows) -> bool:
        """Whether the article ahead at `position`, with these rows, may read something
        touched. (Having a touched 3-gram is enough: it may probe only its rarest ones.)"""
        if position in self.reached:
            return True
        exact, loose = self.exact, self.loose
        return any(
            row is not None
            and (row.exact in exact or (row.loose is not None and row.loose in loose))
            for row in rows
        )


def old_articles(
    fingerprints: Sequence[bytes],
    removals: Sequence[list[Removal | None]],
    bounds: Sequence[tuple[int, int, int, int, int]],
    tail: OldState,
) -> list[OldArticle]:
    """Cut the state the old articles left after the resume point into articles. `bounds`
    holds, for each old article and for the end, where it starts in `tail`: (indexed
    paragraphs, postings, site_exact entries, boiler_first entries, look-alikes)."""
    exact_entries, boiler_entries = iter(tail.site_exact), iter(tail.boiler_first)
    result = []
    for i, fingerprint in enumerate(fingerprints):
        (p0, s0, e0, b0, l0), (p1, s1, e1, b1, l1) = bounds[i], bounds[i + 1]
        result.append(
            OldArticle(
                fingerprint,
                removals[i],
                tail.first + p0,
                tail.place_index[p0:p1],
                tail.sizes[p0:p1],
                tail.keys[s0:s1],
                tail.owners[s0:s1],
                list(itertools.islice(exact_entries, e1 - e0)),
                list(itertools.islice(boiler_entries, b1 - b0)),
                list(tail.lookalikes[l0:l1]),
            )
        )
    return result


@dataclass(slots=True)
class OldState:
    """The state written after the resume point, as it stood before the rewind."""

    first: int  # the first indexed paragraph id in it
    place_index: array[int]
    sizes: array[int]
    keys: array[int]
    owners: array[int]
    site_exact: Iterable[tuple[int, Place]]
    boiler_first: Iterable[tuple[int, Place]]
    lookalikes: Sequence[Lookalike]
