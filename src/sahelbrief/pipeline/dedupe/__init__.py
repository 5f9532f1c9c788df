"""The dedupe stage: pure. Marks repeated paragraphs removed, and says why and of what.

Articles are visited in the site's canonical order (undated first, then by date, then by path),
so the first occurrence of a paragraph in that order is the one kept, whatever order the files
were read in. Nothing is deleted: a removed paragraph stays in its article, marked.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Literal

from sahelbrief.model import Article, Deduped, canonical_order
from sahelbrief.pipeline.dedupe.exact import ExactIndex

Scope = Literal["article", "site"]


def dedupe(articles: Iterable[Article], scope: Scope = "site") -> Deduped:
    index = ExactIndex(site_wide=scope == "site")
    result = []
    for article in canonical_order(articles):
        index.start_article(article.source)
        paragraphs = tuple(
            replace(p, removal=index.check(p)) if p.kept else p for p in article.paragraphs
        )
        result.append(replace(article, paragraphs=paragraphs))
    return Deduped(tuple(result))
