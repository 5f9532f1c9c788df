"""Worker processes for the stages' bulk work (reading sources, converting Markdown, rendering
pages): forked, so they start with everything imported and inherit what they work on, and killed
with the build."""

from __future__ import annotations

import multiprocessing
import os
import signal
from concurrent.futures import ProcessPoolExecutor

from sahelbrief.libc import libc

# Below this many items, starting worker processes (~0.1 s, and pickling the results back)
# costs more than the second core saves.
PARALLEL_MIN = 300
_PR_SET_PDEATHSIG = 1


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def worth_it(jobs: int, items: int, least: int) -> bool:
    """Whether `items` are many enough (at least `least`: a stage's PARALLEL_MIN) for `jobs`
    worker processes, and they can be forked."""
    return jobs > 1 and items >= least and "fork" in multiprocessing.get_all_start_methods()


def pool(jobs: int) -> ProcessPoolExecutor:
    """Forked workers (only asked for where `worth_it` said fork exists): they start with
    everything imported and cost milliseconds, not a re-import."""
    return ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_die_with_parent,
        initargs=(os.getpid(),),
    )


def _die_with_parent(parent: int) -> None:
    """A forked worker shares the build's open files, the output lock among them: if the build is
    killed (SIGKILL), a surviving worker would hold that lock for ever and every later build
    would wait on it. Ask Linux to kill the worker with its parent, and leave at once if the
    parent is already gone."""
    prctl = getattr(libc(), "prctl", None)
    if prctl is not None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)
