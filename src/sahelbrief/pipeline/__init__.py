"""The build: read -> dedupe -> assemble -> render -> write, as a flat, timed sequence.

Each stage is a module of this package; stages exchange frozen values from sahelbrief.model and
never import one another. An error raised in a stage carries the stage's name.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from sahelbrief.clock import build_date, source_date_epoch
from sahelbrief.config import CONFIG_FILE, Config, load_config
from sahelbrief.errors import BuildFailed, OutputError, SahelbriefError
from sahelbrief.model import Article, Deduped
from sahelbrief.pipeline.assemble import assemble
from sahelbrief.pipeline.classify import classify
from sahelbrief.pipeline.dedupe import dedupe
from sahelbrief.pipeline.discovery import discover
from sahelbrief.pipeline.read import SOURCE_FOLDERS, read_sources
from sahelbrief.pipeline.render import load_templates, render
from sahelbrief.pipeline.search import index_site
from sahelbrief.pipeline.write import check_output, output_lock, write
from sahelbrief.report import build_report

T = TypeVar("T")


@dataclass(frozen=True)
class BuildOptions:
    out_dir: Path | None = None
    base_url: str | None = None
    drafts: bool = False
    # "Now" for drafts, future dates, expiry and the latest edition; None: SOURCE_DATE_EPOCH, else
    # today in the site's time zone (see sahelbrief.clock).
    today: dt.date | None = None


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


def analyse(project_dir: Path, drafts: bool = False) -> Deduped:
    """Config, read and dedupe only: what a build would remove, without building."""

    def stage(name: str, run: Callable[[], T]) -> T:
        try:
            return run()
        except BuildFailed:
            raise
        except SahelbriefError as error:
            raise BuildFailed(name, [error]) from error

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
        return _build(project_dir, options)


def _build(project_dir: Path, options: BuildOptions) -> BuildResult:
    started = time.perf_counter()
    timings: list[tuple[str, float]] = []

    def stage(name: str, run: Callable[[], T]) -> T:
        began = time.perf_counter()
        try:
            return run()
        except BuildFailed:
            raise
        except SahelbriefError as error:
            raise BuildFailed(name, [error]) from error
        finally:
            timings.append((name, time.perf_counter() - began))

    out_dir = options.out_dir or project_dir / "site"
    config: Config = stage("config", lambda: load_config(project_dir, options.base_url))
    today = options.today or stage("clock", lambda: build_date(config.timezone))
    sources = stage("read", lambda: read_sources(project_dir))
    published = tuple(a for a in sources.articles if options.drafts or not withheld(a, today))
    drafts = tuple(a for a in sources.articles if not options.drafts and withheld(a, today))
    deduped = stage("dedupe", lambda: dedupe(published, config.dedup))
    classified = stage(
        "classify", lambda: replace(deduped, articles=classify(deduped.articles, config))
    )
    site = stage("assemble", lambda: assemble(classified, config, sources.static, today))
    site = stage("discover", lambda: discover(site, config, source_date_epoch()))
    read_counts = {a.source: len(a.paragraphs) for a in sources.articles}
    report = stage(
        "report",
        lambda: build_report(site.entries, drafts, read_counts, deduped.lookalikes),
    )
    summary = stage(
        "render+write",
        lambda: write(
            render(site, config, load_templates(project_dir)),
            out_dir,
            before_swap=partial(index_site, config=config),
        ),
    )
    kinds = Counter(e.article.kind for e in site.entries)
    return BuildResult(
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
    )


def withheld(article: Article, today: dt.date) -> bool:
    """Drafts and articles dated after `today` are not published (unless --drafts)."""
    return article.draft or (article.date is not None and article.date > today)
