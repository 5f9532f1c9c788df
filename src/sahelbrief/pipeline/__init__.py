"""The build: read -> dedupe -> assemble -> render -> write, as a flat, timed sequence.

Each stage is a module of this package; stages exchange frozen values from sahelbrief.model and
never import one another. An error raised in a stage carries the stage's name.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from sahelbrief import heap
from sahelbrief.cache import open_cache
from sahelbrief.clock import build_date, source_date_epoch
from sahelbrief.config import CONFIG_FILE, Config, load_config
from sahelbrief.errors import BuildFailed, OutputError, SahelbriefError
from sahelbrief.identity import Recent
from sahelbrief.model import Article, Deduped, KeptFile, OutputFile
from sahelbrief.pipeline import incremental
from sahelbrief.pipeline.assemble import assemble, entries_settings
from sahelbrief.pipeline.classify import ClassifySettings, classify
from sahelbrief.pipeline.dedupe import dedupe, memory
from sahelbrief.pipeline.discovery import discover
from sahelbrief.pipeline.read import SOURCE_FOLDERS, read_sources
from sahelbrief.pipeline.render import load_templates, render
from sahelbrief.pipeline.render.batch import (
    KnownViews,
    Progress,
    default_jobs,
    make_views,
    prefetch,
)
from sahelbrief.pipeline.render.feeds import feed_outputs
from sahelbrief.pipeline.render.keys import Digests, page_keys
from sahelbrief.pipeline.render.stories import Stories
from sahelbrief.pipeline.render.view import ViewSettings
from sahelbrief.pipeline.search import (
    BUNDLE,
    IndexedPages,
    carry_over,
    has_bundle,
    index_site,
    pagefind,
)
from sahelbrief.pipeline.search import PendingIndex as PendingIndex  # for the preview
from sahelbrief.pipeline.write import check_output, output_lock, write
from sahelbrief.report import build_report

log = logging.getLogger(__name__)

T = TypeVar("T")
File = TypeVar("File", OutputFile, KeptFile, OutputFile | KeptFile)


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
    report: dict[str, Any] = field(repr=False)
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


def analyse(project_dir: Path, drafts: bool = False) -> Deduped:
    """Config, read and dedupe only: what a build would remove, without building."""
    stage = run_stage
    config = stage("config", lambda: load_config(project_dir))
    sources = stage("read", lambda: read_sources(project_dir))
    articles = tuple(a for a in sources.articles if drafts or not a.draft)
    return stage("dedupe", lambda: dedupe(articles, config.dedup))


def build(project_dir: Path, options: BuildOptions | None = None) -> BuildResult:
    options = options or BuildOptions()
    out_dir = options.out_dir or project_dir / "site"
    protected = [project_dir / name for name in (*SOURCE_FOLDERS, "templates", CONFIG_FILE)]
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
            return _build(project_dir, options, stack)
        finally:
            if not options.resident:  # the preview thaws when idle (serve/watch.py)
                heap.thaw(collect=False)


def _build(project_dir: Path, options: BuildOptions, stack: contextlib.ExitStack) -> BuildResult:
    started = time.perf_counter()
    timings: list[tuple[str, float]] = []

    def stage(name: str, run: Callable[[], T]) -> T:
        made = run_stage(name, run, timings)
        heap.settle()  # what the stage made lives on: no need to scan it again (see heap.py)
        return made

    out_dir = options.out_dir or project_dir / "site"
    config: Config = stage("config", lambda: load_config(project_dir, options.base_url))
    today = options.today or stage("clock", lambda: build_date(config.timezone))
    cache = open_cache(project_dir, options.use_cache)
    inputs = (
        stage("check", lambda: incremental.inputs(project_dir, options, today, cache))
        if options.skip_unchanged
        else None
    )
    last = cache.unchanged(inputs[0], out_dir) if inputs else None
    if last is not None:
        log.debug("nothing changed since the last build")
        return BuildResult(
            out_dir=out_dir,
            seconds=time.perf_counter() - started,
            timings=tuple(timings),
            skipped=True,
            **last,
        )
    memo = cache if cache.enabled else None
    sources = stage("read", lambda: read_sources(project_dir, memo))
    published = tuple(a for a in sources.articles if options.drafts or not withheld(a, today))
    drafts = tuple(a for a in sources.articles if not options.drafts and withheld(a, today))
    jobs = options.jobs or default_jobs()
    fresh = [a for a in published if not cache.enabled or a.source in cache.fresh]
    shown = ViewSettings.of(config)  # all the article views are given of it
    early = prefetch(fresh, shown, jobs)
    if early is not None:
        stack.callback(early.close)
    deduped = stage(
        "dedupe",
        lambda: cache.dedupe(
            published,
            repr(config.dedup),
            partial(_dedupe, published, config),
            memory.snapshot,
            keep=options.resident,
        ),
    )
    reads = ClassifySettings.of(config)  # all classify reads of it, and its key in the cache
    classified = stage(
        "classify",
        lambda: replace(
            deduped,
            articles=cache.each(deduped.articles, repr(reads), lambda some: classify(some, reads)),
        ),
    )
    site = stage(
        "assemble",
        lambda: assemble(
            classified,
            config,
            sources.static,
            today,
            cache.derived("entries", entries_settings(config, today)),
        ),
    )
    site = stage("discover", lambda: discover(site, config, source_date_epoch()))
    read_counts = {a.source: len(a.paragraphs) for a in sources.articles}
    report = stage(
        "report",
        lambda: build_report(
            site.entries, drafts, read_counts, deduped.lookalikes, cache.derived("report")
        ),
    )
    stories = Stories(site.entries, shown.absolute)
    digests = (
        Digests(
            stories,
            cache.program,
            config,
            cache.derived("article digests"),
            cache.derived("entry digests"),
            cache.derived("page digests", kind=Recent),
        )
        if cache.enabled
        else None
    )
    views = stage(
        "markdown",
        lambda: make_views(
            site.entries,
            shown,
            cache.fragments,
            stories,
            jobs,
            options.progress,
            early,
            KnownViews(cache.views, digests.view_key, cache.keep_fragments) if digests else None,
        ),
    )
    if not options.resident:  # the preview keeps them loaded for the next edit's views
        stage("fragments", cache.release_fragments)
    env = stage("templates", lambda: load_templates(project_dir, cache.compiled_templates))
    keys = (
        stage("changes", lambda: page_keys(site, config, env, digests))
        if digests is not None
        else None
    )
    outputs = (
        [
            *zip((p.output for p in site.pages), keys[0], strict=True),
            *(
                (path, key)
                for feed, key in zip(site.feeds, keys[1], strict=True)
                for path in feed_outputs(feed, config)
            ),
        ]
        if keys
        else None
    )
    keep = stage("kept", lambda: incremental.unchanged_pages(cache, out_dir, outputs))
    pending = stage("search", lambda: _deferred_index(out_dir, config, options))
    indexed = IndexedPages(out_dir, cache.indexed(out_dir), cache.live(out_dir)[0])
    before_swap = (
        partial(carry_over, live=out_dir)
        if pending
        else partial(index_site, config=config, pages=indexed)
    )
    summary = stage(
        "render+write",
        lambda: write(
            indexed.watch(
                _counted(
                    render(site, config, env, views, jobs, keep), len(site.pages), options.progress
                )
            ),
            out_dir,
            before_swap=before_swap,
            previous=cache.published(out_dir),
            linger=options.resident,
            durable=options.durable,
            carried=BUNDLE if pending else None,
        ),
    )
    if pending is not None:  # indexed after the swap: the pages are known now
        pending = replace(pending, pagefind=replace(pending.pagefind, glob=indexed.glob()))
    kinds = Counter(e.article.kind for e in site.entries)
    result = BuildResult(
        out_dir=out_dir,
        articles=kinds["article"],
        briefs=kinds["brief"],
        pages=kinds["page"],
        drafts_skipped=len(drafts),
        paragraphs=report["summary"]["paragraphs"],
        removed=deduped.removed,
        files=summary.files,
        bytes=summary.bytes,
        seconds=time.perf_counter() - started,
        timings=tuple(timings),
        report=report,
        written=summary.written,
        pending_search=pending,
    )
    pages = dict(outputs) if outputs else None
    # A site published with an outdated index must not pass for up to date: the next build of
    # the same inputs runs (and indexes) instead of being skipped.
    recorded = None if pending else inputs
    stage(
        "cache",
        lambda: incremental.save(
            cache,
            out_dir,
            summary,
            recorded,
            result,
            pages,
            # A bundle made before the swap indexes the published pages; a deferred one not yet.
            indexed.noted(None if pending else pagefind(config)),
        ),
    )
    return replace(result, seconds=time.perf_counter() - started, timings=tuple(timings))


def _dedupe(articles: Sequence[Article], config: Config, previous: Any) -> tuple[Deduped, Any]:
    """The dedupe stage resuming `previous` (a Memory, its snapshot, or None)."""
    resumed = memory.resume(previous)
    return dedupe(articles, config.dedup, memory=resumed), resumed


def _deferred_index(out_dir: Path, config: Config, options: BuildOptions) -> PendingIndex | None:
    """What the preview indexes after the swap; None: index before it, as `build` does."""
    if not options.defer_search or not has_bundle(out_dir):
        return None
    run = pagefind(config)
    return PendingIndex(out_dir.absolute(), run) if run else None


def _counted(files: Iterable[File], pages: int, progress: Progress | None) -> Iterator[File]:
    if progress is None:
        yield from files
        return
    count = 0
    for count, file in enumerate(files, 1):
        yield file
        if count <= pages:
            progress("pages", count, pages)
    if count < pages:
        progress("pages", pages, pages)


def withheld(article: Article, today: dt.date) -> bool:
    """Drafts and articles dated after `today` are not published (unless --drafts)."""
    return article.draft or (article.date is not None and article.date > today)
