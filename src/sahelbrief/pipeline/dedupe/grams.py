"""Which of the articles ahead have a given 3-gram: the test a resumed pass makes of every
unchanged article it may copy (replay.py), for all of them at once.

The 3-grams of every long paragraph of the articles ahead are packed as near.py packs them
(batch.pack), in one numpy array with the article each comes from, and a hash of each. Asking
which articles have any of a few hundred 3-grams is then a look-up of every hash in a bitmap of
theirs, then an exact comparison of the few that pass. (One paragraph at a time in Python,
building its 3-gram set, took about a quarter of a second for 2,500 articles; numpy's `isin`
sorts the whole array on every question.)
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from sahelbrief.identity import ByIdentity
from sahelbrief.pipeline.dedupe.batch import pack
from sahelbrief.pipeline.dedupe.chains import MIX
from sahelbrief.pipeline.dedupe.near import shingles_of
from sahelbrief.pipeline.dedupe.rows import Rows

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray


FEW = 64  # articles ahead below which the 3-grams are sets in Python


# Each article's packed 3-grams, by its rows (the very object: the preview's dedupe memory keeps
# an unchanged article's rows from build to build), so that an edit in the middle of the archive
# does not pack the 2,500 later articles' again (0.06 s of its rebuild at 5,000 articles).
Packed = ByIdentity[Rows, "NDArray[np.uint64]"]


class Grams:
    def __init__(
        self, articles: Sequence[Rows], min_words: int, known: Packed | None = None
    ) -> None:
        """`articles`: the rows of the articles ahead, by their position in it; only the
        paragraphs of at least `min_words` words are compared with others, so only theirs.
        A few articles ahead (an edit of the latest stories) are kept as sets, in Python:
        importing numpy would cost more than it saves. `known`: each article's packed 3-grams
        from earlier passes of this process, by its rows, kept there for the next (those of
        articles not ahead in this pass nor the last one that used it are let go)."""
        few = len(articles) < FEW
        remembered = known if not few else None  # (a few articles are sets, not packed)
        if remembered is not None:
            remembered.begin()
        ids: list[array[int]] = []
        owners: list[int] = []  # the article of each of `ids`, by its position in `articles`
        self._sets: list[tuple[int, set[int]]] = []  # paragraphs of under three words, or few
        found: dict[int, NDArray[np.uint64]] = {}  # position -> its packed 3-grams, known
        for position, rows in enumerate(articles):
            packed = remembered.find(rows) if remembered is not None else None
            if packed is not None:
                found[position] = packed
            for row in rows:
                if row is None or row.size < min_words:
                    continue
                if few or len(row.ids) < 3:
                    self._sets.append((position, shingles_of(row.ids)))
                elif packed is None:
                    ids.append(row.ids)
                    owners.append(position)
        self._grams: NDArray[np.uint64] | None = None
        if few:
            return
        import numpy as np

        if ids:
            grams, paragraphs = pack(ids)
            made = np.asarray(owners, dtype=np.intp)[paragraphs]  # in position order
        else:  # every article's known
            grams, made = np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.intp)
        if remembered is not None:
            cuts = np.searchsorted(made, np.arange(len(articles) + 1, dtype=np.intp))
            for position, rows in enumerate(articles):
                if position not in found:
                    # A copy: a slice would keep this pass's whole array alive.
                    part = grams[cuts[position] : cuts[position + 1]].copy()
                    found[position] = remembered.put(rows, part)
            parts = [found[p] for p in range(len(articles))]  # in position order
            grams = np.concatenate(parts)
            made = np.repeat(np.arange(len(articles), dtype=np.intp), [len(p) for p in parts])
        self._grams = grams
        self._owners: NDArray[np.intp] = made
        self._hashes = _hash(self._grams)

    def having(self, features: Iterable[int]) -> set[int]:
        """The positions of the articles with a paragraph that has one of `features`."""
        wanted = set(features)
        having = {p for p, grams in self._sets if not wanted.isdisjoint(grams)}
        if not wanted or self._grams is None:
            return having
        import numpy as np

        asked = np.fromiter(wanted, dtype=np.uint64, count=len(wanted))
        bitmap = np.zeros(1 << _BITS, dtype=bool)
        bitmap[_hash(asked)] = True
        maybe = np.flatnonzero(bitmap[self._hashes])
        found = maybe[np.isin(self._grams[maybe], asked)]
        having.update(self._owners[found].tolist())
        return having


_BITS = 20


def _hash(grams: NDArray[np.uint64]) -> NDArray[np.intp]:
    import numpy as np

    mixed = grams * np.uint64(MIX)  # wraps modulo 2**64, as chains.py's slots
    hashes: NDArray[np.intp] = (mixed >> np.uint64(64 - _BITS)).astype(np.intp)
    return hashes
