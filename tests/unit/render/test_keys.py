"""Page digests found again from the last build (render/keys.py)."""

from __future__ import annotations

from sahelbrief.config import Config
from sahelbrief.identity import Recent
from sahelbrief.model import Page
from sahelbrief.pipeline.render.keys import Digests
from sahelbrief.pipeline.render.stories import Stories


def test_a_page_found_again_is_kept_as_this_builds_page() -> None:
    """The memo keeps the newest equal page, so the next build compares objects it shares
    instead of an older page's copies, field by field."""
    config = Config()
    pages: Recent[str, tuple[Page, tuple[bytes, ...], bytes]] = Recent()

    def digest(page: Page) -> bytes:
        pages.begin()
        return Digests(Stories((), config.absolute), "program", config, pages=pages).page(page)

    first = Page("page.html", "/about/", "about/index.html", "About")
    second = Page("page.html", "/about/", "about/index.html", "About")
    assert second == first and second is not first
    made = digest(first)
    assert digest(second) == made
    found = pages.find("about/index.html")
    assert found is not None and found[0] is second
