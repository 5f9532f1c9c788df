"""The render stage's bulk work across processes, when there is enough of it to pay for a pool:
the Markdown fragments of the article views (from the build cache when known), and the pages.

Every fragment and every page is a pure function of its inputs, so converting or rendering in
worker processes gives exactly the bytes a single process would; results are taken in order.
"""

from __future__ import annotations

import collections
import itertools
import pickle
import shutil
import tempfile
from collections.abc import Callable, Generator, Iterable, Iterator, MutableMapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sahelbrief.errors import TemplateError
from sahelbrief.model import Article, Entry, OutputFile, Page, StagedFile
from sahelbrief.pipeline.render import markup
from sahelbrief.pipeline.render.stories import Stories
from sahelbrief.pipeline.render.view import ArticleView, ViewSettings, view
from sahelbrief.workers import PARALLEL_MIN, worth_it
from sahelbrief.workers import pool as _pool

CHUNK = 64

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class KnownViews:
    """The views of earlier builds (render/view.py), each with the keys of the fragments it
    was made of; the key of an entry's view (render/keys.py); and how to keep fragments in
    the fragment cache that a reused view no longer looks up."""

    views: MutableMapping[bytes, tuple[ArticleView, frozenset[bytes]]]
    key: Callable[[Entry], bytes]
    keep: Callable[[Iterable[bytes]], None]

    def find(self, key: bytes) -> ArticleView | None:
        found = self.views.get(key)
        if not isinstance(found, tuple) or not isinstance(found[0], ArticleView):
            return None
        self.keep(found[1])
        return found[0]


def make_views(
    entries: Sequence[Entry],
    settings: ViewSettings,
    memo: MutableMapping[bytes, str],
    stories: Stories,
    jobs: int = 1,
    progress: Progress | None = None,
    early: Prefetch | None = None,
    known: KnownViews | None = None,
) -> dict[str, ArticleView]:
    """Each entry's view, by source path. `memo` (the fragment cache) is read and filled, first
    with what `early` converted in the background; `known` too, when given. What `early` called
    off and the memo does not hold either is sent to worker processes first (when there is
    enough of it to pay for them), while this process makes the views whose fragments are
    known; then those of the articles found missing meanwhile (a body that lost a repeat in
    dedupe)."""
    skipped = early.collect(memo) if early is not None else frozenset[str]()
    done: dict[str, ArticleView] = {}

    def make(entry: Entry) -> ArticleView:
        if known is None:
            return view(entry, settings, stories)
        with markup.used() as fragments:
            made = view(entry, settings, stories)
        known.views[known.key(entry)] = (made, frozenset(fragments))
        return made

    def from_known(entry: Entry) -> bool:
        """Whether the entry's view could be made from a kept view or the memo's fragments."""
        found = known.find(known.key(entry)) if known is not None else None
        try:
            done[entry.article.source] = found or make(entry)
        except markup.Missing:
            return False
        return True

    with markup.fragments(memo, strict=True):
        # An article read anew may have been converted by an earlier build: only what is
        # missing goes to the workers (in a cold build, the first fragment tried is).
        missing = [e for e in entries if e.article.source in skipped and not from_known(e)]
    with _Converting(missing, settings, memo, jobs) as converting:
        ahead = len(missing)
        with markup.fragments(memo, strict=True):
            missing += [e for e in entries if e.article.source not in skipped and not from_known(e)]
        total = len(entries)
        report = progress or (lambda _stage, _done, _total: None)
        report("markdown", len(done), total)
        converted = len(done)
        for count in converting.finish(missing[ahead:]):
            converted += count
            report("markdown", converted, total)
    with markup.fragments(memo):
        for number, entry in enumerate(missing, len(done) + 1):
            done[entry.article.source] = make(entry)
            if not converting.parallel:
                report("markdown", number, total)
    return {e.article.source: done[e.article.source] for e in entries}


