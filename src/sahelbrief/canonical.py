"""Bytes of a value that depend on its content alone, for the cache's keys and digests.

pickle's bytes also record which parts of a value are one shared object: a memo reference
where an equal value elsewhere is written out in full. An article of a dedupe pass resumed from
the cache shares its strings differently from the same article of a pass run from scratch, so
equal articles pickled differently, and the first edit after a cold build classified, made the
views of and rendered again most of the site (11 s against 4 s at 5,000 articles). The
pickler's fast mode keeps no memo: equal values (trees of the model's frozen dataclasses,
tuples and strings, never cyclic) give equal bytes.
"""

from __future__ import annotations

import io
import pickle

import xxhash


class Pickler(pickle.Pickler):
    """A pickler whose bytes depend on content only (subclass it to override reductions)."""

    def __init__(self, file: io.BytesIO) -> None:
        super().__init__(file, pickle.HIGHEST_PROTOCOL)
        self.fast = True  # no memo: shared and equal objects are written alike


def dumps(value: object) -> bytes:
    buffer = io.BytesIO()
    Pickler(buffer).dump(value)
    return buffer.getvalue()


def digest(value: object) -> bytes:
    return xxhash.xxh3_128_digest(dumps(value))
