"""The text edition: every page again under /text/, rendered by the theme's text/ templates
(plain minimal HTML: no stylesheet, images or scripts), each page linked to its twin."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from sahelbrief.model import TEXT_EDITION, Page
from sahelbrief.pipeline.assemble.reuse import KnownPages
from sahelbrief.pipeline.assemble.urls import output


def text_url(url: str) -> str:
    """A main-site URL's twin in the text edition ("/articles/x/" -> "/text/articles/x/")."""
    return TEXT_EDITION + url


def with_text_edition(pages: Iterable[Page], reuse: KnownPages) -> list[Page]:
    """Each page linked to its text twin, followed by the twins (the 404 page has none)."""
    main: list[Page] = []
    text: list[Page] = []
    for page in pages:
        if page.template == "404.html":
            main.append(page)
            continue
        linked, twin = reuse.twins(page, _twins)
        main.append(linked)
        text.append(twin)
    return main + text


def _twins(page: Page) -> tuple[Page, Page]:
    twin = text_url(page.url)
    return (
        replace(page, twin=twin),
        replace(
            page, template=f"text/{page.template}", url=twin, output=output(twin), twin=page.url
        ),
    )
