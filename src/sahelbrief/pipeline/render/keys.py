"""What a page's bytes depend on, as one digest per page, so that a rebuild renders only the
pages whose inputs changed and takes the others from the live site.

A page is a pure function of: the templates (all of them: a page may include any), the
configuration, the program, the page itself with the articles it shows (each article as a
whole, after dedupe and classify, so any field of it counts), and what every page can see
through the template globals (set in render/__init__.py): the navigation, the feeds' URLs and
titles, the stylesheet's name and the site's reference time. Anything added to the globals
must be added here, or pages would be kept when they should change.
"""

from __future__ import annotations

import io
import pickle
from collections.abc import Sequence

import jinja2
import xxhash

from sahelbrief.config import Config
from sahelbrief.model import Article, Site


def page_keys(site: Site, config: Config, env: jinja2.Environment, program: str) -> list[bytes]:
    """One digest per page of `site.pages`, in order."""
    digests: dict[int, bytes] = {}

    def article_digest(article: Article) -> bytes:
        found = digests.get(id(article))
        if found is None:
            data = pickle.dumps(article, pickle.HIGHEST_PROTOCOL)
            found = digests[id(article)] = xxhash.xxh3_128_digest(data)
        return found

    common = xxhash.xxh3_128(f"{program}\0{config!r}\0".encode())
    common.update(templates_digest(env))
    common.update(repr([(f.url, f.title) for f in site.feeds]).encode())
    common.update(repr(site.now).encode())
    common.update(_dumps(site.navigation, article_digest))
    prefix = common.digest()
    return [xxhash.xxh3_128_digest(prefix + _dumps(page, article_digest)) for page in site.pages]


def templates_digest(env: jinja2.Environment) -> bytes:
    """Every file the template loader can see (the theme's stylesheet included)."""
    digest = xxhash.xxh3_128()
    loader = env.loader
    if loader is None:
        return digest.digest()
    for name in sorted(loader.list_templates()):
        source, _, _ = loader.get_source(env, name)
        digest.update(name.encode() + b"\0" + source.encode("utf-8", "surrogateescape") + b"\0")
    return digest.digest()


class _Pickler(pickle.Pickler):
    """Pickles a page with every article replaced by its digest (an article is in many pages;
    pickling it once is enough)."""

    def __init__(self, file: io.BytesIO, article_digest: object) -> None:
        super().__init__(file, pickle.HIGHEST_PROTOCOL)
        self._digest = article_digest

    def persistent_id(self, obj: object) -> bytes | None:
        if isinstance(obj, Article):
            return self._digest(obj)  # type: ignore[operator,no-any-return]
        return None


def _dumps(value: object | Sequence[object], article_digest: object) -> bytes:
    buffer = io.BytesIO()
    _Pickler(buffer, article_digest).dump(value)
    return buffer.getvalue()
