"""The near-duplicate join of a few consecutive articles' paragraphs in bulk, with numpy (see
near.py).

Made one paragraph and one 3-gram at a time in Python, the join cost 40% of the stage: a
paragraph has some 60 3-grams to make and sort, and some 30 in its prefix to look up and post,
nine in ten of them in no other paragraph. So when a pass decides many articles, the paragraphs
of a window of 16 articles have their 3-grams made, sorted and cut to their prefixes in a few
array operations, and all those prefixes are looked up in the index at once, as it stands when
the window begins. What the window's own paragraphs post while they are decided is kept aside
for the 3-grams that two of them have in their prefixes, so each paragraph finds exactly what
`NearIndex.probe` would find at its turn (tests/unit/dedupe/test_batch.py); the postings are
chained into the index's table in bulk when the next window looks up.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from sahelbrief.pipeline.dedupe import ranks
from sahelbrief.pipeline.dedupe.near import (
    MAX_POSTINGS,
    Join,
    NearIndex,
    Place,
    prefix_length,
    shingles_of,
)

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

# Articles in a pass below which it joins one 3-gram at a time, in Python: importing numpy
# would cost more than it saves (the latest stories of a rebuild).
FEW = 64


def pack(ids: Sequence[array[int]]) -> tuple[NDArray[np.uint64], NDArray[np.intp]]:
    """The word 3-grams of paragraphs of at least three words (`ids`: their word ids),
    packed as near.shingles packs them, in paragraph order, and the paragraph (its position in
    `ids`) each comes from."""
    import numpy as np

    words = np.frombuffer(b"".join([some.tobytes() for some in ids]), dtype=np.uint32)
    ranked = ranks.of_all(words)
    lengths = np.fromiter(map(len, ids), dtype=np.intp, count=len(ids))
    ends = np.cumsum(lengths)
    # A 3-gram starts at every word but the last two of its paragraph.
    starts = np.ones(len(words), dtype=bool)
    starts[ends - 1] = False
    starts[ends - 2] = False
    packed = (ranked[:-2] << np.uint64(42)) | (ranked[1:-1] << np.uint64(21)) | ranked[2:]
    owners = np.repeat(np.arange(len(ids), dtype=np.intp), lengths - 2)
    return packed[starts[:-2]], owners


class Windows:
    """The joins of the articles of a pass, `size` consecutive articles at a time (one when
    the pass may copy an article's decisions instead, whose postings the window would miss).
    `candidates(a)` are the paragraphs of article `a` that may be near-duplicates."""

    def __init__(
        self,
        index: NearIndex,
        candidates: Callable[[int], dict[Place, array[int]]],
        articles: range,
        size: int,
    ) -> None:
        self.index, self.candidates = index, candidates
        self.articles, self.size = articles, size
        self._window = range(0)
        self._join: BulkJoin | None = None

    def __call__(self, a: int) -> BulkJoin:
        """The join for article `a`, when it is about to be decided."""
        if self._join is None or a not in self._window:
            self._window = range(a, min(a + self.size, self.articles.stop))
            ids = {place: some for b in self._window for place, some in self.candidates(b).items()}
            self._join = BulkJoin(self.index, ids)
        return self._join


class BulkJoin(Join):
    """Join, with the prefixes made and looked up in bulk."""

    def __init__(self, index: NearIndex, ids: dict[Place, array[int]]) -> None:
        super().__init__(index, ids)
        self._sizes: dict[Place, int] = {}  # paragraph -> its number of 3-grams
        self._prefix: dict[Place, NDArray[np.uint64]] = {}  # without the stock phrases
        # Paragraph -> the ids of the paragraphs that posted a 3-gram of its prefix before the
        # window, once per 3-gram; then, of the 3-grams of its prefix that another paragraph
        # of the window has in its prefix too, the ids that posted each before the window.
        self._found: dict[Place, list[int]] = {}
        self._shared: dict[Place, dict[int, list[int]]] = {}
        # The candidates of each paragraph that has no 3-gram of `_shared`, made in bulk.
        self._best: dict[Place, list[int]] = {}
        self._posted: dict[int, list[int]] = {}  # such a 3-gram -> ids that posted it here
        self._full: set[int] = set()  # 3-grams of the last probe that have enough postings
        if ids:
            features, paragraphs, lengths = self._prefixes(ids)
            stock = self._look_up(features, paragraphs, list(lengths))
            self._cut(features, lengths, stock)

    def _prefixes(
        self, ids: dict[Place, array[int]]
    ) -> tuple[NDArray[np.uint64], NDArray[np.intp], dict[Place, int]]:
        """Every paragraph's prefix (its distinct 3-grams, sorted, cut as NearIndex.prefix
        cuts them) end to end, the paragraph of each 3-gram (its position in the lengths),
        and each prefix's length."""
        import numpy as np

        long = [place for place, some in ids.items() if len(some) >= 3]
        grams, owners = pack([ids[place] for place in long])
        # Sorted within each paragraph: by 3-gram, then stably by paragraph (a radix sort).
        order = np.argsort(grams)
        radix = np.uint16 if len(long) <= 1 << 16 else np.uint32
        order = order[np.argsort(owners[order].astype(radix), kind="stable")]
        grams, owners = grams[order], owners[order]
        distinct = np.ones(len(grams), dtype=bool)
        distinct[1:] = (grams[1:] != grams[:-1]) | (owners[1:] != owners[:-1])
        grams = grams[distinct]
        sizes = np.bincount(owners[distinct], minlength=len(long)).tolist()
        start, lengths = 0, dict[Place, int]()
        prefixes = []
        for place, size in zip(long, sizes, strict=True):
            length = prefix_length(size, self.index.threshold)
            self._sizes[place], lengths[place] = size, length
            prefixes.append(grams[start : start + length])
            start += size
        short = [place for place, some in ids.items() if len(some) < 3]
        for place in short:  # a long dateline and little else: one packed feature
            self._sizes[place], lengths[place] = 1, 1
            prefixes.append(np.array(list(shingles_of(ids[place])), np.uint64))
        counts = np.fromiter(lengths.values(), dtype=np.intp, count=len(lengths))
        paragraphs = np.repeat(np.arange(len(lengths)), counts)
        return np.concatenate(prefixes), paragraphs, lengths

    def _look_up(
        self, features: NDArray[np.uint64], paragraphs: NDArray[np.intp], places: list[Place]
    ) -> NDArray[np.intp]:
        """Find the postings of every prefix 3-gram, and the 3-grams two paragraphs share;
        the positions of the stock phrases among `features`."""
        import numpy as np

        which, owners, stock = self.index.lookup(features)
        # 3-grams in the prefixes of two paragraphs: the later one must also find the earlier
        # one's postings, which come after the look-up.
        order = np.argsort(features)
        ordered = features[order]
        same = ordered[1:] == ordered[:-1]
        repeated = np.zeros(len(features), dtype=bool)
        if same.any():
            both = np.zeros(len(ordered), dtype=bool)
            both[1:] = same
            both[:-1] |= same
            repeated[order[both]] = True
            repeated[stock] = False  # a stock phrase is never posted again
        alone = ~repeated[which]
        dynamic = np.zeros(len(places), dtype=bool)
        dynamic[paragraphs[repeated]] = True  # what they find depends on the window's posts
        self._gather(paragraphs[which[alone]], owners[alone], places, dynamic)
        shared = self._shared
        for w in np.flatnonzero(repeated).tolist():
            value = int(features[w])
            shared.setdefault(places[paragraphs[w]], {})[value] = []
            self._posted[value] = []
        hits = ~alone
        for w, owner in zip(which[hits].tolist(), owners[hits].tolist(), strict=True):
            shared[places[paragraphs[w]]][int(features[w])].append(owner)
        return stock

    def _gather(
        self,
        paragraphs: NDArray[np.intp],
        owners: NDArray[np.uint32],
        places: list[Place],
        dynamic: NDArray[np.bool_],
    ) -> None:
        """The candidates of each paragraph whose prefix no other paragraph of the window
        has, from its postings; the owners of the postings of the others, as one list each."""
        import numpy as np

        sizes = np.fromiter(map(self._sizes.__getitem__, places), np.intp, len(places))
        fixed = ~dynamic[paragraphs]
        best = self.index.best_all(paragraphs[fixed], owners[fixed], sizes)
        for place, found, alone in zip(places, best, (~dynamic).tolist(), strict=True):
            if alone:
                self._best[place] = found
        paragraphs, owners = paragraphs[~fixed], owners[~fixed]
        order = np.argsort(paragraphs, kind="stable")
        ends = np.cumsum(np.bincount(paragraphs, minlength=len(places))).tolist()
        flat = owners[order].tolist()
        start = 0
        for place, end in zip(places, ends, strict=True):
            if end > start:
                self._found[place] = flat[start:end]
            start = end

    def _cut(
        self, features: NDArray[np.uint64], lengths: dict[Place, int], stock: NDArray[np.intp]
    ) -> None:
        """Each paragraph's prefix, without the stock phrases (never posted again)."""
        import numpy as np

        keep = np.ones(len(features), dtype=bool)
        keep[stock] = False
        kept = features[keep]
        ends = np.cumsum(keep).tolist()
        start = end = 0
        for place, length in lengths.items():
            end += length
            first, last = ends[start - 1] if start else 0, ends[end - 1]
            self._prefix[place] = kept[first:last]
            start = end

    def probe(self, place: Place) -> list[int]:
        self._full = full = set()
        ready = self._best.get(place)
        if ready is not None:
            return ready
        found = Counter(self._found.get(place, ()))
        posted = self._posted
        for feature, owners in self._shared.get(place, {}).items():
            here = posted[feature]  # posted by earlier paragraphs of this window
            if len(here) + len(owners) >= MAX_POSTINGS:
                full.add(feature)  # a stock phrase (NearIndex.probe)
                continue
            found.update(here)
            found.update(owners)
        return self.index.best(found, self._sizes[place])

    def add(self, place: Place, paragraph_id: int) -> None:
        prefix, full = self._prefix[place], self._full
        if full:
            prefix = prefix[[feature not in full for feature in prefix.tolist()]]
        keys = array("Q")
        keys.frombytes(prefix.tobytes())
        # Chained into the table when the next article looks up (NearIndex.lookup).
        self.index.extend(
            keys, array("I", [paragraph_id]) * len(keys), array("I", [self._sizes[place]])
        )
        posted = self._posted
        for feature in self._shared.get(place, ()):
            if feature not in full:
                posted[feature].append(paragraph_id)
