"""What a reader sees, in a real browser: the briefing reads, is accessible from the keyboard,
follows the colour scheme, and loads nothing from anywhere else."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from sahelbrief.pipeline import BuildOptions, build
from tests.conftest import REPO

pytestmark = pytest.mark.browser
ARTICLE = "articles/wagner-group-announces-withdrawal-from-mali-amid-ongoing-security-concerns/"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    out = tmp_path / "site"
    build(REPO, BuildOptions(out_dir=out))
    return out


def test_front_page_and_article_read_as_a_briefing(
    browser: Browser, site: Path, serve_folder: Callable[[Path], str]
) -> None:
    base = serve_folder(site)
    page = browser.new_page(viewport={"width": 390, "height": 800})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(base + "/")
    story = page.locator("article.story", has_text="Wagner Group Announces Withdrawal from Mali")
    headline = story.get_by_role("link", name="Wagner Group Announces Withdrawal from Mali")
    assert headline.is_visible()
    headline.click()
    page.wait_for_url(base + "/" + ARTICLE)
    assert page.locator("h1").inner_text().startswith("Wagner Group Announces Withdrawal")
    body = page.locator(".body p")
    assert body.count() == 3  # the two pasted-again paragraphs are gone
    assert page.locator("aside.note").count() == 1
    assert page.locator("text=Undated").is_visible()
    # Nothing is fetched from another origin; the page needs no script at all.
    assert all(url.startswith(base) or url.startswith("data:") for url in requests), requests
    assert page.locator('script:not([type="application/ld+json"])').count() == 0
    assert errors == []
    # Fits a phone: no horizontal scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_keyboard_reader_gets_a_skip_link_first(
    browser: Browser, site: Path, serve_folder: Callable[[Path], str]
) -> None:
    page = browser.new_page()
    page.goto(serve_folder(site) + "/" + ARTICLE)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to content"
    top = page.evaluate("document.activeElement.getBoundingClientRect().top")
    assert top >= 0  # the skip link comes into view when focused
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    for landmark in ("banner", "main", "contentinfo"):
        assert page.get_by_role(landmark).count() == 1


def test_dark_scheme_changes_colours(
    browser: Browser, site: Path, serve_folder: Callable[[Path], str]
) -> None:
    base = serve_folder(site)
    colours = {}
    for scheme in ("light", "dark"):
        page = browser.new_page(color_scheme=scheme)
        page.goto(base + "/")
        colours[scheme] = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert colours["light"] != colours["dark"]
    assert colours["dark"] == "rgb(21, 21, 21)"
