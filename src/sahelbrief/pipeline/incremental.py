"""The build's use of the build cache that is not a stage's: whether anything changed since
the last build, and recording this one."""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any, Protocol

from sahelbrief.cache import BuildCache, inputs_digest
from sahelbrief.config import CONFIG_FILE
from sahelbrief.layout import CONTENT, SEEDS, STATIC
from sahelbrief.model import IndexRecord, KeptFile, WriteSummary
from sahelbrief.pipeline.write import KnownTrees, intact
from sahelbrief.theme import default_theme_dir

log = logging.getLogger(__name__)

# The fields of a BuildResult that describe this one run, not the site it made; the others are
# what the next build returns when nothing changed (a cache is only ever read by the same code,
# so the fields match).
OF_THE_RUN = {"out_dir", "seconds", "timings", "written", "skipped", "pending_search"}


class Options(Protocol):
    @property
    def out_dir(self) -> Path | None: ...
    @property
    def base_url(self) -> str | None: ...
    @property
    def drafts(self) -> bool: ...


def inputs(
    project_dir: Path, options: Options, today: dt.date, cache: BuildCache
) -> tuple[str, int] | None:
    """A digest of the stat of every file the build reads, the options and the build's date
    (pages depend on "today": drafts, expiry, editions); None when the cache is off."""
    if not cache.enabled:
        return None
    folders = [project_dir / name for name in (SEEDS, CONTENT, STATIC, "templates")]
    extra = [
        str((options.out_dir or project_dir / "site").absolute()),
        repr(options.base_url),
        repr(options.drafts),
        today.isoformat(),
        os.environ.get("SOURCE_DATE_EPOCH", ""),  # the feeds' and sitemaps' reference time
    ]
    return inputs_digest([project_dir / CONFIG_FILE], [*folders, default_theme_dir()], extra)


def plain(result: Any) -> dict[str, Any]:
    return {f.name: getattr(result, f.name) for f in fields(result) if f.name not in OF_THE_RUN}


def save(
    cache: BuildCache,
    out_dir: Path,
    summary: WriteSummary,
    snapshot: tuple[str, int] | None,
    result: Any,
    pages: dict[str, bytes] | None = None,
    indexed: IndexRecord | None = None,
) -> None:
    """Record the build; a cache that cannot be written costs the next build time, not this
    build its success."""
    digest = None
    if snapshot is not None and not cache.fresh_since(snapshot[1]):
        digest = snapshot[0]
    try:
        cache.save(out_dir, summary.published, digest, plain(result), pages, indexed)
    except OSError as exc:
        log.warning("could not write the build cache in %s: %s", cache.folder, exc.strerror)


def unchanged_pages(
    cache: BuildCache,
    out_dir: Path,
    keys: Sequence[tuple[str, bytes]] | None,
    trees: KnownTrees | None = None,
) -> dict[str, KeptFile]:
    """Output files (of pages and feeds) whose inputs, by `keys` (output path and key), are
    those of the live site's copy, which is still intact there or in the staging folder:
    output path -> the file kept. They are not rendered again. `trees`: what the live site and
    the staging folder hold, when known (the preview's own folder)."""
    if keys is None:
        return {}
    stamps, before = cache.live(out_dir)
    same = {o: stamps[o] for o, key in keys if o in stamps and before.get(o) == key}
    return intact(out_dir, same, cache.published(out_dir), trees)
