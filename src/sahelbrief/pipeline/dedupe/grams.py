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

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from sahelbrief.pipeline.dedupe.batch import pack
from sahelbrief.pipeline.dedupe.chains import MIX
from sahelbrief.pipeline.dedupe.near import shingles_of
from sahelbrief.pipeline.dedupe.rows import Rows

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray


FEW = 64  # articles ahead below which the 3-grams are sets in Python


class Grams:
    def __init__(self, articles: Sequence[Rows], min_words: int) -> None:
        """`articles`: the rows of the articles ahead, by their position in it; only the
        paragraphs of at least `min_words` words are compared with others, so only theirs.
        A few articles ahead (an edit of the latest stories) are kept as sets, in Python:
        importing numpy would cost more than it saves."""
        few = len(articles) < FEW
        ids, owners = [], []
        self._sets: list[tuple[int, set[int]]] = []  # paragraphs of under three words, or few
        for position, rows in enumerate(articles):
            for row in rows:
                if row is None or row.size < min_words:
                    continue
                if few or len(row.ids) < 3:
                    self._sets.append((position, shingles_of(row.ids)))
                    continue
                ids.append(row.ids)
                owners.append(position)
        self._grams: NDArray[np.uint64] | None = None
        if few:
            return
        import numpy as np

        self._grams, paragraphs = pack(ids)
        self._owners: NDArray[np.intp] = np.asarray(owners, dtype=np.intp)[paragraphs]
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
