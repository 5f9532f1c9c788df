"""What a page's bytes take from the template folders: its own template and every template that
one extends, includes or imports, followed through the sources as Jinja's parser finds them
(jinja2.meta), so that editing listing.html does not render every story again. Where a name
is only known when rendering (`{% include page.partial %}`) or cannot be found, the page is
taken to use every template. The loader's other files (the stylesheet, whose name every page
links, the translated messages) count for every page."""

from __future__ import annotations

from collections.abc import Iterable

import jinja2
import jinja2.meta
import xxhash

_TEMPLATE = ".html"
# Names referenced by each template source, by the source and the parser's extensions: the
# preview parses them once, not once an edit (forgotten when many templates were edited).
_REFERENCES: dict[tuple[str, tuple[str, ...]], frozenset[str] | None] = {}
_REMEMBERED = 512


class TemplateDigests:
    """Digests of the templates one page is rendered with, by the name of its template."""

    def __init__(self, env: jinja2.Environment) -> None:
        self.env = env
        loader = env.loader
        names = sorted(loader.list_templates()) if loader is not None else []
        self.sources = {n: loader.get_source(env, n)[0] for n in names} if loader else {}
        self._every: bytes | None = None
        self._by_page: dict[str, bytes] = {}

    def page(self, template: str) -> bytes:
        """The digest of what a page rendered with `template` reads of the template folders."""
        found = self._by_page.get(template)
        if found is None:
            used = self._used(template)
            found = self._by_page[template] = (
                self.every() if used is None else _digest((n, self.sources[n]) for n in used)
            )
        return found

    def every(self) -> bytes:
        """The digest of every file the loader can see."""
        if self._every is None:
            self._every = _digest(self.sources.items())
        return self._every

    def _used(self, template: str) -> list[str] | None:
        """`template` and every template it reaches, sorted with the loader's other files;
        None when some name is unknown or only known when rendering."""
        seen: set[str] = set()
        todo = [template]
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            if name not in self.sources:
                return None
            seen.add(name)
            references = self._references(self.sources[name])
            if references is None:
                return None
            todo.extend(references)
        return sorted(seen | {n for n in self.sources if not _is_template(n)})

    def _references(self, source: str) -> frozenset[str] | None:
        key = (source, tuple(sorted(self.env.extensions)))
        if key not in _REFERENCES:
            if len(_REFERENCES) >= _REMEMBERED:
                _REFERENCES.clear()
            try:
                found = list(jinja2.meta.find_referenced_templates(self.env.parse(source)))
            except jinja2.TemplateSyntaxError:
                found = [None]  # the render stage reports it; until then it may use anything
            _REFERENCES[key] = None if None in found else frozenset(n for n in found if n)
        return _REFERENCES[key]


def _is_template(name: str) -> bool:
    return name.endswith(_TEMPLATE)


def _digest(files: Iterable[tuple[str, str]]) -> bytes:
    digest = xxhash.xxh3_128()
    for name, source in files:
        digest.update(name.encode() + b"\0" + source.encode("utf-8", "surrogateescape") + b"\0")
    return digest.digest()
