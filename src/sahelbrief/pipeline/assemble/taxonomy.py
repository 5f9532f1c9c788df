"""Topics, countries and sources: each gets a page listing its stories, and each kind an index
page listing its terms with their story counts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import partial

from sahelbrief import countries
from sahelbrief.config import Config
from sahelbrief.model import Entry, Link, Page, Taxonomy, Term, newest_first
from sahelbrief.pipeline.assemble.paginate import entry_pages, link_pages
from sahelbrief.pipeline.assemble.reuse import KnownPages
from sahelbrief.pipeline.assemble.urls import output
from sahelbrief.slugs import safe_slug

TAXONOMIES: tuple[Taxonomy, ...] = ("topics", "countries", "sources")
Filed = tuple[tuple[Term, tuple[Entry, ...]], ...]


def by_name(name: str) -> str:
    """Alphabetical order a reader expects: "Éthiopie" between "Égypte" and "Gabon", not last."""
    return countries.fold(name).casefold()


def term(taxonomy: Taxonomy, name: str, slug: str | None = None) -> Term:
    slug = slug or safe_slug(name) or taxonomy.rstrip("s")
    return Term(taxonomy, slug, name, f"/{taxonomy}/{slug}/")


def with_terms(entry: Entry, language: str) -> Entry:
    """The entry with its topics, countries and source (as terms that link to their pages),
    the countries named in the site's `language`."""
    article = entry.article
    places = [countries.all_countries()[code] for code in article.countries]
    return replace(
        entry,
        topics=tuple(term("topics", name) for name in article.topics),
        countries=tuple(term("countries", c.name(language), c.slug) for c in places),
        source=term("sources", article.outlet.name) if article.outlet else None,
    )


def file_entries(stories: Sequence[Entry]) -> Filed:
    """Every term with the listed stories filed under it, newest first; terms sorted by kind,
    then name. Two names with one slug ("Coups", "coups") share the first name's page."""
    filed: dict[tuple[str, str], tuple[Term, list[Entry]]] = {}
    for entry in stories:
        terms = [*entry.topics, *entry.countries, *([entry.source] if entry.source else [])]
        for found in terms:
            filed.setdefault((found.taxonomy, found.slug), (found, []))[1].append(entry)
    order = {name: n for n, name in enumerate(TAXONOMIES)}
    ranked = sorted(filed.values(), key=lambda f: (order[f[0].taxonomy], by_name(f[0].name)))
    by_source = {e.article.source: e for e in stories}
    return tuple(
        (found, tuple(by_source[a.source] for a in newest_first(e.article for e in entries)))
        for found, entries in ranked
    )


def only_filed(entry: Entry, filed: Filed) -> Entry:
    """An unlisted (expired) entry keeps only the terms that have pages through other stories,
    so its page links to no missing term page."""
    pages = {(t.taxonomy, t.slug) for t, _ in filed}

    def keep(terms: tuple[Term, ...]) -> tuple[Term, ...]:
        return tuple(t for t in terms if (t.taxonomy, t.slug) in pages)

    source = (
        entry.source
        if entry.source and (entry.source.taxonomy, entry.source.slug) in pages
        else None
    )
    return replace(entry, topics=keep(entry.topics), countries=keep(entry.countries), source=source)


def term_pages(filed: Filed, config: Config, reuse: KnownPages) -> list[Page]:
    pages: list[Page] = []
    for taxonomy in TAXONOMIES:
        mine = [(t, entries) for t, entries in filed if t.taxonomy == taxonomy]
        index_url = f"/{taxonomy}/"
        links = [Link(t.name, t.url, len(entries)) for t, entries in mine]
        index = Page("terms.html", index_url, output(index_url), taxonomy.capitalize())
        pages += reuse.listing(
            "links", index, links, partial(link_pages, index, links, config.per_page)
        )
        for found, entries in mine:
            listing = Page("listing.html", found.url, output(found.url), found.name, term=found)
            pages += reuse.listing(
                "entries",
                listing,
                entries,
                partial(entry_pages, listing, entries, config.per_page),
            )
    return pages
