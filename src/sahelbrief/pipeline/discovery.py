"""After assemble, pure: what lets readers and machines find the stories. Chooses the feeds
(the whole site, then each topic and country listing), adds the search page, and fixes the
build's reference time ("now") for the machine-readable files.

Kept apart from assemble so the site's structure and its syndication can change independently.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import replace

from sahelbrief.clock import last_change, moment
from sahelbrief.config import Config
from sahelbrief.model import Entry, Feed, Page, Site, newest_first

log = logging.getLogger(__name__)
SEARCH_URL = "/search/"
FEED_TAXONOMIES = ("topics", "countries")


def discover(site: Site, config: Config, source_date_epoch: int | None = None) -> Site:
    """Feeds for the whole site and for each topic and country page. `source_date_epoch` is
    SOURCE_DATE_EPOCH when the environment sets it."""
    stories = [e for e in site.entries if e.article.kind == "article"]
    feeds = [Feed("/", config.title, _newest(stories, config.feed_limit))]
    feeds += [
        Feed(term.url, f"{term.name} · {config.title}", _newest(entries, config.feed_limit))
        for term, entries in sorted(site.terms, key=lambda item: item[0].url)
        if term.taxonomy in FEED_TAXONOMIES
    ]
    if config.origin is None:
        log.info(
            "base_url %r is a path: no feeds, sitemaps or robots.txt are written (they need the "
            "full address, e.g. https://example.net/brief/)",
            config.base_url,
        )
    pages = site.pages
    if config.search:
        pages += (Page("search.html", SEARCH_URL, "search/index.html", "Search"),)
    return replace(
        site,
        pages=pages,
        feeds=tuple(feeds),
        now=reference_time(stories, config, source_date_epoch),
    )


def reference_time(
    entries: Iterable[Entry], config: Config, source_date_epoch: int | None
) -> dt.datetime | None:
    """SOURCE_DATE_EPOCH when given, else the start of the newest article's day (in the site's
    time zone), else None. Never the wall clock: two builds of one input must match."""
    if source_date_epoch is not None:
        return dt.datetime.fromtimestamp(source_date_epoch, dt.timezone.utc)
    dates = [last_change(e.article) for e in entries]
    latest = max((d for d in dates if d is not None), default=None)
    return moment(latest, config.timezone) if latest else None


def _newest(entries: Iterable[Entry], limit: int) -> tuple[Entry, ...]:
    """The newest `limit` stories still listed (an expired story leaves the feeds too)."""
    by_source = {e.article.source: e for e in entries if e.listed and e.article.kind == "article"}
    ordered = newest_first(e.article for e in by_source.values())
    return tuple(by_source[a.source] for a in ordered[:limit])
