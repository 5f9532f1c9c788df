"""Feeds, sitemaps and JSON-LD from hand-made sites: pure functions, no build."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET

import feedparser
import pytest

from sahelbrief.config import Config
from sahelbrief.model import Article, Correction, Entry, Feed, Outlet, Page, Paragraph, Site
from sahelbrief.pipeline.render.feeds import feed_files, feed_links
from sahelbrief.pipeline.render.jsonld import news_article, script
from sahelbrief.pipeline.render.sitemaps import MAX_NEWS, news_entries, sitemap_files
from sahelbrief.pipeline.render.view import ViewSettings, view

ABSOLUTE = Config(base_url="https://example.org/brief/")
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def story(n: int, day: dt.date | None, **changes: object) -> Entry:
    article = Article(
        source=f"content/{n:05d}.md",
        format="markdown",
        title=str(changes.pop("title", f"Story {n}")),
        title_line=2,
        paragraphs=(Paragraph(6, "body", str(changes.pop("body", f"Body of story {n}."))),),
        slug=f"story-{n}",
        date=day,
        **changes,  # type: ignore[arg-type]
    )
    return Entry(article, f"/articles/story-{n}/", f"articles/story-{n}/index.html")


def site_of(entries: list[Entry], now: dt.datetime | None = None) -> Site:
    pages = tuple(Page("article.html", e.url, e.output, e.article.title, entry=e) for e in entries)
    return Site(pages, tuple(entries), (), now=now)


def files(feed: Feed, config: Config = ABSOLUTE) -> dict[str, bytes]:
    views = {e.article.source: view(e, ViewSettings.of(config)) for e in feed.entries}
    return {f.path: f.data for f in feed_files(feed, config, views, None)}


def test_a_bare_path_base_url_writes_no_feeds_sitemaps_or_alternate_links() -> None:
    config = Config(base_url="/brief/")
    entries = [story(1, dt.date(2026, 11, 20))]
    assert files(Feed("/", "Brief", tuple(entries)), config) == {}
    assert list(sitemap_files(site_of(entries), config)) == []
    assert feed_links(Feed("/", "Brief", ()), config) == []


def test_control_characters_and_markup_in_sources_stay_text_in_valid_xml() -> None:
    entry = story(1, dt.date(2026, 11, 20), title="Bad \x0b title </title><x>", author="A & B")
    out = files(Feed("/topics/x/", "X", (entry,)))
    assert sorted(out) == ["topics/x/feed.json", "topics/x/feed.xml", "topics/x/rss.xml"]
    for name in ("topics/x/feed.xml", "topics/x/rss.xml"):
        ET.fromstring(out[name])
        parsed = feedparser.parse(out[name])
        assert not parsed.bozo, parsed.bozo_exception
        assert parsed.entries[0].title == "Bad  title </title><x>"
    assert json.loads(out["topics/x/feed.json"])["items"][0]["authors"] == [{"name": "A & B"}]


def test_feed_times_come_from_stories_and_corrections_not_the_clock() -> None:
    corrected = story(
        1,
        dt.date(2026, 11, 20),
        updated=dt.date(2026, 11, 21),
        corrections=(Correction(dt.date(2026, 11, 22), "Nine, not twelve."),),
    )
    undated = story(2, None)
    out = files(Feed("/", "Brief", (corrected, undated)))
    atom = feedparser.parse(out["feed.xml"])
    assert atom.feed.updated == "2026-11-22T00:00:00Z"
    assert atom.entries[0].updated == "2026-11-22T00:00:00Z"
    assert atom.entries[0].published == "2026-11-20T00:00:00Z"
    assert "Correction, 2026-11-22:" in atom.entries[0].content[0].value
    # An undated story takes the feed's time: it never makes the feed look newer.
    assert atom.entries[1].updated == "2026-11-22T00:00:00Z"


def test_time_zone_of_the_site_is_in_every_time() -> None:
    config = Config(base_url="https://example.org/", timezone="Africa/Niamey")
    out = files(Feed("/", "Brief", (story(1, dt.date(2026, 11, 20)),)), config)
    assert b"<updated>2026-11-20T00:00:00+01:00</updated>" in out["feed.xml"]
    assert b"<pubDate>Fri, 20 Nov 2026 00:00:00 +0100</pubDate>" in out["rss.xml"]


def test_sitemap_becomes_an_index_past_the_url_limit() -> None:
    entries = [story(n, dt.date(2026, 1, 1) + dt.timedelta(days=n % 300)) for n in range(7)]
    out = {f.path: f.data for f in sitemap_files(site_of(entries), ABSOLUTE, per_file=3)}
    assert sorted(out) == [
        "news-sitemap.xml",
        "robots.txt",
        "sitemap-1.xml",
        "sitemap-2.xml",
        "sitemap-3.xml",
        "sitemap.xml",
    ]
    index = ET.fromstring(out["sitemap.xml"])
    assert index.tag == f"{SM}sitemapindex"
    assert [loc.text for loc in index.iter(f"{SM}loc")] == [
        f"https://example.org/brief/sitemap-{n}.xml" for n in (1, 2, 3)
    ]
    urls = [loc.text for n in (1, 2, 3) for loc in ET.fromstring(out[f"sitemap-{n}.xml"]).iter()]
    assert sum(1 for u in urls if u and u.startswith("https://")) == 7


def test_the_default_limit_is_the_protocols_50000() -> None:
    entries = [story(n, None) for n in range(50_001)]
    out = {f.path: f.data for f in sitemap_files(site_of(entries), ABSOLUTE)}
    assert "sitemap-2.xml" in out and b"<sitemapindex" in out["sitemap.xml"]
    assert out["sitemap-1.xml"].count(b"<url>") == 50_000
    assert out["sitemap-2.xml"].count(b"<url>") == 1


def test_news_sitemap_window_is_two_days_before_now_and_at_most_1000() -> None:
    now = dt.datetime(2026, 11, 24, 18, tzinfo=dt.timezone.utc)
    days = [
        dt.date(2026, 11, 25),
        dt.date(2026, 11, 24),
        dt.date(2026, 11, 23),
        dt.date(2026, 11, 22),
    ]
    entries = [story(n, day) for n, day in enumerate(days)]
    picked = news_entries(site_of(entries, now), ABSOLUTE)
    # The future story and the one from 66 hours before are out.
    assert [e.article.date for e in picked] == [dt.date(2026, 11, 24), dt.date(2026, 11, 23)]
    many = [story(n, dt.date(2026, 11, 24)) for n in range(MAX_NEWS + 5)]
    assert len(news_entries(site_of(many, now), ABSOLUTE)) == MAX_NEWS
    assert news_entries(site_of(many, None), ABSOLUTE) == []


@pytest.mark.parametrize(
    ("author", "kind"),
    [
        ("Aminata Diallo", "Person"),
        ("The Sahel Brief desk", "Organization"),
        ("Rédaction de Niamey", "Organization"),
        (None, "NewsMediaOrganization"),
    ],
)
def test_json_ld_author_is_a_person_or_an_organisation(author: str | None, kind: str) -> None:
    entry = story(1, dt.date(2026, 11, 20), author=author)
    data = news_article(entry, view(entry, ViewSettings.of(ABSOLUTE)), ABSOLUTE)
    assert data["author"]["@type"] == kind


def test_json_ld_script_escapes_what_could_end_it() -> None:
    entry = story(
        1,
        dt.date(2026, 11, 20),
        title="</script><script>alert(1)</script> & <!--",
        outlet=Outlet("X & Y", "https://x.example/?a=1&b=<2>"),
        countries=("TD",),
        language="fr",
    )
    data = news_article(entry, view(entry, ViewSettings.of(ABSOLUTE)), ABSOLUTE)
    html = str(script(data))
    inner = html.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert "<" not in inner and ">" not in inner and "&" not in inner
    assert json.loads(inner) == data
    assert data["dateline"] == "Tchad"  # the story's language
    assert data["contentLocation"] == [{"@type": "Country", "name": "Chad", "identifier": "TD"}]
    assert data["inLanguage"] == "fr"


@pytest.mark.parametrize("count", [0, 1, 3])
def test_the_urlset_is_byte_for_byte_what_elementtree_writes(count: int) -> None:
    from sahelbrief.pipeline.render import sitemaps
    from sahelbrief.pipeline.render.xmlout import serialize, text

    entries = [story(n, dt.date(2026, 11, 20) if n % 2 else None) for n in range(count)]
    pages = [
        *(Page("article.html", e.url, e.output, e.article.title, entry=e) for e in entries),
        *(
            Page("page.html", url, "x/index.html", "X")
            for url in ["/a&b/<c>/", "/quote\"'/", "/ctl\x0bchar/", "/é/"][:count]
        ),
    ]
    reference = ET.Element("urlset", {"xmlns": sitemaps.SITEMAP_NS})
    for page in pages:
        node = ET.SubElement(reference, "url")
        text(node, "loc", sitemaps._absolute(page.url, ABSOLUTE))
        modified = sitemaps._modified(page)
        if modified:
            text(node, "lastmod", modified.isoformat())
    assert sitemaps._urlset(pages, ABSOLUTE) == serialize(reference)