class _Converting:
    """The fragments of the views of `ahead` converted in worker processes from the start (when
    there are enough to pay for a pool), and of more entries once known (`finish`, with
    `ahead` when they were too few alone); each chunk's fragments put in `memo` as it comes
    back. Entries never sent are left to the caller."""

    def __init__(
        self,
        ahead: Sequence[Entry],
        settings: ViewSettings,
        memo: MutableMapping[bytes, str],
        jobs: int,
    ) -> None:
        self._settings = settings
        self._memo = memo
        self._jobs = jobs
        self._pool: ProcessPoolExecutor | None = None
        self._sent: collections.deque[tuple[int, Future[dict[bytes, str]]]] = collections.deque()
        self._waiting = list(ahead)

    @property
    def parallel(self) -> bool:
        """Whether any entry went to the workers."""
        return self._pool is not None

    def _send_if_worth_it(self) -> None:
        waiting = self._waiting
        if not waiting or not (self.parallel or worth_it(self._jobs, len(waiting), PARALLEL_MIN)):
            return
        self._pool = self._pool or _pool(self._jobs)
        for start in range(0, len(waiting), CHUNK):
            chunk = waiting[start : start + CHUNK]
            self._sent.append((len(chunk), self._pool.submit(_convert, chunk, self._settings)))
        self._waiting = []

    def finish(self, more: Sequence[Entry]) -> Iterator[int]:
        """Convert `more` too, when worth a pool (or one is running already); then each chunk's
        count of entries as its fragments are put in the memo."""
        self._waiting += more
        self._send_if_worth_it()
        while self._sent:  # each result let go once in the memo
            count, result = self._sent.popleft()
            self._memo.update(result.result())
            yield count

    def __enter__(self) -> _Converting:
        try:
            self._send_if_worth_it()
        except BaseException:  # no pool left running: __exit__ is not called
            self.__exit__()
            raise
        return self

    def __exit__(self, *_: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)


# The articles a Prefetch works on: set before its pool forks, so the workers inherit them
# instead of being sent them (pickling 5,000 articles cost this process 0.2 s).
_EARLY: list[Sequence[Article]] = []
Findings = Callable[[Sequence[Article]], dict[bytes, object]]


class Prefetch:
    """Markdown converted in worker processes while this one deduplicates: a cold build's
    longest stages side by side. The articles are converted as read (before dedupe), so an
    article whose body loses a repeated paragraph is converted again later; the others' views
    then find every fragment in the memo. `also`: more work on the articles as read, for the
    same workers, first (classify's findings, by what it reads of each: classify comes before
    the views)."""

    def __init__(
        self,
        articles: Sequence[Article],
        settings: ViewSettings,
        workers: int,
        also: Findings | None = None,
    ) -> None:
        _EARLY[:] = [articles]
        self._articles = articles
        self._bounds = [(i, min(i + CHUNK, len(articles))) for i in range(0, len(articles), CHUNK)]
        # The workers leave what they convert in files here, not in this process: sent back as
        # they finish, the fragments (about 55 MB at 10,000 articles) were held while this
        # process deduplicated, which is when a cold build peaks.
        self._scratch = tempfile.mkdtemp(prefix="sahelbrief-markdown-")
        self._pool = _pool(workers)
        self._also = [self._pool.submit(_also, also, span) for span in self._bounds] if also else []
        self._results = [
            self._pool.submit(_convert_to_file, span, settings, f"{self._scratch}/{n}")
            for n, span in enumerate(self._bounds)
        ]

    def found(self) -> dict[bytes, object]:
        """What `also` gave for the articles the workers took up; the rest are called off (all
        but the chunk or two each worker already holds), for the stage that asks to do itself
        rather than wait for one worker."""
        merged: dict[bytes, object] = {}
        for result, off in zip(self._also, _call_off(self._also), strict=True):
            if not off:
                merged.update(result.result())
        return merged

    def collect(self, memo: MutableMapping[bytes, str]) -> frozenset[str]:
        """Put what the workers converted in `memo`; what they had not taken up yet (all but
        the chunk or two each holds) is called off: the sources of its articles, for the views
        to convert with every core."""
        skipped: set[str] = set()
        try:
            offs = _call_off(self._results)
            for (start, end), result, off in zip(self._bounds, self._results, offs, strict=True):
                if off:
                    skipped.update(article.source for article in self._articles[start:end])
                    continue
                with Path(result.result()).open("rb") as handle:
                    memo.update(pickle.load(handle))
        finally:
            self.close()
        return frozenset(skipped)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(self._scratch, ignore_errors=True)
        _EARLY.clear()


def _call_off(results: Sequence[Future[Any]]) -> list[bool]:
    """Each of `results` called off unless the workers have taken it up (True: called off): all
    at once, before waiting for any (called off one by one, each as the one before was waited
    for, the next had always been taken up by then, and the one worker went through all of
    them while the views waited: 1.6 s of a cold build at 5,000 articles)."""
    return [result.cancel() for result in results]


