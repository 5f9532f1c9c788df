"""The near-duplicate index's bulk chaining (pipeline/dedupe/chains.py) leaves exactly the table
that chaining postings one at a time leaves."""

from __future__ import annotations

import random
from array import array

import pytest

from sahelbrief.pipeline.dedupe import chains

SLOTS = 1024
SHIFT = 64 - 10


def table(keys: list[int], linked: int, bulk: bool, monkeypatch: pytest.MonkeyPatch) -> tuple:
    """A table with `linked` postings chained one at a time, then the rest of `keys` chained
    in bulk or one at a time."""
    head, chain = array("i", [-1]) * SLOTS, array("i")
    monkeypatch.setattr(chains, "BULK", 1 << 30)
    chains.link(head, array("Q", keys[:linked]), chain, SHIFT)
    monkeypatch.setattr(chains, "BULK", 0 if bulk else 1 << 30)
    chains.link(head, array("Q", keys), chain, SHIFT)
    return head, chain


@pytest.mark.parametrize("crowded", [0, 1 << 30])  # shared slots sorted, or mended one by one
@pytest.mark.parametrize("seed", range(5))
def test_bulk_linking_and_unlinking_match_one_at_a_time(
    seed: int, crowded: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(chains, "CROWDED", crowded)
    rng = random.Random(seed)
    # Repeated 3-grams and colliding slots, as a real index has.
    keys = [rng.choice([rng.getrandbits(63), 7, 7 << 42, 12345]) for _ in range(3000)]
    linked = rng.randrange(len(keys))
    one = table(keys, linked, False, monkeypatch)
    bulk = table(keys, linked, True, monkeypatch)
    assert bulk == one
    start = rng.randrange(len(keys))
    for size in (1 << 30, 0):
        monkeypatch.setattr(chains, "BULK", size)
        head, chain = array("i", one[0]), array("i", one[1])
        chains.unlink(head, array("Q", keys), chain, start, SHIFT)
        if size:
            expected = head
        else:
            assert head == expected
    # Unlinking what was linked gives the table before it.
    before = table(keys[:start], start, False, monkeypatch)
    assert expected == before[0]
