"""Exact repeats: paragraphs whose normalised keys are equal (see sahelbrief.normalize)."""

from __future__ import annotations

from sahelbrief.model import Paragraph, Ref, Removal
from sahelbrief.normalize import match_key


class ExactIndex:
    """First occurrences of each key, within the current article and, when `site_wide`, across
    the articles visited before it.

    Titles are compared within their own article only: two stories may share a headline, and
    removing one would leave a page without a title.
    """

    def __init__(self, site_wide: bool) -> None:
        self._site_wide = site_wide
        self._site: dict[str, Ref] = {}
        self._article: dict[str, Ref] = {}
        self._titles: dict[str, Ref] = {}
        self._source = ""

    def start_article(self, source: str) -> None:
        if self._site_wide:
            for key, ref in self._article.items():
                self._site.setdefault(key, ref)
        self._article, self._titles = {}, {}
        self._source = source

    def check(self, paragraph: Paragraph) -> Removal | None:
        """The removal for `paragraph` if it repeats one seen before; else remember it."""
        key = match_key(paragraph.text)
        if not key:
            return None
        seen = self._titles if paragraph.role == "title" else self._article
        first = seen.get(key) or (None if paragraph.role == "title" else self._site.get(key))
        if first is not None:
            return Removal("exact", first, 1.0)
        seen[key] = Ref(self._source, paragraph.line)
        return None