def prefetch(
    articles: Sequence[Article], settings: ViewSettings, jobs: int, also: Findings | None = None
) -> Prefetch | None:
    """Start converting `articles` (those read anew), and `also`, in the background, when
    there are enough and a CPU to spare; None otherwise."""
    if not worth_it(jobs, len(articles), PARALLEL_MIN):
        return None
    return Prefetch(articles, settings, jobs - 1, also)


def _convert(entries: list[Entry], settings: ViewSettings) -> dict[bytes, str]:
    """In a worker: the fragments of `entries`' views, converted."""
    fragments: dict[bytes, str] = {}
    with markup.fragments(fragments):
        for entry in entries:
            view(entry, settings)
    # A body's HTML for its page and for its text edition are most often equal: sent, and held
    # by the build (while it deduplicates, for the prefetch), once.
    held: dict[str, str] = {}
    return {key: held.setdefault(html, html) for key, html in fragments.items()}


def _convert_to_file(bounds: tuple[int, int], settings: ViewSettings, path: str) -> str:
    """In a worker: `_convert` of the Prefetch's articles [start, end), left in the file `path`
    (pickled) for the build to read."""
    entries = [Entry(a, "/", "") for a in _EARLY[0][bounds[0] : bounds[1]]]
    with Path(path).open("wb") as handle:
        pickle.dump(_convert(entries, settings), handle, pickle.HIGHEST_PROTOCOL)
    return path


def _also(also: Findings, bounds: tuple[int, int]) -> dict[bytes, object]:
    """In a worker: the Prefetch's `also` of its articles [start, end)."""
    return also(_EARLY[0][bounds[0] : bounds[1]])


# What the page workers render: set just before the pool forks, so they inherit the templates,
# the views and everything else the pages need without pickling any of it.
Stage = Callable[[OutputFile], OutputFile | StagedFile]
_JOB: list[tuple[Sequence[Page], Callable[[Page], OutputFile], Stage | None]] = []


def rendered(
    pages: Sequence[Page],
    one: Callable[[Page], OutputFile],
    jobs: int = 1,
    stage: Stage | None = None,
) -> Generator[OutputFile | StagedFile | TemplateError, None, None]:
    """`one(page)` for every page, in order (or the TemplateError it raised): in forked worker
    processes for a large site, each file then passed to `stage` there (the write stage's
    stage_new), else here."""
    if not worth_it(jobs, len(pages), PARALLEL_MIN):
        for page in pages:
            try:
                yield one(page)
            except TemplateError as error:
                yield error
        return
    _JOB[:] = [(pages, one, stage)]
    pool = _pool(jobs)
    try:
        ranges = iter([(i, min(i + CHUNK, len(pages))) for i in range(0, len(pages), CHUNK)])
        # A few chunks ahead of the writer, not all of them: pages rendered faster than they
        # are written waited here, up to the whole site's HTML (+130 MB at 10,000 articles,
        # the cold build's peak).
        ahead = collections.deque(
            pool.submit(_render_range, bounds) for bounds in itertools.islice(ranges, 4 * jobs)
        )
        while ahead:
            chunk = ahead.popleft().result()
            for bounds in itertools.islice(ranges, 1):
                ahead.append(pool.submit(_render_range, bounds))
            for item in chunk:
                yield TemplateError(*item) if isinstance(item, tuple) else item
    finally:
        # Closed early (the build failed): the chunks not started are called off, and the
        # workers are gone before the write stage lets go of the output folder's lock.
        pool.shutdown(wait=True, cancel_futures=True)
        _JOB.clear()


def _render_range(
    bounds: tuple[int, int],
) -> list[OutputFile | StagedFile | tuple[str, str | None, int | None]]:
    """In a worker: pages [start, end) of the job; an error travels as its parts (an exception's
    path and line would not survive pickling)."""
    pages, one, stage = _JOB[0]
    out: list[OutputFile | StagedFile | tuple[str, str | None, int | None]] = []
    for page in pages[bounds[0] : bounds[1]]:
        try:
            out.append(stage(one(page)) if stage else one(page))
        except TemplateError as error:
            out.append((error.message, error.path, error.line))
    return out
