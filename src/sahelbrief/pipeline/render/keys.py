"""What a page's bytes depend on, as one digest per page, so that a rebuild renders only the
pages whose inputs changed and takes the others from the live site.

A page is a pure function of: the templates it is rendered with (its own and all it extends,
includes or imports, with the stylesheet and the messages: render/depends.py), the
configuration (all of it: templates see it), the program, the page itself with the articles it
shows (each article as a whole, after dedupe and classify, so any field of it counts), and what
every page can see through the template globals (set in render/__init__.py): the navigation,
the feeds' URLs and titles, the stylesheet's name and the site's reference time. Anything added
to the globals must be added here, or pages would be kept when they should change.
"""

from __future__ import annotations

import dataclasses
import io

import jinja2
import xxhash

from sahelbrief import canonical
from sahelbrief.config import Config
from sahelbrief.identity import ByIdentity, Recent
from sahelbrief.model import Article, Entry, Page, Site
from sahelbrief.pipeline.render.depends import TemplateDigests
from sahelbrief.pipeline.render.stories import Stories
from sahelbrief.pipeline.render.view import ViewSettings


def page_keys(
    site: Site, env: jinja2.Environment, digests: Digests
) -> tuple[list[bytes], list[bytes]]:
    """One digest per page of `site.pages` and one per feed of `site.feeds`, in order. Each
    entry counts with what its view takes from other articles (see Digests.entry); the
    configuration counts through `digests.prefix`."""
    common = xxhash.xxh3_128(digests.prefix)
    common.update(repr([(f.url, f.title) for f in site.feeds]).encode())
    common.update(repr(site.now).encode())
    common.update(digests.dumps(site.navigation))
    shared = common.digest()
    templates = TemplateDigests(env)  # each template's digest made once

    feeds = shared + templates.every() + b"feed\0"
    return (
        [
            xxhash.xxh3_128_digest(shared + templates.page(page.template) + digests.page(page))
            for page in site.pages
        ],
        [xxhash.xxh3_128_digest(feeds + digests.dumps(feed)) for feed in site.feeds],
    )


class Digests:
    """Digests of the entries and articles of a build, each pickled once: they appear on many
    pages, and values are pickled with every article and every entry replaced by its digest.

    An entry's digest covers the entry (its article as a whole, after dedupe and classify, so
    any field of it counts) and what its view takes from other articles (render/stories.py:
    the notes pointing at earlier articles, the story a copy points to, the copies of its
    story). So its view is a pure function of the digest, the program and what a view is
    given of the configuration (ViewSettings): `view_key`, by which views are kept from one
    build to the next."""

    def __init__(
        self,
        stories: Stories,
        program: str,
        config: Config,
        articles: ByIdentity[Article, bytes] | None = None,
        entries: ByIdentity[Entry, tuple[object, bytes]] | None = None,
        pages: Recent[str, tuple[Page, tuple[bytes, ...], bytes]] | None = None,
    ) -> None:
        self.stories = stories
        self.prefix = f"{program}\0{config!r}\0".encode()
        self.view_prefix = f"{program}\0{ViewSettings.of(config)!r}\0".encode()
        self.digests: dict[int, bytes] = {}
        self.kept: list[object] = []  # keeps the objects alive, so that no id is reused
        self.shown: dict[tuple[int, ...], bytes] = {}  # see _shown
        # Articles' digests by object, from earlier builds of this process too (the preview):
        # an article depends on nothing else, and pickling every article took a tenth of an edit.
        self.articles = articles if articles is not None else ByIdentity()
        # Entries' digests by object too, with what each took from other articles.
        self.entries = entries if entries is not None else ByIdentity()
        # Pages' own digests by output path, with the digests of the entries they show.
        self.pages = pages if pages is not None else Recent()

    def view_key(self, entry: Entry) -> bytes:
        return xxhash.xxh3_128_digest(self.view_prefix + self.digest(entry))

    def digest(self, obj: Article | Entry) -> bytes:
        found = self.digests.get(id(obj))
        if found is None:
            found = self.digests[id(obj)] = (
                self._entry(obj)
                if isinstance(obj, Entry)
                else self.articles.get(obj, canonical.digest)
            )
            self.kept.append(obj)
        return found

    def page(self, page: Page) -> bytes:
        """The page's digest (its entries counted by their digests); found again for an equal
        page of the last build whose entries have the same digests."""
        sections = (e for section in page.sections for e in section.entries)
        shown = (page.entry, page.note, *page.entries, *sections)
        entries = tuple(self.digest(e) for e in shown if e is not None)
        before = self.pages.find(page.output)
        if before is not None and before[1] == entries and before[0] == page:
            # This build's page is kept, not the equal one found: the next build's page is
            # then compared with objects it shares (an older page's entries may be equal
            # copies, compared field by field down to every paragraph: 1.3 s an edit at 5,000
            # articles in the preview).
            return self.pages.put(page.output, (page, entries, before[2]))[2]
        own = repr(tuple(getattr(page, name) for name in _OWN)).encode()
        made = xxhash.xxh3_128_digest(own + self._shown(page))
        return self.pages.put(page.output, (page, entries, made))[2]

    def _shown(self, page: Page) -> bytes:
        """The digest of what `page` shows (all but where it is and which template renders
        it), made once for a page and its text twin, which share those very objects."""
        shown = tuple(getattr(page, name) for name in _SHOWN)
        key = tuple(map(id, shown))
        found = self.shown.get(key)
        if found is None:
            found = self.shown[key] = xxhash.xxh3_128_digest(self.dumps(shown))
            self.kept.append(shown)
        return found

    def _entry(self, entry: Entry) -> bytes:
        """The entry's digest; found again for the very entry of the last build when it takes
        the same from other articles."""
        inputs = self.stories.inputs(entry)
        before = self.entries.find(entry)
        if before is not None and before[0] == inputs:
            return before[1]
        made = xxhash.xxh3_128_digest(self.dumps(entry, replaced=(Article,)) + self.dumps(inputs))
        return self.entries.put(entry, (inputs, made))[1]

    def dumps(self, value: object, replaced: tuple[type, ...] = (Article, Entry)) -> bytes:
        """`value` pickled with every instance of `replaced` in it replaced by its digest."""
        buffer = io.BytesIO()
        _Pickler(buffer, self, replaced).dump(value)
        return buffer.getvalue()


# A page's fields that say where it is and how it is rendered; every other one is what it shows.
_OWN = ("template", "url", "output", "twin")
_SHOWN = tuple(f.name for f in dataclasses.fields(Page) if f.name not in _OWN)


class _Pickler(canonical.Pickler):
    def __init__(self, file: io.BytesIO, shared: Digests, replaced: tuple[type, ...]) -> None:
        # Looked up in C by each object's exact type (the model's classes have no subclasses):
        # a method asked about every object (reducer_override) was called 190,000 times for the
        # page digests of a 5,000-article site, a third of their time.
        def reduce(obj: Article | Entry) -> tuple[type[bytes], tuple[bytes]]:
            return (bytes, (shared.digest(obj),))

        self.dispatch_table = dict.fromkeys(replaced, reduce)
        super().__init__(file)
