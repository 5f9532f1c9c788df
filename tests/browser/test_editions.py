"""A reader goes through the editions in a real browser: front page, the previous edition and
back, a story, its country, and the text edition, which loads nothing but the page itself."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser

pytestmark = pytest.mark.browser
SITE = Path(__file__).resolve().parents[1] / "golden" / "expected" / "briefing-root"


def test_a_reader_walks_the_editions(browser: Browser, serve_folder: Callable[[Path], str]) -> None:
    base = serve_folder(SITE)
    page = browser.new_page(viewport={"width": 390, "height": 800})
    page.goto(base + "/")
    assert page.locator("h1").inner_text() == "Lundi 23 novembre 2026"
    assert page.locator(".editors-note").is_visible()
    # CSS uppercase; undated stories follow the latest edition on the front page
    groups = page.locator(".group > h2").all_inner_texts()
    assert groups == ["MALI", "NIGER", "ARTICLES NON DATÉS"]
    page.get_by_role("link", name="Édition précédente : 20 novembre 2026").click()
    page.wait_for_url(base + "/briefs/2026-11-20/")
    assert page.locator("h1").inner_text() == "Vendredi 20 novembre 2026"
    page.get_by_role("link", name="Édition suivante : 23 novembre 2026").click()
    page.wait_for_url(base + "/briefs/2026-11-23/")
    page.get_by_role("link", name="Page suivante").click()
    page.wait_for_url(base + "/briefs/2026-11-23/page/2/")
    page.get_by_role("link", name="Tchad : participation en hausse au premier tour").click()
    page.wait_for_url(base + "/articles/tchad-participation-en-hausse/")
    assert page.locator(".corrections").is_visible()
    page.locator(".kicker").get_by_role("link", name="Tchad").click()
    page.wait_for_url(base + "/countries/chad/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_text_edition_loads_nothing_but_the_page(
    browser: Browser, serve_folder: Callable[[Path], str]
) -> None:
    base = serve_folder(SITE)
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(base + "/")
    page.get_by_role("link", name="Édition texte").click()
    page.wait_for_url(base + "/text/")
    requests.clear()
    page.reload()
    assert requests == [base + "/text/"]
    assert page.evaluate("document.styleSheets.length") == 0
    page.get_by_role("link", name="Site complet").click()
    page.wait_for_url(base + "/")
