"""Near-duplicate candidates: an exact prefix-filter set-similarity join over word 3-grams.

Every paragraph is a set of word 3-grams, sorted in one global order: by the rank of their
first word (ranks.py: the commonest English and French words last, every other word in an
order fixed by its hash), then by the other two. Two sets with Jaccard similarity >= t must
share one of their first |s| - ceil(t*|s|) + 1 elements (Chaudhuri et al. 2006; All-Pairs,
Bayardo et al. 2007), so only those prefixes are indexed and probed, and two sets of similar
sizes must share more of them than that (`least_shared`): no candidate above the threshold is
ever missed (unlike MinHash or SimHash), and those that share a 3-gram or two by chance are
not compared. Time grows linearly with the number of paragraphs.

The order does not follow the site's word frequencies (it did, counted on a sample of the site,
until an edit of that sample had to decide everything again): a prefix then holds 3-grams that
many paragraphs have, which the index stops counting (MAX_POSTINGS), and chance look-alikes,
which `least_shared` drops. Measured on the speed benchmark's made-up vocabulary, where no word
list helps: a hash order with neither ran at 7,700/s against 13,600/s with ranks counted on the
site; with both (and the candidates chosen in bulk, batch.py), 4-29% faster than with the
counted ranks at 150,000 paragraphs, with the same removals.

The 3-gram of word ranks (a, b, c) is packed into one int (ranks < 2**21), which is exact,
needs no hashing, and sorts by its first word's rank; everything is deterministic and
independent of PYTHONHASHSEED.

Words alone (1-grams) were tried and measured: the prefix of a paragraph's rarest words still
reaches common words, and on a 15,000-paragraph Zipf corpus the candidates exploded (129
paragraphs/s against about 2,000/s with 3-grams). 3-grams are distinctive enough.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from sahelbrief.pipeline.dedupe import chains, ranks

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

_BITS = 21  # three ranks in 63 bits: a 3-gram is one unsigned 64-bit key
_MASK = (1 << _BITS) - 1


def shingles(ranks: Sequence[int]) -> set[int]:
    """The paragraph's word 3-grams, each packed as (a, b, c) in one int, so that they sort by
    their first word's rank: a 3-gram that leads with a common word comes last. (Sorting by
    the rarest of the three words cost twice as much, for no fewer candidates measured.)"""
    if len(ranks) < 3:
        return {_pack(ranks)}
    return {(a << 42) | (b << 21) | c for a, b, c in zip(ranks, ranks[1:], ranks[2:], strict=False)}


def shingles_of(ids: Iterable[int]) -> set[int]:
    """shingles() of the words with these ids (words.py), by their ranks."""
    return shingles([ranks.of(i) for i in ids])


def _pack(ranks: Sequence[int]) -> int:
    packed = 0
    for r in ranks:
        packed = (packed << _BITS) | r
    return packed


# A 3-gram that MAX_POSTINGS earlier paragraphs have is a stock phrase ("the army said in a"),
# not a sign of a copy: a probe does not count it, and it gets no more postings. Two copies
# share their rarer 3-grams too. This keeps the join linear whatever the order of the words
# (ranks.py: a word's rank is not its frequency on the site, so a prefix holds common 3-grams
# too). What a probe finds never depends on other 3-grams sharing its slot, nor on the number
# of slots, so a resumed pass finds what a pass from scratch finds. 16, not 8: thirty copies of
# a background paragraph, each with its own adverb somewhere, found 4 removable copies at 8 and
# 13 at 16 to 64 (as many as with the old newest-64 probe), at no measurable cost.
MAX_POSTINGS = 16
# Of the paragraphs a probe finds, the MAX_CANDIDATES that share the most 3-grams are compared.
# Text written from a small vocabulary (a templated feed, the benchmark's generated corpus)
# shares a 3-gram or two by chance with a number of earlier paragraphs that grows with the
# site: comparing all of them made the stage quadratic (34 s for 73,000 paragraphs).
MAX_CANDIDATES = 16
# Slots by multiplicative hashing (chains.py): the product's top bits depend on every bit of
# the packed 3-gram. (XOR-ing the three ranks, tried first, put every 3-gram of the same three
# words in one slot and left most slots empty: probes ran 20x slower.)
_MIX, _U64 = chains.MIX, chains.U64
# Chains left to walk below which NearIndex.lookup walks them in Python (see _walk); at least 1.
_FEW_CHAINS = 64


IndexSnapshot = tuple[
    float, int, "array[int]", "array[int]", "array[int]", "array[int]", "array[int]"
]


def prefix_length(size: int, threshold: float) -> int:
    return size - math.ceil(threshold * size - 1e-9) + 1


def least_shared(size: int, other: int, threshold: float) -> int:
    """How many 3-grams the prefixes of two sets of these sizes share at least when their
    Jaccard similarity reaches `threshold`: they share o >= t/(1+t) (|x|+|y|) 3-grams, and
    the first o - ceil(t |s|) + 1 of them in the order are in the prefix of each set s (the
    rest of s holds ceil(t |s|) - 1 elements). Exact, like the prefix filter: a pair above the
    threshold is never dropped by it; a pair of similar sizes that shares one 3-gram by
    chance is (at 0.5, two sets of 60 3-grams must share 11 in their prefixes)."""
    pair = math.ceil(threshold / (1 + threshold) * (size + other) - 1e-9)
    rest = max(math.ceil(threshold * size - 1e-9), math.ceil(threshold * other - 1e-9))
    return pair - rest + 1


class NearIndex:
    """Prefixes of the paragraphs seen so far; `probe` returns earlier paragraphs whose 3-gram
    Jaccard similarity with the given set may reach `threshold`.

    The postings live in flat arrays (a chained hash table: 16 bytes a posting) rather than a
    dict of lists (about 90 bytes a posting with its key object): 150,000 paragraphs have some
    four million prefix 3-grams, and the dict alone would pass the memory budget."""

    def __init__(self, threshold: float, postings: int = 1024) -> None:
        self.threshold = threshold
        slots = 1 << max(10, postings.bit_length())  # at most one posting a slot on average
        self._mask = slots - 1
        self._shift = 64 - (slots.bit_length() - 1)
        self._head = array("i", [-1]) * slots  # slot -> newest posting, chained by _next
        self._key = array("Q")
        self._owner = array("I")  # posting -> paragraph id
        self._next = array("i")
        self._sizes = array("I")  # by paragraph id; ids are handed out 0, 1, 2...
        self._full: set[int] = set()  # 3-grams of the last probe that have enough postings

    def prefix(self, features: Sequence[int]) -> Sequence[int]:
        """`features` sorted rarest first -> the part that is indexed and probed."""
        return features[: prefix_length(len(features), self.threshold)]

    def probe(self, prefix: Iterable[int], size: int) -> list[int]:
        """Earlier paragraphs of a compatible size sharing enough 3-grams of the prefix (other
        than stock phrases), those sharing the most first (a copy shares most of its 3-grams; a
        look-alike by chance, one), at most MAX_CANDIDATES of them."""
        found: Counter[int] = Counter()
        self._link()
        head, keys, owner, chain = self._head, self._key, self._owner, self._next
        shift = self._shift
        full: set[int] = set()
        self._full = full
        for feature in prefix:
            i = head[((feature * _MIX) & _U64) >> shift]
            hits: list[int] = []
            while i >= 0 and len(hits) < MAX_POSTINGS:
                if keys[i] == feature:
                    hits.append(owner[i])
                i = chain[i]
            if len(hits) >= MAX_POSTINGS:
                full.add(feature)  # a stock phrase
                continue
            found.update(hits)
        return self.best(found, size)

    def best(self, found: Mapping[int, int], size: int) -> list[int]:
        """Of the paragraphs `found` (id -> the 3-grams shared), those of a size
        compatible with `size` that share at least `least_shared` prefix 3-grams with it, those
        sharing the most first, at most MAX_CANDIDATES."""
        t = self.threshold
        low, high = t * size, size / t
        pair, mine = t / (1 + t), math.ceil(t * size - 1e-9)
        sizes, ceil = self._sizes, math.ceil
        ranked = sorted(
            (-shared, i)
            for i, shared in found.items()
            if low <= sizes[i] <= high
            # least_shared(size, sizes[i], t), inline: this runs for every paragraph found
            and ceil(pair * (size + sizes[i]) - 1e-9) - max(mine, ceil(t * sizes[i] - 1e-9))
            < shared
        )
        return [i for _, i in ranked[:MAX_CANDIDATES]]

    def best_all(
        self, groups: NDArray[np.intp], owners: NDArray[np.uint32], sizes: NDArray[np.intp]
    ) -> list[list[int]]:
        """`best` for many paragraphs at once, with numpy: paragraph g (0, 1, 2...) of
        `sizes[g]` 3-grams found the paragraph `owners[k]` once per 3-gram shared, for every k
        where `groups[k]` is g. The same arithmetic as `best`, in the same floating point."""
        import numpy as np

        keys, shared = np.unique(
            (groups.astype(np.uint64) << np.uint64(32)) | owners, return_counts=True
        )
        group = (keys >> np.uint64(32)).astype(np.intp)
        owner = (keys & np.uint64(0xFFFFFFFF)).astype(np.intp)
        t = self.threshold
        mine = sizes[group].astype(np.float64)
        theirs = np.frombuffer(self._sizes, dtype=np.uint32)[owner].astype(np.float64)
        least = np.ceil(t / (1 + t) * (mine + theirs) - 1e-9) - np.maximum(
            np.ceil(t * mine - 1e-9), np.ceil(t * theirs - 1e-9)
        )
        kept = (t * mine <= theirs) & (theirs <= mine / t) & (least < shared)
        group, owner, shared = group[kept], owner[kept], shared[kept]
        order = np.lexsort((owner, -shared, group))  # by paragraph, most shared first
        group, owner = group[order], owner[order]
        first = np.searchsorted(group, group)  # the start of each one's candidates
        kept = np.arange(len(group)) - first < MAX_CANDIDATES
        ends = np.cumsum(np.bincount(group[kept], minlength=len(sizes))).tolist()
        flat, start, best = owner[kept].tolist(), 0, []
        for end in ends:
            best.append(flat[start:end])
            start = end
        return best

    def lookup(
        self, features: NDArray[np.uint64]
    ) -> tuple[NDArray[np.intp], NDArray[np.uint32], NDArray[np.intp]]:
        """All the postings of these 3-grams at once, with numpy: for each one found, the
        position in `features` of its 3-gram and its paragraph id, the newest first for each
        3-gram; and the positions of the 3-grams that are stock phrases (MAX_POSTINGS
        postings), whose postings are left out. The chains are walked side by side, one link a
        step; most end at once (most 3-grams are in no other paragraph)."""
        import numpy as np

        self._link(bulk=0)
        keys = np.frombuffer(self._key, dtype=np.uint64)
        chain = np.frombuffer(self._next, dtype=np.int32)
        slots = ((features * np.uint64(_MIX)) >> np.uint64(self._shift)).astype(np.intp)
        at = np.frombuffer(self._head, dtype=np.int32)[slots]
        which = np.arange(len(features))
        found_which, found_at = [], []
        while True:
            live = at >= 0
            which, at = which[live], at[live]
            if len(at) < _FEW_CHAINS:
                break
            same = keys[at] == features[which]
            found_which.append(which[same])
            found_at.append(at[same])
            at = chain[at]
        if len(at):
            rest = self._walk(which.tolist(), at.tolist(), features[which].tolist())
            found_which.append(np.array(rest[0], dtype=np.intp))
            found_at.append(np.array(rest[1], dtype=np.int32))
        if not found_which:
            nothing = np.zeros(0, dtype=np.intp)
            return nothing, np.zeros(0, dtype=np.uint32), nothing
        which, hits = np.concatenate(found_which), np.concatenate(found_at)
        counts = np.bincount(which, minlength=len(features))
        kept = counts[which] < MAX_POSTINGS
        owners = np.frombuffer(self._owner, dtype=np.uint32)[hits[kept]]
        return which[kept], owners, np.flatnonzero(counts >= MAX_POSTINGS)

    def _walk(
        self, which: list[int], at: list[int], features: list[int]
    ) -> tuple[list[int], list[int]]:
        """`lookup`'s walk of the last few chains, one link at a time in Python (the longest
        chains, of 3-grams with many postings, took two thirds of the steps with numpy, each
        a few array calls for a handful of chains): the positions of the 3-grams found, and
        their postings, in the order of each chain."""
        keys, chain = self._key, self._next
        found_which, found_at = [], []
        for w, i, feature in zip(which, at, features, strict=True):
            while i >= 0:
                if keys[i] == feature:
                    found_which.append(w)
                    found_at.append(i)
                i = chain[i]
        return found_which, found_at

    def add(self, paragraph_id: int, prefix: Iterable[int], size: int) -> None:
        """Index a paragraph, after probing with the same prefix: 3-grams the probe found
        MAX_POSTINGS times already are stock phrases and get no more postings."""
        self._link()
        head, keys, owner, chain = self._head, self._key, self._owner, self._next
        shift, full = self._shift, self._full
        for feature in prefix:
            if feature in full:
                continue
            slot = ((feature * _MIX) & _U64) >> shift
            chain.append(head[slot])
            head[slot] = len(keys)
            keys.append(feature)
            owner.append(paragraph_id)
        assert paragraph_id == len(self._sizes)
        self._sizes.append(size)

    def extend(self, keys: array[int], owners: array[int], sizes: array[int]) -> None:
        """Add postings as `add` added them once (`owners`: their paragraph ids, which must
        follow on from those indexed) and the sizes of the paragraphs they index. They are
        chained into their slots in bulk, when the index is next read (chains.py)."""
        self._key.extend(keys)
        self._owner.extend(owners)
        self._sizes.extend(sizes)

    def _link(self, bulk: int | None = None) -> None:
        if len(self._next) < len(self._key):
            chains.link(self._head, self._key, self._next, self._shift, bulk)

    def since(self, postings: int) -> array[int]:
        """The 3-grams of the postings added from `postings` on."""
        return self._key[postings:]

    def owners_since(self, postings: int) -> array[int]:
        """The paragraph ids of the postings added from `postings` on."""
        return self._owner[postings:]

    def tail(self, paragraphs: int, postings: int) -> tuple[array[int], array[int], array[int]]:
        """Copies of what `truncate(paragraphs, postings)` forgets: 3-grams, owners, sizes."""
        return self._key[postings:], self._owner[postings:], self._sizes[paragraphs:]

    def snapshot(self) -> IndexSnapshot:
        """The index as plain values (see memory.py); the arrays themselves, not copies."""
        self._link()
        return (
            self.threshold,
            self._mask,
            self._head,
            self._key,
            self._owner,
            self._next,
            self._sizes,
        )

    @classmethod
    def restore(cls, snapshot: IndexSnapshot) -> NearIndex:
        index = cls(snapshot[0])
        (_, index._mask, index._head, index._key, index._owner, index._next, index._sizes) = (
            snapshot
        )
        index._shift = 64 - index._mask.bit_length()
        return index

    @property
    def postings(self) -> int:
        return len(self._key)

    def truncate(self, paragraphs: int, postings: int) -> None:
        """Forget the paragraphs numbered `paragraphs` and later, whose postings are those
        from `postings` on: taken out of their slots, each slot's head becomes the posting
        before them."""
        keys, chain = self._key, self._next
        del keys[max(postings, len(chain)) :]  # not chained yet
        if postings < len(chain):
            chains.unlink(self._head, keys, chain, postings, self._shift)
        del keys[postings:], self._owner[postings:], chain[postings:]
        del self._sizes[paragraphs:]

    def clear(self) -> None:
        """Forget the postings (a new article, with dedup.scope "article"). Only the slots they
        used are emptied: allocating every slot again for each article (tens of megabytes)
        made a large site take minutes in that scope."""
        head, shift = self._head, self._shift
        for feature in self._key:
            head[((feature * _MIX) & _U64) >> shift] = -1
        self._key, self._owner, self._next = array("Q"), array("I"), array("i")


Place = tuple[int, int]  # (article, paragraph)


class Join:
    """Paragraphs that may be near-duplicates (`ids`: their word ids, by place), each
    probed in the index and then, unless it repeats another, indexed in turn: one 3-gram at a
    time, for a pass over a few articles (batch.py joins many in bulk)."""

    def __init__(self, index: NearIndex, ids: dict[Place, array[int]]) -> None:
        self.index = index
        self._ids = ids
        self._features: list[int] = []  # of the paragraph last probed

    def probe(self, place: Place) -> list[int]:
        """The indexed paragraphs that the paragraph at `place` may repeat, as
        NearIndex.probe finds them."""
        self._features = features = sorted(shingles_of(self._ids[place]))
        return self.index.probe(self.index.prefix(features), len(features))

    def add(self, place: Place, paragraph_id: int) -> None:
        """Index the paragraph at `place`, just probed, as `paragraph_id`."""
        features = self._features
        self.index.add(paragraph_id, self.index.prefix(features), len(features))
