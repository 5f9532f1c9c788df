"""An open page follows edits by itself, shows a broken build and recovers (real Chromium)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from sahelbrief.pipeline import build
from sahelbrief.serve import Preview, ServeOptions

pytestmark = pytest.mark.browser

ARTICLE = """---
title: Niger reopens the Benin border
date: 2026-11-20
---

The first convoy crossed at dawn, {marker}.
"""
BROKEN = "---\ntitle: [unclosed\ndate: 2026-11-20\n---\n\nThe convoy.\n"
URL = "articles/niger-reopens-the-benin-border/"
WAIT_MS = 20_000  # a hang guard, not a timing requirement


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "niger.md").write_text(ARTICLE.format(marker="first version"))
    return tmp_path


@pytest.fixture
def preview(project: Path) -> Iterator[Preview]:
    with Preview(project, build, ServeOptions(port=0)) as running:
        yield running


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    yield context.new_page()
    context.close()


def until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_MS / 1000
    while not condition():
        assert time.monotonic() < deadline, f"never happened: {what}"
        time.sleep(0.02)


def test_edit_break_and_fix_an_article(preview: Preview, page: Page, project: Path) -> None:
    source = project / "content" / "niger.md"
    page.goto(preview.url + URL)
    body = page.locator("body")
    expect(body).to_contain_text("first version")
    until(lambda: preview.state.listeners == 1, "the page connected to the reload channel")

    source.write_text(ARTICLE.format(marker="second version"))
    expect(body).to_contain_text("second version", timeout=WAIT_MS)

    overlay = page.locator("#sahelbrief-errors")
    expect(overlay).to_have_count(0)
    source.write_text(BROKEN)
    expect(overlay).to_be_visible(timeout=WAIT_MS)
    expect(overlay).to_contain_text("content/niger.md:")
    expect(overlay).to_contain_text("Build failed")
    expect(body).to_contain_text("second version")  # the last good build stays

    source.write_text(ARTICLE.format(marker="third version"))
    expect(overlay).to_have_count(0, timeout=WAIT_MS)
    expect(body).to_contain_text("third version", timeout=WAIT_MS)


def test_stylesheet_change_is_swapped_without_a_reload(project: Path, page: Page) -> None:
    theme = project / "templates" / "assets"
    theme.mkdir(parents=True)
    (theme / "style.css").write_text("body { background-color: rgb(9, 9, 9) }\n")
    with Preview(project, build, ServeOptions(port=0)) as preview:
        page.goto(preview.url + URL)
        until(lambda: preview.state.listeners == 1, "the page connected to the reload channel")
        page.evaluate("window.notReloaded = true")
        (theme / "style.css").write_text("body { background-color: rgb(1, 2, 3) }\n")
        page.wait_for_function(
            "getComputedStyle(document.body).backgroundColor === 'rgb(1, 2, 3)'",
            timeout=WAIT_MS,
        )
        assert page.evaluate("window.notReloaded") is True
        links = page.locator('link[rel="stylesheet"]')
        expect(links).to_have_count(1)  # the old stylesheet was removed


def test_hidden_tab_disconnects_and_catches_up_when_visible(
    preview: Preview, page: Page, project: Path
) -> None:
    page.goto(preview.url + URL)
    until(lambda: preview.state.listeners == 1, "the page connected to the reload channel")
    page.evaluate(
        """() => {
        Object.defineProperty(document, "hidden", { value: true, configurable: true });
        document.dispatchEvent(new Event("visibilitychange"));
    }"""
    )
    until(lambda: preview.state.listeners == 0, "the hidden page closed its stream")
    (project / "content" / "niger.md").write_text(ARTICLE.format(marker="while hidden"))
    until(lambda: preview.state.snapshot().epoch == 2, "the rebuild")
    assert "first version" in page.inner_text("body")  # a hidden tab does not reload
    page.evaluate(
        """() => {
        Object.defineProperty(document, "hidden", { value: false, configurable: true });
        document.dispatchEvent(new Event("visibilitychange"));
    }"""
    )
    expect(page.locator("body")).to_contain_text("while hidden", timeout=WAIT_MS)


def test_page_reloads_after_the_server_restarts(project: Path, page: Page) -> None:
    with Preview(project, build, ServeOptions(port=0, watch=False)) as first:
        port = int(first.url.rstrip("/").rsplit(":", 1)[1])
        page.goto(first.url + URL)
        until(lambda: first.state.listeners == 1, "the page connected to the reload channel")
        page.evaluate("window.notReloaded = true")
    (project / "content" / "niger.md").write_text(ARTICLE.format(marker="after restart"))
    with Preview(project, build, ServeOptions(port=port, watch=False)):
        expect(page.locator("body")).to_contain_text("after restart", timeout=WAIT_MS)
        assert page.evaluate("window.notReloaded") is None
