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
    order = np.argsort(slots, kind="stable")
    grouped = slots[order]  # by slot, in posting order within each slot
    postings = order + start
    first = np.empty(len(order), dtype=bool)
    first[0] = True
    np.not_equal(grouped[1:], grouped[:-1], out=first[1:])
    heads = np.frombuffer(head, dtype=np.int32)
    before = np.empty(len(order), dtype=np.int32)
    before[first] = heads[grouped[first]]  # the first of a slot follows its old head
    before[~first] = postings[:-1][~first[1:]]  # the others follow the one before them
    last = np.empty(len(order), dtype=bool)
    last[-1] = True
    last[:-1] = first[1:]
    heads[grouped[last]] = postings[last]
    del heads  # release the array's buffer before anything resizes it
    linked = np.empty(len(order), dtype=np.int32)
    linked[order] = before
    chain.frombytes(linked.tobytes())


def unlink(head: array[int], keys: array[int], chain: array[int], start: int, shift: int) -> None:
    """Take the postings from `start` on out of their slots (the caller then deletes them):
    each slot's head becomes what its oldest such posting followed."""
    if len(keys) - start < BULK:
        for posting in range(len(keys) - 1, start - 1, -1):
            head[slot(keys[posting], shift)] = chain[posting]
        return
    import numpy as np

    slots, oldest = np.unique(_slots(keys, start, shift), return_index=True)
    heads = np.frombuffer(head, dtype=np.int32)
    heads[slots] = np.frombuffer(chain, dtype=np.int32)[start:][oldest]
    del heads


def _slots(keys: array[int], start: int, shift: int) -> NDArray[np.intp]:
    import numpy as np

    values = np.frombuffer(keys, dtype=np.uint64)[start:]
    slots: NDArray[np.intp] = ((values * np.uint64(MIX)) >> np.uint64(shift)).astype(np.intp)
    return slots
