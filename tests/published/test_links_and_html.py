"""The built site (main pages and text edition) is valid HTML and all its internal links and
anchors resolve, at the domain root and under a subpath; the search index is built."""

from __future__ import annotations

import re

import pytest

from sahelbrief.linkcheck import check_site
from tests.conftest import run_vnu
from tests.published.fixture import BASES, Published


@pytest.mark.parametrize("case", sorted(BASES))
def test_every_internal_link_and_anchor_resolves(published: Published, case: str) -> None:
    report = check_site(published.site(case), BASES[case])
    assert report.pages >= 12
    assert report.links > 20 * report.pages / 2
    assert report.broken == ()


def test_text_edition_is_built_and_checked(published: Published) -> None:
    site = published.site("root")
    pages = list((site / "text").rglob("*.html"))
    assert len(pages) >= 8


def test_every_page_passes_the_nu_html_checker(published: Published) -> None:
    root = published.project.parent
    result = run_vnu(root, "--blacklist", "project", "pagefind", "--log", "INFO")
    assert result.returncode == 0, result.stdout + result.stderr
    # Both builds, main site and text edition: a wrong filter must not validate nothing.
    checked = re.search(r"Number of files: (\d+)", result.stderr)
    assert checked and int(checked.group(1)) >= 40, result.stderr


@pytest.mark.parametrize("case", sorted(BASES))
def test_search_index_is_built_with_the_site(published: Published, case: str) -> None:
    bundle = published.site(case) / "pagefind"
    assert (bundle / "pagefind-ui.js").is_file()
    assert (bundle / "pagefind-entry.json").is_file()
    assert list((bundle / "fragment").glob("*.pf_fragment"))
    search = (published.site(case) / "search" / "index.html").read_text(encoding="utf-8")
    path = BASES[case].removeprefix("https://example.org")
    assert f'src="{path}pagefind/pagefind-ui.js"' in search
    assert f'data-base-url="{path}"' in search
