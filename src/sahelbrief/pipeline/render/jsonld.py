"""schema.org NewsArticle as JSON-LD, embedded so that no source text can end the script.

`<`, `>` and `&` are written as JSON \\u escapes: a headline containing `</script>` stays inside
the JSON, and the JSON still parses to the same text.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from markupsafe import Markup

from sahelbrief import countries
from sahelbrief.clock import last_change, moment
from sahelbrief.config import Config
from sahelbrief.model import Entry
from sahelbrief.pipeline.render.view import ArticleView

# An author line naming a desk or a newsroom is an organisation, not a person.
_ORGANISATION = re.compile(
    r"\b(desk|staff|team|newsroom|bureau|editors?|agency|service|rédaction|équipe)\b",
    re.IGNORECASE,
)
_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


def news_article(entry: Entry, view: ArticleView, config: Config) -> dict[str, Any]:
    article = entry.article
    url = config.external(entry.url) or config.absolute(entry.url)
    publisher = _publisher(config)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": url + "#article",
        "url": url,
        "mainEntityOfPage": url,
        "headline": article.title,
        "description": view.teaser.striptags() if view.teaser else config.description,
        "inLanguage": article.language or config.language,
    }
    changed = last_change(article)
    if article.date and changed:
        data["datePublished"] = _time(article.date, config)
        data["dateModified"] = _time(changed, config)
    data["author"] = _author(article.author, publisher)
    data["publisher"] = publisher
    if article.outlet:
        based_on: dict[str, Any] = {
            "@type": "CreativeWork",
            "publisher": {"@type": "Organization", "name": article.outlet.name},
        }
        if article.outlet.url:
            based_on["url"] = article.outlet.url
            based_on["publisher"]["url"] = article.outlet.url
        data["isBasedOn"] = based_on
    if article.topics:
        data["keywords"] = list(article.topics)
    places = [countries.all_countries().get(code) for code in article.countries]
    named = [place for place in places if place is not None]
    if named:
        # The dateline is the story's most prominent place; every place is a contentLocation.
        data["dateline"] = named[0].name(article.language or config.language)
        data["contentLocation"] = [
            {"@type": "Country", "name": place.english, "identifier": place.code} for place in named
        ]
    if article.corrections:
        data["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": correction.text,
                "datePublished": _time(correction.date, config),
            }
            for correction in article.corrections
        ]
    return data


def script(data: dict[str, Any]) -> Markup:
    """`data` as a `<script type="application/ld+json">` element, safe to put in a page."""
    encoded = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False)
    for char, escape in _UNSAFE.items():
        encoded = encoded.replace(char, escape)
    return Markup('<script type="application/ld+json">\n{}\n</script>').format(Markup(encoded))


def _publisher(config: Config) -> dict[str, Any]:
    publisher: dict[str, Any] = {"@type": "NewsMediaOrganization", "name": config.title}
    home = config.external("/")
    if home:
        publisher["url"] = home
    return publisher


def _author(name: str | None, publisher: dict[str, Any]) -> dict[str, Any]:
    if not name or name == publisher["name"]:
        return publisher
    kind = "Organization" if _ORGANISATION.search(name) else "Person"
    return {"@type": kind, "name": name}


def _time(day: dt.date, config: Config) -> str:
    return moment(day, config.timezone).isoformat()
