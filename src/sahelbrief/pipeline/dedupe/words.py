"""Word ids: every folded word is known by a 32-bit hash of its UTF-8 bytes, the same in every
site, process and build.

Ids feed only what proposes a comparison: the 3-grams of the near-duplicate join (through the
word ranks, ranks.py) and the shared-word screen. What decides reads the words themselves: the
guard folds the paragraph's text again, and an exact repeat is one whose whole folded text
hashes the same (xxh3, 64 bits). Two words with one id (about one pair in 2**32) cost at most
a comparison that the guard then refuses.

Words were numbered as they came before (a dict from word to number): 200-300 ns a word, a
quarter of the dedupe stage at 150,000 paragraphs, nearly all of it waiting for memory (nine
million look-ups in a table of 43,000 words and their objects). A hash needs no table, so
numpy hashes every word of a few hundred paragraphs in a few array operations. The hash reads
a word 8 bytes at a time, little-endian, and mixes each with MurmurHash3's 64-bit finalizer
(fmix64); `word_id` is the same function one word at a time, for a few paragraphs (an edit of
the latest story), where importing numpy would cost more than it saves. xxhash offers no
call for many small keys at once, and a call per word costs more than the dict did.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

# Names the scheme in stored rows: rows of another (words were numbered per site before) are
# never resumed (memory.py).
WORD_IDS = "fmix64-32"
_NOT_FOLDED = "word ids are made of folded texts: words separated by one space"
_U64 = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15  # the length is mixed in first: "a" and "a\0" differ
_M1, _M2 = 0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53
# Paragraphs below which ids are made one word at a time, in Python.
FEW = 256
# Paragraphs best hashed together (rows.py passes about this many at a time): numpy's arrays
# are then some 200 kB; at 4,096 paragraphs the stage's pass 1 took twice as long (page faults).
CHUNK = 384


def _fmix(h: int) -> int:
    h ^= h >> 33
    h = (h * _M1) & _U64
    h ^= h >> 33
    h = (h * _M2) & _U64
    return h ^ (h >> 33)


def word_id(word: bytes) -> int:
    """The id of one folded word (its UTF-8 bytes)."""
    h = _fmix(len(word) * _GOLDEN & _U64)
    for k in range(0, len(word), 8):
        h = _fmix(h ^ int.from_bytes(word[k : k + 8], "little"))
    return h >> 32


def word_ids(texts: Sequence[bytes]) -> tuple[array[int], list[int], list[int]]:
    """The ids of the words of each folded text (words separated by one space: any other
    byte belongs to a word), end to end; each text's number of words, and of different ids
    among them. Best given about CHUNK texts at a time."""
    if len(texts) < FEW:
        ids, counts, distinct = array("I"), [], []
        for text in texts:
            split = text.split(b" ") if text else []
            if b"" in split:
                raise ValueError(_NOT_FOLDED)
            some = [word_id(w) for w in split]
            ids.extend(some)
            counts.append(len(some))
            distinct.append(len(set(some)))
        return ids, counts, distinct
    counts = [text.count(b" ") + 1 if text else 0 for text in texts]
    hashed, distinct = _in_bulk(texts, counts)
    ids = array("I")
    ids.frombytes(hashed.tobytes())
    return ids, counts, distinct


def _in_bulk(texts: Sequence[bytes], counts: list[int]) -> tuple[NDArray[np.uint32], list[int]]:
    """The ids of the words of `texts`, of `counts` words each, and how many differ in each."""
    import numpy as np

    joined = b" ".join(texts) + b" " * 16  # room for the last 8-byte read
    chars = np.frombuffer(joined, dtype=np.uint8)
    in_word = (chars != 32).view(np.int8)
    edges = np.diff(in_word, prepend=np.int8(0))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    if len(starts) != sum(counts):  # the counts assume one space between words, as folded has
        raise ValueError(_NOT_FOLDED)
    lengths = ends - starts
    # Every position read as 8 bytes (unaligned, little-endian), then masked to the word.
    eight = np.ndarray((len(chars) - 7,), dtype="<u8", buffer=joined, strides=(1,))
    masks = np.array([(1 << (8 * n)) - 1 for n in range(9)], dtype=np.uint64)
    h = _fmix_all(lengths.astype(np.uint64) * np.uint64(_GOLDEN))
    longer = np.arange(len(starts))
    for k in range(0, int(lengths.max(initial=0)), 8):
        longer = longer[lengths[longer] > k]
        part = eight[starts[longer] + k] & masks[np.minimum(lengths[longer] - k, 8)]
        h[longer] = _fmix_all(h[longer] ^ part)
    ids = (h >> np.uint64(32)).astype(np.uint32)
    owners = np.repeat(np.arange(len(texts), dtype=np.uint64), counts)
    keyed = np.sort((owners << np.uint64(32)) | ids)
    new = np.ones(len(keyed), dtype=bool)
    new[1:] = keyed[1:] != keyed[:-1]
    distinct = np.bincount((keyed[new] >> np.uint64(32)).astype(np.intp), minlength=len(texts))
    return ids, distinct.tolist()


def _fmix_all(h: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """fmix64 of every element (numpy wraps uint64 products modulo 2**64, as `& _U64` does)."""
    import numpy as np

    h = h ^ (h >> np.uint64(33))
    h *= np.uint64(_M1)
    h ^= h >> np.uint64(33)
    h *= np.uint64(_M2)
    h ^= h >> np.uint64(33)
    return h
