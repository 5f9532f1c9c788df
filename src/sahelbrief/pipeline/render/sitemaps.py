"""sitemap.xml (an index of numbered sitemaps past 50,000 URLs), the Google News sitemap and
robots.txt naming them. All need absolute URLs, so none is written when base_url is a bare
path."""

from __future__ import annotations

import datetime as dt
import html
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence

from sahelbrief.clock import last_change, moment, rfc3339
from sahelbrief.config import Config
from sahelbrief.model import Entry, OutputFile, Page, Site, newest_first
from sahelbrief.pipeline.render.xmlout import clean, serialize, text

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
ET.register_namespace("news", NEWS_NS)

SITEMAP = "sitemap.xml"
NEWS_SITEMAP = "news-sitemap.xml"
MAX_URLS = 50_000  # per sitemap file, by the protocol
MAX_NEWS = 1_000  # per news sitemap, by Google
NEWS_WINDOW = dt.timedelta(days=2)
# Pages a search engine should not list: the 404 page and the search page have no content, and
# the text edition's pages name their main-site twin as canonical.
# copy.html: a copy of another story, whose canonical URL is the story's (dedupe's merge).
UNLISTED = frozenset({"404.html", "search.html", "copy.html"})
TEXT_EDITION = "text/"


def sitemap_files(
    site: Site, config: Config, unlisted: frozenset[str] = UNLISTED, per_file: int = MAX_URLS
) -> Iterator[OutputFile]:
    if config.origin is None:
        return
    pages = [
        p
        for p in site.pages
        if p.template not in unlisted and not p.template.startswith(TEXT_EDITION)
    ]
    pages.sort(key=lambda p: p.url)
    chunks = [pages[i : i + per_file] for i in range(0, len(pages), per_file)] or [[]]
    if len(chunks) == 1:
        yield OutputFile(SITEMAP, _urlset(chunks[0], config))
    else:
        names = [f"sitemap-{n}.xml" for n in range(1, len(chunks) + 1)]
        for name, chunk in zip(names, chunks, strict=True):
            yield OutputFile(name, _urlset(chunk, config))
        yield OutputFile(SITEMAP, _index(names, pages, config))
    yield OutputFile(NEWS_SITEMAP, _news(site, config))
    if not any(s.path == "robots.txt" for s in site.static):
        yield OutputFile("robots.txt", _robots(config))


def news_entries(site: Site, config: Config) -> list[Entry]:
    """Stories published in the two days up to the build's "now", newest first, at most 1,000."""
    now = site.now
    if now is None:
        return []
    stories = {
        e.article.source: e for e in site.entries if e.article.kind == "article" and e.listed
    }
    recent = [
        a
        for a in newest_first(e.article for e in stories.values())
        if a.date and now - NEWS_WINDOW < moment(a.date, config.timezone) <= now
    ]
    return [stories[a.source] for a in recent[:MAX_NEWS]]


def _urlset(pages: Sequence[Page], config: Config) -> bytes:
    """What serialize() makes of the <urlset>, written directly: through ElementTree, the
    7,000 URLs of a 5,000-article site took a tenth of a second at every build (a test
    compares the two)."""
    head = f'<?xml version="1.0" encoding="utf-8"?>\n<urlset xmlns="{SITEMAP_NS}"'
    if not pages:
        return f"{head} />\n".encode()
    parts = [f"{head}>"]
    for page in pages:
        parts.append(f"\n  <url>\n    <loc>{_escape(clean(_absolute(page.url, config)))}</loc>")
        modified = _modified(page)
        if modified:
            parts.append(f"\n    <lastmod>{modified.isoformat()}</lastmod>")
        parts.append("\n  </url>")
    parts.append("\n</urlset>\n")
    return "".join(parts).encode("utf-8")


def _index(names: Sequence[str], pages: Sequence[Page], config: Config) -> bytes:
    root = ET.Element("sitemapindex", {"xmlns": SITEMAP_NS})
    for name in names:
        node = ET.SubElement(root, "sitemap")
        text(node, "loc", _absolute(name, config))
    return serialize(root)


def _news(site: Site, config: Config) -> bytes:
    root = ET.Element("urlset", {"xmlns": SITEMAP_NS})
    for entry in news_entries(site, config):
        article = entry.article
        language = news_language(article.language or config.language)
        assert article.date is not None  # news_entries keeps dated stories only
        node = ET.SubElement(root, "url")
        text(node, "loc", _absolute(entry.url, config))
        news = ET.SubElement(node, f"{{{NEWS_NS}}}news")
        publication = ET.SubElement(news, f"{{{NEWS_NS}}}publication")
        text(publication, f"{{{NEWS_NS}}}name", config.title)
        text(publication, f"{{{NEWS_NS}}}language", language)
        text(
            news,
            f"{{{NEWS_NS}}}publication_date",
            rfc3339(moment(article.date, config.timezone)),
        )
        text(news, f"{{{NEWS_NS}}}title", article.title)
    return serialize(root)


def news_language(tag: str) -> str:
    """Google News wants an ISO 639 code, except zh-cn and zh-tw."""
    lowered = tag.lower()
    return lowered if lowered in ("zh-cn", "zh-tw") else lowered.split("-")[0]


def _robots(config: Config) -> bytes:
    lines = [
        "User-agent: *",
        "Allow: /",
        "",
        f"Sitemap: {_absolute(SITEMAP, config)}",
        f"Sitemap: {_absolute(NEWS_SITEMAP, config)}",
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _modified(page: Page) -> dt.date | None:
    if page.entry is None:
        return None
    day = last_change(page.entry.article)
    return day.date() if isinstance(day, dt.datetime) else day


def _absolute(url: str, config: Config) -> str:
    absolute = config.external(url)
    assert absolute is not None  # callers return early when base_url is a bare path
    return absolute


def _escape(text: str) -> str:
    """&, < and > as entities (xml.sax.saxutils.escape, whose import pulls in urllib.request,
    http.client and ssl: 8 ms of every build's start)."""
    return html.escape(text, quote=False)
