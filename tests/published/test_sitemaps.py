"""sitemap.xml, the Google News sitemap, robots.txt and the feeds are well-formed XML whose URLs
all name files of the built site."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.published.fixture import BASES, Published, local_path

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
MACHINE_FILES = ("sitemap.xml", "news-sitemap.xml")


def site_urls(text: str, base: str) -> list[str]:
    return re.findall(re.escape(base) + r"[^\s\"'<>)\\]*", text)


@pytest.mark.parametrize("case", sorted(BASES))
def test_every_url_in_sitemaps_and_feeds_exists(published: Published, case: str) -> None:
    site, base = published.site(case), BASES[case]
    files = [site / name for name in MACHINE_FILES]
    files += [p for p in site.rglob("*") if p.name in ("feed.xml", "rss.xml", "feed.json")]
    checked = 0
    for file in files:
        text = file.read_text(encoding="utf-8")
        if file.suffix == ".xml":
            ET.fromstring(text.encode("utf-8"))  # well-formed, or this raises
        urls = site_urls(text, base)
        assert urls, file
        for url in urls:
            target = local_path(site, url, base)
            assert target is not None and target.is_file(), f"{file.name}: {url}"
            checked += 1
    assert checked > 50


@pytest.mark.parametrize("case", sorted(BASES))
def test_sitemap_lists_every_page_but_the_404_and_search(published: Published, case: str) -> None:
    site, base = published.site(case), BASES[case]
    root = ET.fromstring((site / "sitemap.xml").read_bytes())
    assert root.tag == f"{SM}urlset"
    listed = {loc.text for loc in root.iter(f"{SM}loc")}
    pages = {
        base + p.relative_to(site).as_posix().removesuffix("index.html")
        for p in site.rglob("*.html")
        if "pagefind" not in p.parts and "text" not in p.relative_to(site).parts[:1]
    }
    assert listed == pages - {base + "404.html", base + "search/"}
    lastmods = {
        u.find(f"{SM}loc").text: u.find(f"{SM}lastmod")
        for u in root.iter(f"{SM}url")  # type: ignore[union-attr]
    }
    coup = base + "articles/burkina-faso-junta-says-it-foiled-a-coup-attempt-in-ouagadougou/"
    assert lastmods[coup] is not None and lastmods[coup].text == "2026-11-23"


def test_news_sitemap_has_the_last_two_days_only(published: Published) -> None:
    site, base = published.site("subpath"), BASES["subpath"]
    root = ET.fromstring((site / "news-sitemap.xml").read_bytes())
    urls = {u.find(f"{SM}loc").text: u for u in root.iter(f"{SM}url")}  # type: ignore[union-attr]
    # "Now" is 2026-11-24T18:00Z: stories of the 23rd and 24th, not of the 22nd or before.
    assert sorted(urls) == sorted(
        base + f"articles/{slug}/"
        for slug in (
            "africa-corps-takes-over-wagner-bases-in-central-mali",
            "chad-script-alert-x-script-election-results-script-delayed",
        )
    )
    for node in urls.values():
        news = node.find(f"{NEWS}news")
        assert news is not None
        assert news.findtext(f"{NEWS}publication/{NEWS}name") == "Sahel Brief"
        assert news.findtext(f"{NEWS}publication/{NEWS}language") == "en"
        assert re.fullmatch(
            r"2026-11-2[34]T00:00:00Z", news.findtext(f"{NEWS}publication_date") or ""
        )
        assert news.findtext(f"{NEWS}title")


@pytest.mark.parametrize("case", sorted(BASES))
def test_robots_txt_names_both_sitemaps(published: Published, case: str) -> None:
    text = (published.site(case) / "robots.txt").read_text(encoding="utf-8")
    base = BASES[case]
    assert f"Sitemap: {base}sitemap.xml\n" in text
    assert f"Sitemap: {base}news-sitemap.xml\n" in text
    assert text.startswith("User-agent: *\n")


def test_builds_are_byte_identical(published: Published, tmp_path: Path) -> None:
    from tests.published.fixture import build_published

    again = build_published(tmp_path)
    for case in BASES:
        first = sorted(p.relative_to(published.site(case)) for p in published.site(case).rglob("*"))
        second = sorted(p.relative_to(again.site(case)) for p in again.site(case).rglob("*"))
        assert first == second
        for relative in first:
            a, b = published.site(case) / relative, again.site(case) / relative
            if a.is_file():
                assert a.read_bytes() == b.read_bytes(), relative
