"""Every feed of the realistic site parses cleanly, in every format, with full content, stable
ids, absolute URLs and times taken from the stories themselves."""

from __future__ import annotations

import json
import re
from pathlib import Path

import feedparser
import pytest

from tests.published.fixture import BASES, Published, local_path

FORMATS = ("feed.xml", "rss.xml", "feed.json")


def feed_folders(site: Path) -> list[Path]:
    return sorted({p.parent for p in site.rglob("feed.xml") if "pagefind" not in p.parts})


@pytest.mark.parametrize("case", sorted(BASES))
def test_site_and_topic_and_country_feeds_exist_in_every_format(
    published: Published, case: str
) -> None:
    site = published.site(case)
    folders = feed_folders(site)
    assert site in folders
    assert any("topics" in f.relative_to(site).parts for f in folders), folders
    assert any("countries" in f.relative_to(site).parts for f in folders), folders
    for folder in folders:
        for name in FORMATS:
            assert (folder / name).is_file(), folder / name


@pytest.mark.parametrize("case", sorted(BASES))
@pytest.mark.parametrize("name", ["feed.xml", "rss.xml"])
def test_xml_feeds_parse_without_errors(published: Published, case: str, name: str) -> None:
    site = published.site(case)
    for folder in feed_folders(site):
        parsed = feedparser.parse((folder / name).read_bytes())
        where = (folder / name).relative_to(site)
        assert not parsed.bozo, f"{where}: {parsed.get('bozo_exception')}"
        assert parsed.version == ("atom10" if name == "feed.xml" else "rss20"), where
        assert parsed.entries, where
        ids = [e.id for e in parsed.entries]
        assert len(ids) == len(set(ids)), where
        for entry in parsed.entries:
            assert entry.id.startswith(BASES[case]), entry.id
            assert entry.link == entry.id
            assert entry.title
            assert entry.content[0].value.strip() if name == "feed.xml" else entry.description
            assert entry.published_parsed is not None


def test_site_feed_has_full_content_and_deterministic_updated(published: Published) -> None:
    site = published.site("root")
    atom = feedparser.parse((site / "feed.xml").read_bytes())
    # The newest story (or correction) decides "updated", never the clock.
    assert atom.feed.updated == "2026-11-24T00:00:00Z"
    by_title = {e.title: e for e in atom.entries}
    coup = by_title["Burkina Faso junta says it foiled a coup attempt in Ouagadougou"]
    assert coup.updated == "2026-11-23T00:00:00Z"
    assert coup.published == "2026-11-22T00:00:00Z"
    html = coup.content[0].value
    assert "arrested nine" in html and "state television" in html  # the whole story
    assert "Correction, November 23, 2026:" in html and "the government said nine" in html
    fuel = by_title["Fuel blockade tightens around Bamako as JNIM targets convoys"]
    assert fuel.author == "Aminata Diallo"
    # Links inside the content are absolute, so they work in a feed reader.
    assert 'href="https://example.org/briefs/2026-11-24/"' in fuel.content[0].value
    assert not re.search(r'(href|src)="/', fuel.content[0].value)
    # A headline that tries to close the markup arrives as text.
    chad = next(e for e in atom.entries if e.title.startswith("Chad:"))
    assert chad.title == "Chad: <script>alert('x')</script> election results </script> delayed"


def test_french_story_carries_its_language(published: Published) -> None:
    site = published.site("root")
    document = json.loads((site / "feed.json").read_text(encoding="utf-8"))
    niger = next(i for i in document["items"] if i["title"].startswith("Le Niger"))
    assert niger["language"] == "fr"
    atom = (site / "feed.xml").read_text(encoding="utf-8")
    assert '<entry xml:lang="fr">' in atom


@pytest.mark.parametrize("case", sorted(BASES))
def test_json_feeds_have_the_required_fields(published: Published, case: str) -> None:
    site, base = published.site(case), BASES[case]
    for folder in feed_folders(site):
        document = json.loads((folder / "feed.json").read_text(encoding="utf-8"))
        assert document["version"] == "https://jsonfeed.org/version/1.1"
        assert document["title"]
        assert document["feed_url"] == base + (folder / "feed.json").relative_to(site).as_posix()
        assert document["home_page_url"].startswith(base)
        assert isinstance(document["items"], list) and document["items"]
        for item in document["items"]:
            assert isinstance(item["id"], str) and item["id"]
            assert item.get("content_html") or item.get("content_text")
            assert item["url"].startswith(base)
            assert local_path(site, item["url"], base) is not None
            assert re.fullmatch(
                r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)", item["date_published"]
            )


def test_site_feed_stops_at_feed_limit(published: Published) -> None:
    document = json.loads((published.site("root") / "feed.json").read_text(encoding="utf-8"))
    # 6 stories in the project (the briefs, the page and the draft are not feed items); the
    # limit is 10.
    titles = [i["title"] for i in document["items"]]
    assert len(titles) == 6, titles
    assert titles[0] == "Africa Corps takes over Wagner bases in central Mali"
