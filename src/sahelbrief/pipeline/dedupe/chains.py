"""The near-duplicate index's chained hash table, in bulk (see near.py).

A resumed pass (replay.py) forgets the postings of the articles after the first change and puts
back those of the articles whose decisions it copies: a million postings at 150,000 paragraphs.
One at a time in Python that took about half a second each way; here it is a few array
operations with numpy. Both functions leave exactly the table that adding (or forgetting) the
postings one after another leaves, which the small cases still do, where numpy's start-up
would cost more than it saves.

Each posting's slot is the top bits of its 3-gram times an odd constant, modulo 2**64
(Fibonacci hashing, Knuth): numpy's unsigned 64-bit product wraps the same way.
"""

from __future__ import annotations

from array import array
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

MIX = 0x9E3779B97F4A7C15
U64 = (1 << 64) - 1
BULK = 4096  # fewer postings than this: one at a time
# Postings in slots given more than once above which `link` sorts them by slot.
CROWDED = 256


def slot(key: int, shift: int) -> int:
    return ((key * MIX) & U64) >> shift


def link(
    head: array[int], keys: array[int], chain: array[int], shift: int, bulk: int | None = None
) -> None:
    """Chain the postings `keys[len(chain):]`, in order, each becoming the newest of its slot
    (`head`: slot -> newest posting; `chain`: posting -> the one before it in its slot); with
    numpy from `bulk` postings on (a pass that uses numpy anyway links each article's)."""
    start = len(chain)
    if len(keys) - start < max(BULK if bulk is None else bulk, 1):
        for posting in range(start, len(keys)):
            where = slot(keys[posting], shift)
            chain.append(head[where])
            head[where] = posting
        return
    import numpy as np

    slots = _slots(keys, start, shift)
    heads = np.frombuffer(head, dtype=np.int32)
    postings = np.arange(start, len(keys), dtype=np.int32)
    before = heads[slots]  # each posting follows its slot's head, unless one of them came first
    heads[slots] = postings  # a slot given twice gets one of its postings: mended below
    shared = np.flatnonzero(heads[slots] != postings)
    if len(shared):
        crowded = np.isin(slots, np.unique(slots[shared])) if len(shared) <= CROWDED else None
        if crowded is None or np.count_nonzero(crowded) > CROWDED:
            _link_sorted(heads, slots, before, start)  # many slots are shared: sort by slot
        else:
            _link_crowded(heads, slots, before, np.flatnonzero(crowded).tolist(), start)
    del heads  # release the array's buffer before anything resizes it
    chain.frombytes(before.tobytes())


def _link_crowded(
    heads: NDArray[np.int32],
    slots: NDArray[np.intp],
    before: NDArray[np.int32],
    crowded: list[int],
    start: int,
) -> None:
    """Chain one after another the postings of the few slots given more than once (positions
    `crowded`, in order), each following the one before it, the last becoming the head."""
    newest: dict[int, int] = {}
    for at in crowded:
        where = int(slots[at])
        if where in newest:
            before[at] = newest[where]
        newest[where] = at + start
    for where, posting in newest.items():
        heads[where] = posting


def _link_sorted(
    heads: NDArray[np.int32], slots: NDArray[np.intp], before: NDArray[np.int32], start: int
) -> None:
    """`link`'s chaining when many slots are given several times (a resumed pass puts back a
    million postings): sorted by slot, each follows the one before it in its slot (`before`:
    each one's slot's old head), and the last of each slot becomes its head."""
    import numpy as np

    order = np.argsort(slots, kind="stable")
    grouped = slots[order]  # by slot, in posting order within each slot
    first = np.empty(len(order), dtype=bool)
    first[0] = True
    np.not_equal(grouped[1:], grouped[:-1], out=first[1:])
    postings = order + start
    chained = before[order]  # the first of a slot follows its old head
    chained[~first] = postings[:-1][~first[1:]]  # the others follow the one before them
    last = np.empty(len(order), dtype=bool)
    last[-1] = True
    last[:-1] = first[1:]
    heads[grouped[last]] = postings[last]
    before[order] = chained


def unlink(head: array[int], keys: array[int], chain: array[int], start: int, shift: int) -> None:
    """Take the postings from `start` on out of their slots (the caller then deletes them):
    each slot's head becomes what its oldest such posting followed."""
    if len(keys) - start < BULK:
        for posting in range(len(keys) - 1, start - 1, -1):
            head[slot(keys[posting], shift)] = chain[posting]
        return
    import numpy as np

    # A slot's chain runs from its newest posting to older ones: each slot whose head is one
    # of the postings taken out is walked down its chain, all such slots at once, to the first
    # posting before `start` (or -1). No sort: np.unique over the postings taken out took
    # 0.2 s of an edit in the middle of a 5,000-article archive.
    heads = np.frombuffer(head, dtype=np.int32)
    chained = np.frombuffer(chain, dtype=np.int32)
    touched = np.flatnonzero(heads >= start)
    current = heads[touched]
    walking = np.arange(len(touched))
    while len(walking):
        current[walking] = chained[current[walking]]
        walking = walking[current[walking] >= start]
    heads[touched] = current
    del heads, chained


def _slots(keys: array[int], start: int, shift: int) -> NDArray[np.intp]:
    import numpy as np

    values = np.frombuffer(keys, dtype=np.uint64)[start:]
    slots: NDArray[np.intp] = ((values * np.uint64(MIX)) >> np.uint64(shift)).astype(np.intp)
    return slots
