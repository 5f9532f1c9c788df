"""The classify stage: pure. Gives every article its topics, countries and language.

What front matter says is kept; what it leaves out is detected. Topics and countries are read
from the lead only (headline, summary, dek and the first `lead_paragraphs` kept body
paragraphs), so a passing mention further down does not tag a story. Language is read from all
the kept text, and falls back to the site's language when the detector cannot tell.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

import xxhash

from sahelbrief import countries
from sahelbrief.config import Config, Gazetteer
from sahelbrief.model import Article
from sahelbrief.pipeline.classify.language import detect
from sahelbrief.pipeline.classify.topics import TopicFinder

LANGUAGE_SAMPLE = 40  # kept paragraphs read for language detection; plenty for a verdict


@dataclass(frozen=True)
class ClassifySettings:
    """All that the stage reads of the configuration. The build cache keeps each article's
    classification under these (pipeline/__init__.py), so a setting the stage does not read
    (the title, search) classifies nothing again."""

    topics: Gazetteer
    lead_paragraphs: int
    language: str

    @classmethod
    def of(cls, config: Config) -> ClassifySettings:
        return cls(config.topics, config.lead_paragraphs, config.language)


@dataclass(frozen=True)
class Found:
    """What classify gives an article."""

    topics: tuple[str, ...]
    countries: tuple[str, ...]
    language: str


def classify(
    articles: Iterable[Article],
    settings: ClassifySettings,
    early: Mapping[bytes, object] | None = None,
) -> tuple[Article, ...]:
    """`early`: what `findings` gave, by evidence, for articles as they were read (before
    dedupe, in the background); an article whose evidence dedupe changed is looked at again."""
    finder = TopicFinder(settings.topics)
    return tuple(_classify(a, settings, finder, early or {}) for a in articles)


def findings(articles: Sequence[Article], settings: ClassifySettings) -> dict[bytes, object]:
    """What classify finds in each of `articles`, by the digest of all it reads of them."""
    finder = TopicFinder(settings.topics)
    return {evidence(a, settings): _find(a, settings, finder) for a in articles if a.kind != "page"}


def evidence(article: Article, settings: ClassifySettings) -> bytes:
    """A digest of what classify reads of `article` (with `settings`, the same in a build)."""
    read = (
        article.topics,
        article.countries,
        article.language,
        lead_texts(article, settings.lead_paragraphs),
        _sample(article),
    )
    return xxhash.xxh3_128_digest(repr(read).encode())


def _classify(
    article: Article, settings: ClassifySettings, finder: TopicFinder, early: Mapping[bytes, object]
) -> Article:
    if article.kind == "page":
        return replace(article, language=article.language or settings.language)
    found = early.get(evidence(article, settings)) if early else None
    if not isinstance(found, Found):
        found = _find(article, settings, finder)
    return replace(article, topics=found.topics, countries=found.countries, language=found.language)


def _find(article: Article, settings: ClassifySettings, finder: TopicFinder) -> Found:
    lead = lead_texts(article, settings.lead_paragraphs)
    topics = (
        tuple(dict.fromkeys(finder.canonical(t) for t in article.topics))
        if article.topics
        else finder.find(lead)
    )
    language = article.language or detect(_sample(article)) or settings.language
    return Found(topics, article.countries or countries.find(lead), language)


def lead_texts(article: Article, paragraphs: int) -> list[str]:
    """Headline, summary, dek and the first `paragraphs` kept body paragraphs."""
    texts = [article.title]
    texts += [article.summary] if article.summary else [p.text for p in article.kept("summary")]
    texts += [article.dek] if article.dek else [p.text for p in article.kept("dek")]
    texts += [p.text for p in article.kept("body")[:paragraphs]]
    return texts


def _sample(article: Article) -> list[str]:
    return [article.title] + [p.text for p in article.kept()[:LANGUAGE_SAMPLE]]
