"""The build: read -> dedupe -> assemble -> render -> write, as a flat, timed sequence.

Each stage is a module of this package; stages exchange frozen values from sahelbrief.model and
never import one another. An error raised in a stage carries the stage's name.

This module takes the output folder's lock, loads the configuration and asks the build cache
whether any input moved since the last build; the stages themselves run in `stages.py`,
imported only when there is work to do: a build that finds nothing changed does not import
Jinja, Python-Markdown, numpy and the rest (0.1-0.15 s of a 0.3-0.5 s build).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sahelbrief import heap, layout
from sahelbrief.cache import open_cache
from sahelbrief.clock import build_date
from sahelbrief.config import Config, load_config
from sahelbrief.errors import BuildFailed, OutputError, SahelbriefError
from sahelbrief.model import Deduped
from sahelbrief.pipeline import incremental
from sahelbrief.pipeline.search import PendingIndex as PendingIndex  # for the preview
from sahelbrief.pipeline.write import check_output, output_lock

if TYPE_CHECKING:
    from sahelbrief.pipeline.render.batch import Progress

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class BuildOptions:
    out_dir: Path | None = None
    base_url: str | None = None
    drafts: bool = False
    # "Now" for drafts, future dates, expiry and the latest edition; None: SOURCE_DATE_EPOCH, else
    # today in the site's time zone (see sahelbrief.clock).
    today: dt.date | None = None
    use_cache: bool = True  # False: neither read nor write .sahelbrief-cache/ (--no-cache)
    jobs: int | None = None  # worker processes for Markdown; None: the CPUs this process may use
    progress: Progress | None = field(default=None, compare=False)  # (stage, done, total)
    # The preview's: publish the pages with the live site's search bundle and leave the fresh
    # index to the caller (BuildResult.pending_search), instead of running Pagefind before the
    # swap. Where the live site has no bundle yet, the build still indexes before the swap.
    defer_search: bool = False
    # More builds of this project follow in this process (the preview): keep the dedupe pass's
    # memory loaded for them. A single build frees it once stored, for the later stages.
    resident: bool = False
    # Flush the new site to disk before it is swapped in, so a power cut cannot publish empty
    # files; the preview's throwaway folder need not be (syncfs took tens of ms of each edit).
    durable: bool = True
    # Return at once when no input moved since the last build (which takes a stat of every
    # input); the preview builds only after some file's bytes changed, so it does not look.
    skip_unchanged: bool = True
    # Make the report (BuildResult.report: every paragraph kept or removed, and why). The
    # command line asks for it only with --report, the preview never: at 10,000 articles it is
    # some 35 MB held through rendering, and 0.1-0.2 s.
    report: bool = True


@dataclass(frozen=True)
class BuildResult:
    out_dir: Path
    articles: int
    briefs: int
    pages: int
    drafts_skipped: int
    paragraphs: int
    removed: int
    files: int
    bytes: int
    seconds: float
    timings: tuple[tuple[str, float], ...]
    report: dict[str, Any] | None = field(repr=False)  # None unless BuildOptions.report
    written: int = 0  # files written, not hard-linked from the previous site
    skipped: bool = False  # nothing had changed since the last build: nothing was done
    # With defer_search: the index the published site still needs (its bundle is the previous
    # site's); None when it is up to date or search is off.
    pending_search: PendingIndex | None = None


def run_stage(name: str, run: Callable[[], T], timings: list[tuple[str, float]] | None = None) -> T:
    """`run()`, its errors carrying the stage's name, its time added to `timings`."""
    began = time.perf_counter()
    try:
        return run()
    except BuildFailed:
        raise
    except SahelbriefError as error:
        raise BuildFailed(name, [error]) from error
    finally:
        if timings is not None:
            timings.append((name, time.perf_counter() - began))


class Stages:
    """Runs the stages of one build: each timed, its errors carrying its name, and the heap it
    leaves frozen (what a stage made lives on: no need to scan it again, see heap.py)."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.timings: list[tuple[str, float]] = []

    def __call__(self, name: str, run: Callable[[], T]) -> T:
        made = run_stage(name, run, self.timings)
        heap.settle()
        return made


def analyse(project_dir: Path, drafts: bool = False) -> Deduped:
    """Config, read and dedupe only: what a build would remove, without building."""
    from sahelbrief.pipeline.dedupe import dedupe
    from sahelbrief.pipeline.read import read_sources

    stage = run_stage
    config = stage("config", lambda: load_config(project_dir))
    sources = stage("read", lambda: read_sources(project_dir))
    articles = tuple(a for a in sources.articles if drafts or not a.draft)
    return stage("dedupe", lambda: dedupe(articles, config.dedup))


def build(project_dir: Path, options: BuildOptions | None = None) -> BuildResult:
    options = options or BuildOptions()
    out_dir = options.out_dir or project_dir / "site"
    protected = layout.sources(project_dir)
    with contextlib.ExitStack() as stack:
        try:
            check_output(out_dir, project_dir, protected)
            # Before anything is read: builds of one output run one after another, in the
            # order they started (see write.output_lock).
            stack.enter_context(output_lock(out_dir))
        except OSError as exc:
            raise BuildFailed(
                "write", [OutputError(f"cannot be locked: {exc.strerror}", str(out_dir))]
            ) from exc
        except SahelbriefError as error:
            raise BuildFailed("write", [error]) from error
        try:
            return _build(project_dir, out_dir, options, stack)
        finally:
            if not options.resident:  # the preview thaws when idle (serve/watch.py)
                heap.thaw(collect=False)


def _build(
    project_dir: Path, out_dir: Path, options: BuildOptions, stack: contextlib.ExitStack
) -> BuildResult:
    stage = Stages()
    config: Config = stage("config", lambda: load_config(project_dir, options.base_url))
    today = options.today or stage("clock", lambda: build_date(config.timezone))
    cache = open_cache(project_dir, options.use_cache)
    inputs = (
        stage("check", lambda: incremental.inputs(project_dir, options, today, cache))
        if options.skip_unchanged
        else None
    )
    last = cache.unchanged(inputs[0], out_dir) if inputs else None
    if last is not None and options.report and last["report"] is None:
        last = None  # the last build made no report, and this one is asked for it
    if last is not None:
        log.debug("nothing changed since the last build")
        return BuildResult(
            out_dir=out_dir,
            seconds=time.perf_counter() - stage.started,
            timings=tuple(stage.timings),
            skipped=True,
            **last,
        )
    from sahelbrief.pipeline import stages  # the work: see the module's docstring

    return stages.run(project_dir, out_dir, options, stack, stage, config, today, cache, inputs)
