"""Archives: /archive/ lists the editions, newest first; /archive/YYYY/ a year's months;
/archive/YYYY/MM/ a month's stories, day by day. Every list is paginated."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from functools import partial

from sahelbrief.config import Config
from sahelbrief.model import Entry, Link, Page
from sahelbrief.pipeline.assemble.editions import by_day
from sahelbrief.pipeline.assemble.paginate import link_pages, paginate
from sahelbrief.pipeline.assemble.reuse import KnownPages
from sahelbrief.pipeline.assemble.urls import output

ARCHIVE = "/archive/"


def archive_pages(
    stories: Sequence[Entry], editions: Sequence[Link], config: Config, reuse: KnownPages
) -> list[Page]:
    """`stories`: listed articles, newest first; `editions`: links to the editions, newest
    first (the undated page last, when there is one)."""
    months: dict[dt.date, list[Entry]] = {}
    for entry in stories:
        if entry.article.date:
            months.setdefault(entry.article.date.replace(day=1), []).append(entry)
    for link in editions:
        if link.date:  # a day with only an editor's note still makes its month exist
            months.setdefault(link.date.replace(day=1), [])
    years = sorted({m.year for m in months}, reverse=True)
    year_links = tuple(
        Link(
            str(year),
            f"{ARCHIVE}{year}/",
            sum(len(v) for m, v in months.items() if m.year == year),
            dt.date(year, 1, 1),
        )
        for year in years
    )
    index = Page("archive.html", ARCHIVE, output(ARCHIVE), "Archive", nav=year_links)
    pages = reuse.listing(
        "links", index, editions, partial(link_pages, index, editions, config.per_page)
    )
    for year, year_link in zip(years, year_links, strict=True):
        mine = {m: entries for m, entries in sorted(months.items(), reverse=True) if m.year == year}
        pages += _year(year_link, year_links, mine, config, reuse)
    return pages


def _year(
    link: Link,
    years: tuple[Link, ...],
    months: dict[dt.date, list[Entry]],
    config: Config,
    reuse: KnownPages,
) -> list[Page]:
    """A year's page (its months) and each month's pages (its stories, day by day)."""
    month_links = tuple(
        Link(f"{m:%Y-%m}", f"{ARCHIVE}{m:%Y/%m}/", len(entries), m) for m, entries in months.items()
    )
    page = Page("archive.html", link.url, output(link.url), link.title, date=link.date, nav=years)
    pages = reuse.listing(
        "links", page, month_links, partial(link_pages, page, month_links, config.per_page)
    )
    for month_link, entries in zip(month_links, months.values(), strict=True):
        month = Page(
            "listing.html",
            month_link.url,
            output(month_link.url),
            month_link.title,
            date=month_link.date,
            nav=month_links,
        )
        pages += reuse.listing(
            "days", month, entries, partial(paginate, month, entries, config.per_page, _days)
        )
    return pages


def _days(page: Page, part: Sequence[Entry]) -> Page:
    return replace(page, entries=tuple(part), sections=by_day(part))
