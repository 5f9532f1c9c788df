"""axe-core (from npm, installed by scripts/test.sh into .node/) in headless Chromium: the front
page and a story page of the realistic site have no serious or critical violations, in the
light and the dark colour scheme."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

from tests.conftest import REPO
from tests.published.fixture import Published, build_published

pytestmark = pytest.mark.browser
AXE = REPO / ".node" / "node_modules" / "axe-core" / "axe.min.js"
PAGES = {
    "front page": "",
    "story": "articles/burkina-faso-junta-says-it-foiled-a-coup-attempt-in-ouagadougou/",
    "French story": "articles/le-niger-rouvre-la-frontiere-avec-le-benin-a-gaya/",
}


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Published:
    return build_published(tmp_path_factory.mktemp("published"))


def served_under_subpath(published: Published, root: Path) -> Path:
    """A folder whose brief/ is the subpath build, to serve it at /brief/."""
    root.mkdir()
    (root / "brief").symlink_to(published.site("subpath"), target_is_directory=True)
    return root


def axe_violations(browser: Browser, url: str, scheme: str) -> list[dict[str, Any]]:
    if not AXE.is_file():
        pytest.fail("axe-core is not installed: run ./scripts/test.sh, which installs it")
    page = browser.new_page(color_scheme=scheme)  # type: ignore[arg-type]
    try:
        response = page.goto(url)
        assert response is not None and response.ok, url
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("async () => await axe.run(document)")
    finally:
        page.close()
    assert result["passes"], "axe ran no checks"
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", sorted(PAGES))
def test_no_serious_or_critical_violations(
    browser: Browser,
    published: Published,
    serve_folder: Callable[[Path], str],
    tmp_path: Path,
    name: str,
    scheme: str,
) -> None:
    base = serve_folder(served_under_subpath(published, tmp_path / "served"))
    violations = axe_violations(browser, f"{base}/brief/{PAGES[name]}", scheme)
    assert violations == [], [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]]) for v in violations
    ]
