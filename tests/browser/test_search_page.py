"""The search page works with no server but a static host, under a subpath base URL: Pagefind's
index loads from /brief/pagefind/ and its results link to /brief/articles/..."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.published.fixture import Published, build_published

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Published:
    return build_published(tmp_path_factory.mktemp("published"))


def test_search_finds_stories_under_a_subpath(
    browser: Browser, published: Published, serve_folder: Callable[[Path], str], tmp_path: Path
) -> None:
    root = tmp_path / "served"
    root.mkdir()
    (root / "brief").symlink_to(published.site("subpath"), target_is_directory=True)
    base = serve_folder(root)
    page = browser.new_page()
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    # The masthead's search form sends the reader to the search page with the query.
    page.goto(f"{base}/brief/")
    page.fill("#site-search", "Ouagadougou")
    page.press("#site-search", "Enter")
    page.wait_for_url("**/brief/search/?q=Ouagadougou")
    result = page.locator(".pagefind-ui__result-link").first
    result.wait_for(timeout=15_000)
    href = result.get_attribute("href")
    assert (
        href == "/brief/articles/burkina-faso-junta-says-it-foiled-a-coup-attempt-in-ouagadougou/"
    )
    # A French story is found from the English search page too (one index, one language).
    page.goto(f"{base}/brief/search/?q=fronti%C3%A8re")
    page.locator(".pagefind-ui__result-link").first.wait_for(timeout=15_000)
    hrefs = page.locator(".pagefind-ui__result-link").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    assert "/brief/articles/le-niger-rouvre-la-frontiere-avec-le-benin-a-gaya/" in hrefs
    # Listing pages are not indexed: only stories are results.
    assert all(h.startswith("/brief/articles/") for h in hrefs), hrefs
    page.close()
    assert failed == []
