"""What a reader sees on the built briefing site (the golden French fixture): editions grouped
by country under the editor's note, previous/next editions, corrections, languages, expiry and
embargo, the text edition, and links under a subpath."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.golden.test_links import internal_links

EXPECTED = Path(__file__).parent / "expected"
ROOT = EXPECTED / "briefing-root"
SUBPATH = EXPECTED / "briefing-subpath"


def html(path: str, root: Path = ROOT) -> str:
    return (root / path).read_text(encoding="utf-8")


def main_of(page: str) -> str:
    return page[page.index("<main") : page.index("</main>")]


def test_the_front_page_is_the_latest_edition_grouped_by_country_under_the_note() -> None:
    front = main_of(html("index.html"))
    assert "<h1>Lundi 23 novembre 2026</h1>" in front
    note = front.index('class="editors-note"')
    groups = re.findall(r'<h2 id="group-\d+"><a href="/countries/(\w+)/">', front)
    assert groups == ["mali", "niger"]  # Mali has two stories that day, Niger one
    assert note < front.index('id="group-1"')
    # Each story: headline linked, summary, date and source.
    assert '<a href="/articles/niger-reopens-the-gaya-crossing-with-benin/">' in front
    assert "Lorries queued from dawn" in front
    assert '<a href="/sources/studio-kalangou/">Studio Kalangou</a>' in front
    # Only that day's stories: the 20 November story is in the previous edition.
    assert "Niamey marks two years" not in front
    # Chad's group continues on the second page rather than being split or dropped.
    second = main_of(html("page/2/index.html"))
    assert re.findall(r'<h2 id="group-\d+"><a href="/countries/(\w+)/">', second) == ["chad"]


def test_editions_link_to_previous_and_next() -> None:
    older = main_of(html("briefs/2026-11-20/index.html"))
    newer = main_of(html("briefs/2026-11-23/index.html"))
    assert '<a class="later" href="/briefs/2026-11-23/">' in older
    assert 'class="earlier"' not in older
    assert '<a class="earlier" href="/briefs/2026-11-20/">' in newer
    assert 'class="later"' not in newer
    archive = main_of(html("archive/index.html"))
    assert archive.index("/briefs/2026-11-23/") < archive.index("/briefs/2026-11-20/")
    assert '"/archive/2026/11/"' in html("archive/2026/index.html")


def test_corrections_and_updates_are_shown_on_the_article() -> None:
    article = main_of(html("articles/tchad-participation-en-hausse/index.html"))
    corrections = article.index('class="corrections"')
    assert corrections < article.index('class="body"')  # above the story, not at its foot
    assert "et non de 25 %" in article
    assert '<p class="updated">Mis à jour le <time datetime="2026-11-24">' in article
    assert '<a href="https://example.org/ndarason/vote">Radio Ndarason</a>' in article


def test_language_is_on_every_page_and_on_stories_in_another_language() -> None:
    assert '<html lang="fr">' in html("index.html")
    assert '<html lang="fr">' in html("text/index.html")
    english = html("articles/niger-reopens-the-gaya-crossing-with-benin/index.html")
    assert '<h1 lang="en">' in english and '<div class="body" lang="en">' in english
    french = html("articles/le-mali-et-lalgerie-reprennent-le-dialogue/index.html")
    assert "<h1>" in french  # same language as the site: no lang needed


def test_topics_come_from_the_lead_only() -> None:
    # The Mali–Algeria story names Wagner and gold only in its third paragraph.
    filed = html("articles/le-mali-et-lalgerie-reprennent-le-dialogue/index.html")
    assert "/topics/wagner-group/" not in filed
    assert '<a href="/countries/algeria/">Algérie</a>' in filed
    # The seed names the JNIM by its full English name in its lead.
    jnim = html("articles/jnim-claims-ambush-near-the-burkina-faso-border/index.html")
    assert "/topics/jnim/" in jnim


def test_expired_and_future_articles_are_not_listed() -> None:
    every_list = [p for p in ROOT.rglob("*.html") if "/articles/" not in p.as_posix()]
    text = "".join(p.read_text(encoding="utf-8") for p in every_list)
    assert (ROOT / "articles/appel-aux-dons-pour-les-deplaces-de-menaka/index.html").is_file()
    assert "appel-aux-dons" not in text
    assert not (ROOT / "articles/article-sous-embargo-jusquau-1er-decembre").exists()
    assert "embargo" not in text


TEXT_PAGES = sorted((ROOT / "text").rglob("*.html"))


@pytest.mark.parametrize("path", TEXT_PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_text_edition_pages_are_small_and_plain(path: Path) -> None:
    page = path.read_text(encoding="utf-8")
    for banned in ("<script", "<img", "<style", "stylesheet", " style=", "<svg", "<iframe"):
        assert banned not in page, banned
    assert len(page.encode()) < 4_000
    twin = re.search(r'<a href="([^"]+)">Site complet</a>', page)
    assert twin and not twin.group(1).startswith("/text/")


def test_text_edition_is_linked_from_every_main_page_and_mirrors_it() -> None:
    main_pages = [
        p
        for p in ROOT.rglob("*.html")
        if not p.relative_to(ROOT).as_posix().startswith("text/") and p.name != "404.html"
    ]
    assert len(TEXT_PAGES) == len(main_pages) > 30
    for page in main_pages:
        relative = page.relative_to(ROOT).parent.as_posix()
        twin = "/text/" if relative == "." else f"/text/{relative}/"
        assert f'<a href="{twin}">Édition texte</a>' in page.read_text(encoding="utf-8"), page


def test_under_a_subpath_every_internal_link_carries_it() -> None:
    pages = sorted(SUBPATH.rglob("*.html"))
    links = [link for page in pages for link in internal_links(page)]
    assert len(links) > 10 * len(pages)
    assert all(link.startswith("/breve/") for link in links)
    assert '<a href="/breve/articles/tchad-participation-en-hausse/"' in html(
        "index.html", SUBPATH
    ).replace(' rel="noopener"', "")


def test_the_stylesheet_is_small_and_the_theme_needs_no_script() -> None:
    (sheet,) = (ROOT / "assets").glob("style.*.css")
    css = sheet.read_text(encoding="utf-8")
    assert len(css.encode()) < 10_000
    assert "@media print" in css and "prefers-color-scheme: dark" in css
    # Logical properties only: no physical left/right margins, paddings or borders.
    assert not re.search(r"(margin|padding|border)-(left|right)|text-align:\s*(left|right)", css)
    # JSON-LD is data, not a script that runs.
    code = re.compile(r"<script(?![^>]*application/ld\+json)")
    assert not [p for p in ROOT.rglob("*.html") if code.search(p.read_text(encoding="utf-8"))]


def test_text_edition_navigation_says_what_it_links_to() -> None:
    month = html("text/archive/2026/11/index.html")
    assert '<a href="/text/archive/2026/11/">Novembre 2026</a>' in month
    assert "non daté" not in month
    front = html("text/index.html")
    assert '<a href="/text/briefs/undated/">1 article non daté</a>' in front
    assert '<a href="/text/briefs/2026-11-20/">Édition précédente</a>' in front
    assert '<a href="/text/archive/2026/">2026</a>' in html("text/archive/index.html")
