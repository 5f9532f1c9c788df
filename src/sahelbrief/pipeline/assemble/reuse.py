"""The preview's assemble stage: the pages of its last build, found again.

An edit changes one article's entry; every other entry is the very object of the last build
(sahelbrief.identity). A page is a pure function of its own fields and of what it lists, and
of the configuration (the memo is made again when that changes, see BuildCache.derived): so a
page whose input is equal and whose items are the same objects as last time is the page made
last time. Finding it again spares making it (a listing's pages, each page's text twin: 0.1-0.2
s of every edit at 5,000 articles), and the later stages compare the very same objects.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sahelbrief.identity import ByIdentity, Recent
from sahelbrief.model import Entry, Page

# A list's first page as given, the items it shows, and its pages.
Listing = tuple[Page, tuple[object, ...], tuple[Page, ...]]


class KnownPages:
    """What the last build of this process made, by input; with `active` False (a single
    build), nothing is kept and everything is made."""

    def __init__(self, active: bool = True) -> None:
        self.active = active
        self._articles: ByIdentity[Entry, Page] = ByIdentity()
        self._twins: ByIdentity[Page, tuple[Page, Page]] = ByIdentity()
        self._lists: Recent[tuple[str, str], Listing] = Recent()

    def begin(self) -> None:
        for memo in (self._articles, self._twins, self._lists):
            memo.begin()

    def article(self, entry: Entry, make: Callable[[Entry], Page]) -> Page:
        """The page of an entry (an article's or a page's)."""
        return self._articles.get(entry, make) if self.active else make(entry)

    def twins(self, page: Page, make: Callable[[Page], tuple[Page, Page]]) -> tuple[Page, Page]:
        """A page with its text twin, and the twin."""
        return self._twins.get(page, make) if self.active else make(page)

    def listing(
        self, kind: str, page: Page, items: Sequence[object], make: Callable[[], list[Page]]
    ) -> list[Page]:
        """The pages of a list of `kind` whose first page is `page` and which shows `items`
        (entries, links): made again unless `page` is equal to the last build's and `items`
        are the same objects (or, for links, equal ones)."""
        if not self.active:
            return make()
        key = (kind, page.url)
        before = self._lists.find(key)
        if before is None or not _same(before[1], items) or before[0] != page:
            before = self._lists.put(key, (page, tuple(items), tuple(make())))
        return list(before[2])  # a list of its own: callers add to it


def _same(before: Sequence[object], now: Sequence[object]) -> bool:
    return len(before) == len(now) and all(
        a is b or (not isinstance(a, Entry) and a == b) for a, b in zip(before, now, strict=True)
    )
