"""Check every internal link and anchor of a built site: each `href` and `src` that stays on the
site must name a file that was built, and each `#fragment` an element id on the target page.

Works on the finished folder, the way a reader's browser sees it, so it catches links from
sources and from templates alike. Used by `sahelbrief check` and by the test suite.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

_LINK_ATTRIBUTES = {"href", "src"}


@dataclass(frozen=True)
class Link:
    page: str  # the page's path in the built site ("articles/x/index.html")
    line: int
    target: str  # as written in the page


@dataclass(frozen=True)
class BrokenLink:
    link: Link
    problem: str


@dataclass(frozen=True)
class LinkReport:
    pages: int
    links: int
    broken: tuple[BrokenLink, ...]


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (tag == "a" and name == "name"):
                self.ids.add(value)
            elif name in _LINK_ATTRIBUTES:
                self.links.append((self.getpos()[0], value))


@dataclass(frozen=True)
class _Page:
    ids: frozenset[str]
    links: tuple[tuple[int, str], ...]


def check_site(site_dir: Path, base_url: str) -> LinkReport:
    """Check `site_dir`, built for `base_url` (a path such as "/brief/", or an absolute URL:
    then absolute links to that address are checked too)."""
    parsed = urlsplit(base_url)
    base_path = "/" + parsed.path.strip("/") + "/" if parsed.path.strip("/") else "/"
    origin = f"{parsed.scheme}://{parsed.netloc}" if parsed.scheme and parsed.netloc else None
    pages = sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*.html"))

    @cache
    def parse(relative: str) -> _Page:
        parser = _PageParser()
        parser.feed((site_dir / relative).read_text(encoding="utf-8", errors="replace"))
        parser.close()
        return _Page(frozenset(parser.ids), tuple(parser.links))

    broken: list[BrokenLink] = []
    count = 0
    for relative in pages:
        page_url = base_path + relative.removesuffix("index.html")
        for line, target in parse(relative).links:
            url = _internal(target, page_url, origin)
            if url is None:
                continue
            count += 1
            problem = _problem(url, base_path, site_dir, parse)
            if problem:
                broken.append(BrokenLink(Link(relative, line, target), problem))
    return LinkReport(len(pages), count, tuple(broken))


def _internal(target: str, page_url: str, origin: str | None) -> str | None:
    """The link as a site path with its fragment ("/brief/a/#x"), or None if it leaves the site."""
    target = target.strip()
    parts = urlsplit(target)
    if parts.scheme or target.startswith("//"):
        if origin is None or not target.startswith(origin + "/"):
            return None
        target = target[len(origin) :]
    return urljoin(page_url, target)


def _problem(url: str, base_path: str, site_dir: Path, parse: Callable[[str], _Page]) -> str | None:
    parts = urlsplit(url)
    path = unquote(parts.path)
    if not path.startswith(base_path):
        return f"points outside the site's base path {base_path}"
    relative = path[len(base_path) :]
    candidates = [relative + "index.html"] if relative.endswith("/") or not relative else []
    candidates += [relative, relative + "/index.html"] if relative else []
    found = next((c for c in candidates if c and (site_dir / c).is_file()), None)
    if found is None:
        return "no such page or file in the built site"
    fragment = unquote(parts.fragment)
    if fragment and found.endswith(".html") and fragment not in parse(found).ids:
        return f'no element with id="{fragment}" on {found}'
    return None
