"""Every internal link and asset reference in the golden sites resolves to a built file, at the
domain root and under a subpath."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest

EXPECTED = Path(__file__).parent / "expected"
BASES = {
    "newsroom-root": "/",
    "newsroom-subpath": "/brief/",
    "newsroom-drafts": "/",
    "briefing-root": "/",
    "briefing-subpath": "/breve/",
}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.found.append(value)


def internal_links(page: Path) -> list[str]:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return [
        link
        for link in parser.found
        if not urlsplit(link).scheme and not link.startswith(("#", "//"))
    ]


@pytest.mark.parametrize("case", sorted(BASES))
def test_internal_links_resolve(case: str) -> None:
    root, base = EXPECTED / case, BASES[case]
    pages = sorted(root.rglob("*.html"))
    assert pages
    checked = 0
    for page in pages:
        for link in internal_links(page):
            path = urldefrag(link).url
            assert path.startswith(base), f"{page.relative_to(root)}: {link} misses {base}"
            target = root / path[len(base) :]
            if path.endswith("/"):
                target = target / "index.html"
            assert target.is_file(), f"{page.relative_to(root)} links to missing {link}"
            checked += 1
    assert checked > len(pages)
