"""The garbage collector and a build's large, long-lived heap.

A build of a large site holds millions of objects that live until its end (articles, dedupe
rows, entries, views), and each of CPython's full collections scans all of them: at 5,000
articles one took 0.1 to 0.4 s, and a one-article edit ran eleven of them (1.1 s of 5.5 s), the
preview one or two per edit. Whatever a stage hands on has survived it, so after every stage
the heap is moved out of the collector's sight (`settle`, gc.freeze); what the next stage makes
is collected as usual. Frozen objects are still freed by reference counting; only those in
reference cycles wait for `thaw`, which a single build calls at its end and the preview once it
has been idle for a while (serve/watch.py), so that its memory stays flat over a day of edits.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

# CPython looks for cycles among its youngest objects every 700 allocations. A build makes tens
# of millions of short-lived objects that form none (parsed lines, pickled digests, template
# output), and those scans found almost nothing: every 50,000 is plenty, and the cycles a young
# generation does hold (a few megabytes at most) wait that much longer.
YOUNG = 50_000


def collect_seldom() -> None:
    """Have the collector look at young objects every YOUNG allocations, in this process and the
    workers it forks: the command-line program's setting (a caller of `build` keeps its own)."""
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG, older, oldest)


def settle() -> None:
    """Keep the collector from scanning again what exists now."""
    gc.freeze()


def thaw(collect: bool) -> None:
    """Hand every settled object back to the collector; with `collect`, free the cycles now
    (a full collection: a few hundred ms with a 5,000-article site loaded)."""
    gc.unfreeze()
    if collect:
        gc.collect()


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """No collection while the block runs: for decoding a cache file, whose values hold no
    reference cycle, and whose hundreds of thousands of new objects set off collections that
    find nothing (a third of the time of loading the articles and views of 5,000 articles). A
    cycle made meanwhile is only freed later, never lost."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
