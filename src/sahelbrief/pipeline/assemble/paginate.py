"""Pagination: every long list is cut into pages of `per_page` items, so no page lists every
article of a large site."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TypeVar

from sahelbrief.model import Entry, Link, Page, Pagination
from sahelbrief.pipeline.assemble.urls import output, page_url

T = TypeVar("T")


def chunks(items: Sequence[T], per_page: int) -> list[Sequence[T]]:
    """`items` in pages of `per_page`; an empty list still has one (empty) page."""
    count = max(1, math.ceil(len(items) / per_page))
    return [items[i * per_page : (i + 1) * per_page] for i in range(count)]


def paginate(
    page: Page,
    items: Sequence[T],
    per_page: int,
    fill: Callable[[Page, Sequence[T]], Page],
) -> list[Page]:
    """`page` (its url is page 1's) repeated once per chunk of `items`, numbered and linked;
    `fill` puts a chunk on its page."""
    parts = chunks(items, per_page)
    urls = [page_url(page.url, n) for n in range(1, len(parts) + 1)]
    return [
        fill(
            replace(
                page,
                url=url,
                output=output(url),
                pagination=Pagination(
                    number,
                    len(parts),
                    urls[number - 2] if number > 1 else None,
                    urls[number] if number < len(parts) else None,
                ),
            ),
            part,
        )
        for number, (url, part) in enumerate(zip(urls, parts, strict=True), 1)
    ]


def entry_pages(page: Page, entries: Sequence[Entry], per_page: int) -> list[Page]:
    return paginate(page, entries, per_page, lambda p, part: replace(p, entries=tuple(part)))


def link_pages(page: Page, links: Sequence[Link], per_page: int) -> list[Page]:
    return paginate(page, links, per_page, lambda p, part: replace(p, links=tuple(part)))
