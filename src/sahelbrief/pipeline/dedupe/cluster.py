"""Story clustering: an article whose paragraphs mostly repeat another story is a copy of it.

share(A, B) = paragraphs of one repeating the other / content paragraphs of the smaller. Pairs
at or above the configured share are joined with union-find; the earliest article of a cluster
(in the site's canonical order) is the story, the others are merged into it. A pair that also
has a look-alike paragraph whose facts differ (an update: "at least 12" -> "at least 15") is
never joined: the newer version stays a story of its own so its changed facts stay visible.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence


class UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        parent = self.parent
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        # The lower index (earlier in canonical order) is the root, so it is the story.
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def stories(
    sizes: Sequence[int],
    matches: Counter[tuple[int, int]],
    conflicts: Iterable[tuple[int, int]],
    share: float,
) -> list[int]:
    """For each article index, the index of the story it belongs to (itself when it is one).

    `sizes` are content paragraphs per article; `matches[(later, earlier)]` counts paragraphs of
    `later` removed as repeats of `earlier`; `conflicts` are pairs with a fact-changed
    look-alike."""
    blocked = {frozenset(pair) for pair in conflicts}
    union = UnionFind(len(sizes))
    for (later, earlier), count in sorted(matches.items()):
        if later == earlier or frozenset((later, earlier)) in blocked:
            continue
        smaller = min(sizes[later], sizes[earlier])
        if smaller and count / smaller >= share:
            union.union(later, earlier)
    return [union.find(i) for i in range(len(sizes))]
