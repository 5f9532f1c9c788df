"""The stages of a build that has work to do, in order: read, dedupe, classify, assemble,
discover, report, the article views (Markdown), page digests, render and write, and the cache.
`sahelbrief.pipeline.build` runs them once it has found that some input changed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from sahelbrief.cache import BuildCache
from sahelbrief.clock import source_date_epoch
from sahelbrief.config import Config
from sahelbrief.identity import Recent
from sahelbrief.model import Article, Deduped, SiteFile
from sahelbrief.pipeline import BuildOptions, BuildResult, Stages, incremental
from sahelbrief.pipeline.assemble import KnownPages, assemble, entries_settings
from sahelbrief.pipeline.classify import ClassifySettings, classify, findings
from sahelbrief.pipeline.dedupe import dedupe, memory
from sahelbrief.pipeline.discovery import discover
from sahelbrief.pipeline.read import read_sources
from sahelbrief.pipeline.render import load_templates, render
from sahelbrief.pipeline.render.batch import (
    KnownViews,
    Progress,
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
    PendingIndex,
    carries,
    carry_over,
    has_bundle,
    index_site,
    pagefind,
)
from sahelbrief.pipeline.write import KnownTrees, RealFolders, spare_folder, stage_new, write
from sahelbrief.report import build_report, reconcile
from sahelbrief.stamps import live_stamp
from sahelbrief.workers import default_jobs


def run(
    project_dir: Path,
    out_dir: Path,
    options: BuildOptions,
    stack: contextlib.ExitStack,
    stage: Stages,
    config: Config,
    today: dt.date,
    cache: BuildCache,
    inputs: tuple[str, int] | None,
) -> BuildResult:
    memo = cache if cache.enabled else None
    jobs = options.jobs or default_jobs()
    sources = stage("read", lambda: read_sources(project_dir, memo, jobs))
    published = tuple(a for a in sources.articles if options.drafts or not withheld(a, today))
    drafts = tuple(a for a in sources.articles if not options.drafts and withheld(a, today))
    fresh = [a for a in published if not cache.enabled or a.source in cache.fresh]
    shown = ViewSettings.of(config)  # all the article views are given of it
    reads = ClassifySettings.of(config)  # all classify reads of it, and its key in the cache
    early = prefetch(fresh, shown, jobs, partial(findings, settings=reads))
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
    article_digests = cache.derived("article digests")  # made by classify, read by the pages
    classified = stage(
        "classify",
        lambda: replace(
            deduped,
            articles=cache.each(
                deduped.articles,
                repr(reads),
                lambda some: classify(some, reads, early.found() if early else None),
                article_digests,
                {a.source: a for a in published},
            ),
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
            # The preview's pages, by what they are made of (a single build keeps none).
            cache.derived("pages", (config, today), kind=KnownPages) if options.resident else None,
        ),
    )
    site = stage("discover", lambda: discover(site, config, source_date_epoch()))
    read = {a.source: len(a.paragraphs) for a in sources.articles}
    stage("reconcile", lambda: reconcile((*(e.article for e in site.entries), *drafts), read))
    report = (
        stage(
            "report",
            lambda: build_report(site.entries, drafts, deduped.lookalikes, cache.derived("report")),
        )
        if options.report
        else None
    )
    stories = Stories(site.entries, shown.absolute)
    digests = (
        Digests(
            stories,
            cache.program,
            config,
            article_digests,
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
    keys = stage("changes", lambda: page_keys(site, env, digests)) if digests is not None else None
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
    # The preview's own folder: what the last sites written there hold is known (no other
    # process writes there), so neither the kept stage nor the prune looks at the disk.
    trees = (
        cache.derived("trees", str(out_dir), kind=KnownTrees)
        if options.resident and not options.durable
        else None
    )
    keep = stage("kept", lambda: incremental.unchanged_pages(cache, out_dir, outputs, trees))
    pending = stage("search", lambda: _deferred_index(out_dir, config, options))
    indexed = IndexedPages(out_dir, cache.indexed(out_dir), cache.live(out_dir)[0])
    before_swap = (
        partial(carry_over, live=out_dir)
        if pending
        else partial(index_site, config=config, pages=indexed)
    )
    # What a page worker does with a page it rendered: write it in the staging folder.
    staging = partial(stage_new, RealFolders(spare_folder(out_dir), clear=False), carries)
    summary = stage(
        "render+write",
        lambda: write(
            indexed.watch(
                _counted(
                    render(site, config, env, views, jobs, keep, staging),
                    len(site.pages),
                    options.progress,
                )
            ),
            out_dir,
            before_swap=before_swap,
            previous=cache.published(out_dir),
            linger=options.resident,
            durable=options.durable,
            carried=BUNDLE if pending else None,
            trees=trees,
        ),
    )
    if pending is not None:  # indexed after the swap: the pages are known now
        glob, tree = indexed.glob(), live_stamp(out_dir)
        pending = replace(pending, pagefind=replace(pending.pagefind, glob=glob), tree=tree)
    kinds = Counter(e.article.kind for e in site.entries)
    result = BuildResult(
        out_dir=out_dir,
        articles=kinds["article"],
        briefs=kinds["brief"],
        pages=kinds["page"],
        drafts_skipped=len(drafts),
        paragraphs=sum(len(a.paragraphs) for a in deduped.articles),  # what dedupe read
        removed=deduped.removed,
        files=summary.files,
        bytes=summary.bytes,
        seconds=time.perf_counter() - stage.started,
        timings=tuple(stage.timings),
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
            indexed.noted(),
        ),
    )
    seconds = time.perf_counter() - stage.started
    return replace(result, seconds=seconds, timings=tuple(stage.timings))


def _dedupe(
    articles: Sequence[Article],
    config: Config,
    previous: Any,
    fingerprints: Mapping[str, bytes] | None,
) -> tuple[Deduped, Any]:
    """The dedupe stage resuming `previous` (a Memory, its snapshot, or None)."""
    resumed = memory.resume(previous)
    return dedupe(articles, config.dedup, memory=resumed, fingerprints=fingerprints), resumed


def _deferred_index(out_dir: Path, config: Config, options: BuildOptions) -> PendingIndex | None:
    """What the preview indexes after the swap; None: index before it, as `build` does."""
    if not options.defer_search or not has_bundle(out_dir):
        return None
    run = pagefind(config)
    return PendingIndex(out_dir.absolute(), run) if run else None


def _counted(
    files: Iterable[SiteFile], pages: int, progress: Progress | None
) -> Iterator[SiteFile]:
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
