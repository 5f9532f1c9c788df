"""Every page tells machines what it is: canonical URL, description, Open Graph and Twitter
card, feeds and lang; every story carries NewsArticle JSON-LD that parses and is complete."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from tests.published.fixture import BASES, Published


class Head(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.lang: str | None = None
        self.meta: dict[str, str] = {}
        self.links: list[dict[str, str]] = []
        self.scripts: list[str] = []
        self._in_ld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.lang = values.get("lang")
        elif tag == "meta" and ("property" in values or "name" in values):
            self.meta[values.get("property") or values["name"]] = values.get("content", "")
        elif tag == "link":
            self.links.append(values)
        elif tag == "script" and values.get("type") == "application/ld+json":
            self._in_ld = True
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_ld = False

    def handle_data(self, data: str) -> None:
        if self._in_ld:
            self.scripts[-1] += data


def parse(page: Path) -> Head:
    head = Head()
    head.feed(page.read_text(encoding="utf-8"))
    return head


def main_pages(site: Path) -> list[Path]:
    return sorted(
        p for p in site.rglob("*.html") if p.relative_to(site).parts[0] not in ("pagefind", "text")
    )


def story_pages(site: Path) -> list[Path]:
    return sorted((site / "articles").glob("*/index.html"))


@pytest.mark.parametrize("case", sorted(BASES))
def test_every_page_has_canonical_description_og_twitter_lang_and_feeds(
    published: Published, case: str
) -> None:
    site, base = published.site(case), BASES[case]
    pages = main_pages(site)
    assert len(pages) >= 10
    for page in pages:
        head, where = parse(page), page.relative_to(site)
        assert head.lang, where
        canonical = [link["href"] for link in head.links if link.get("rel") == "canonical"]
        assert len(canonical) == 1 and canonical[0].startswith(base), where
        expected = base + where.as_posix().removesuffix("index.html")
        assert canonical[0] == expected or where.name == "404.html", where
        assert head.meta.get("description"), where
        for key in ("og:title", "og:description", "og:type", "og:url", "og:site_name"):
            assert head.meta.get(key), (where, key)
        for key in ("twitter:card", "twitter:title", "twitter:description"):
            assert head.meta.get(key), (where, key)
        alternates = {
            link["type"]: link["href"] for link in head.links if link.get("rel") == "alternate"
        }
        assert alternates.get("application/atom+xml") == base + "feed.xml" or any(
            href.endswith("/feed.xml") for href in alternates.values()
        ), where
        for kind in ("application/atom+xml", "application/rss+xml", "application/feed+json"):
            assert kind in alternates, (where, kind)


@pytest.mark.parametrize("case", sorted(BASES))
def test_topic_and_country_pages_offer_their_own_feeds(published: Published, case: str) -> None:
    site, base = published.site(case), BASES[case]
    listings = [
        p for p in main_pages(site) if p.relative_to(site).parts[0] in ("topics", "countries")
    ]
    own = 0
    for page in listings:
        folder = base + page.parent.relative_to(site).as_posix() + "/"
        hrefs = [link.get("href") for link in parse(page).links if link.get("rel") == "alternate"]
        own += (folder + "feed.xml") in hrefs
    assert own >= 2


def news_article(page: Path) -> dict[str, Any]:
    scripts = parse(page).scripts
    assert len(scripts) == 1, page
    data = json.loads(scripts[0])
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize("case", sorted(BASES))
def test_every_story_has_complete_news_article_json_ld(published: Published, case: str) -> None:
    site, base = published.site(case), BASES[case]
    stories = story_pages(site)
    assert len(stories) >= 6
    for page in stories:
        data = news_article(page)
        where = page.relative_to(site)
        assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
        assert data["headline"] and data["description"], where
        assert data["url"] == base + where.as_posix().removesuffix("index.html")
        assert data["publisher"]["@type"] == "NewsMediaOrganization"
        assert data["publisher"]["name"] == "Sahel Brief"
        assert data["author"]["@type"] in ("Person", "Organization", "NewsMediaOrganization")
        assert data["author"]["name"]
        assert data["inLanguage"] in ("en", "fr")
        if "undated" not in where.as_posix() and data.get("datePublished"):
            assert data["dateModified"] >= data["datePublished"]


def story(site: Path, slug: str) -> dict[str, Any]:
    return news_article(site / "articles" / slug / "index.html")


def test_json_ld_fields_from_front_matter_and_detection(published: Published) -> None:
    site = published.site("subpath")
    fuel = story(site, "fuel-blockade-tightens-around-bamako-as-jnim-targets-convoys")
    assert fuel["datePublished"] == "2026-11-18T00:00:00+00:00"
    assert fuel["author"] == {"@type": "Person", "name": "Aminata Diallo"}
    assert fuel["isBasedOn"]["url"] == "https://wire.example.net/2026/11/18/bamako-fuel"
    assert fuel["isBasedOn"]["publisher"]["name"] == "Sahel Wire"
    assert fuel["dateline"] == "Mali"
    assert {"@type": "Country", "name": "Mali", "identifier": "ML"} in fuel["contentLocation"]
    assert "JNIM" in fuel["keywords"]

    coup = story(site, "burkina-faso-junta-says-it-foiled-a-coup-attempt-in-ouagadougou")
    assert coup["author"]["@type"] == "Organization"  # "The Sahel Brief desk"
    assert coup["dateModified"] == "2026-11-23T00:00:00+00:00"
    assert coup["correction"] == [
        {
            "@type": "CorrectionComment",
            "text": "An earlier version said twelve officers were arrested; the government "
            "said nine.",
            "datePublished": "2026-11-23T00:00:00+00:00",
        }
    ]
    assert coup["dateline"] == "Burkina Faso"

    niger = story(site, "le-niger-rouvre-la-frontiere-avec-le-benin-a-gaya")
    assert niger["inLanguage"] == "fr"


def test_json_ld_cannot_close_its_script(published: Published) -> None:
    page = published.site("root") / "articles"
    chad = next(page.glob("chad-*/index.html"))
    html = chad.read_text(encoding="utf-8")
    block = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in block and ">" not in block
    assert "\\u003c/script\\u003e" in block
    data = json.loads(block)
    assert (
        data["headline"] == "Chad: <script>alert('x')</script> election results </script> delayed"
    )
    assert data["isBasedOn"]["url"] == "https://ndjamena.example.net/results?a=1&b=2"
    assert not re.search(r"<script>alert", html)
