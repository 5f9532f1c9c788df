"""Editions: a briefing comes out daily. Each day with stories or an editor's note has its page
(/briefs/YYYY-MM-DD/), its stories grouped by country or topic under the note; the front page
is the latest edition. Stories with no date have their own page, /briefs/undated/, linked from
the archive and shown after the latest edition on the front page, because putting them in any
dated edition would misdate them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial

from sahelbrief.config import Config
from sahelbrief.model import Entry, Link, Page, Section, Term
from sahelbrief.pipeline.assemble.paginate import paginate
from sahelbrief.pipeline.assemble.reuse import KnownPages
from sahelbrief.pipeline.assemble.taxonomy import by_name
from sahelbrief.pipeline.assemble.urls import edition_url, output

UNDATED = "undated"


def group(entries: Sequence[Entry], by: str) -> tuple[Section, ...]:
    """Stories under their first country (or first topic), the biggest group first, then by
    name; stories with neither last, under a section with no title ("other stories")."""
    groups: dict[str, tuple[Term | None, list[Entry]]] = {}
    for entry in entries:
        terms = entry.countries if by == "country" else entry.topics
        key = terms[0].slug if terms else ""
        groups.setdefault(key, (terms[0] if terms else None, []))[1].append(entry)
    ranked = sorted(
        groups.values(),
        key=lambda g: (g[0] is None, -len(g[1]), by_name(g[0].name) if g[0] else ""),
    )
    return tuple(
        Section(found.name if found else "", found.url if found else None, tuple(members))
        for found, members in ranked
    )


def by_day(entries: Sequence[Entry]) -> tuple[Section, ...]:
    """Consecutive stories of one day under that day's edition, in the order given."""

    def day_of(entry: Entry) -> Section:
        day = entry.article.date.isoformat() if entry.article.date else ""
        return Section(day, edition_url(day or UNDATED), (), day=True)

    return runs(entries, day_of)


def runs(entries: Sequence[Entry], heading: Callable[[Entry], Section]) -> tuple[Section, ...]:
    """Consecutive entries with the same heading gathered under it, order kept: how one page
    of a grouped list shows its part of the groups."""
    gathered: list[tuple[Section, list[Entry]]] = []
    for entry in entries:
        empty = heading(entry)
        if gathered and (gathered[-1][0].title, gathered[-1][0].url) == (empty.title, empty.url):
            gathered[-1][1].append(entry)
        else:
            gathered.append((empty, [entry]))
    return tuple(replace(empty, entries=tuple(some)) for empty, some in gathered)


def edition_pages(
    stories: Sequence[Entry], notes: Sequence[Entry], config: Config, reuse: KnownPages
) -> tuple[list[Page], list[Link]]:
    """Every edition's pages and the front page; and a link to each edition (newest first) for
    the archive. `stories` are listed articles, newest first; `notes` the editors' notes."""
    days: dict[dt.date, list[Entry]] = {}
    for entry in stories:
        if entry.article.date:
            days.setdefault(entry.article.date, []).append(entry)
    note_of = {n.article.date: n for n in notes if n.article.date}
    dates = sorted(set(days) | set(note_of), reverse=True)
    links = [
        Link(d.isoformat(), edition_url(d.isoformat()), len(days.get(d, ())), d) for d in dates
    ]
    undated = [e for e in stories if e.article.date is None]
    undated_link = Link(UNDATED, edition_url(UNDATED), len(undated)) if undated else None
    pages: list[Page] = []
    for number, day in enumerate(dates):
        edition = Page(
            "edition.html",
            links[number].url,
            output(links[number].url),
            day.isoformat(),
            note=note_of.get(day),
            date=day,
            earlier=links[number + 1] if number + 1 < len(links) else None,
            later=links[number - 1] if number else None,
        )
        stories_of_day = days.get(day, [])
        pages += reuse.listing(
            "edition", edition, stories_of_day, partial(_grouped, edition, stories_of_day, config)
        )
        if number == 0:
            front = replace(
                edition, url="/", output=output("/"), nav=_also(undated_link), front=True
            )
            front_pages = _grouped(front, stories_of_day, config)
            if undated_link:
                # Undated stories belong to no day, but they are news all the same: the front
                # page shows the first of them after the latest edition's own stories.
                first = front_pages[0]
                shown = Section(
                    UNDATED, undated_link.url, tuple(undated[: config.per_page]), day=True
                )
                front_pages[0] = replace(first, sections=(*first.sections, shown))
            pages += front_pages
    if undated_link:
        page = Page("edition.html", undated_link.url, output(undated_link.url), UNDATED)
        pages += reuse.listing("edition", page, undated, partial(_grouped, page, undated, config))
    if not dates:
        # No dated edition yet: the front page shows the undated stories, if any.
        pages += _grouped(
            Page("edition.html", "/", output("/"), UNDATED, front=True), undated, config
        )
    return pages, ([*links, undated_link] if undated_link else links)


def _also(link: Link | None) -> tuple[Link, ...]:
    return (link,) if link else ()


def _grouped(page: Page, entries: Sequence[Entry], config: Config) -> list[Page]:
    """An edition's pages: the whole day is grouped and ranked once, then paginated, so a
    group that runs over a page break continues at the top of the next page."""
    ranked = group(entries, config.edition_group)
    heading: dict[str, Section] = {}
    for section in ranked:
        empty = replace(section, entries=())  # one per group, not one per story
        heading.update((e.article.source, empty) for e in section.entries)
    flat = [e for s in ranked for e in s.entries]
    return paginate(
        page,
        flat,
        config.per_page,
        lambda p, part: replace(
            p, entries=tuple(part), sections=runs(part, lambda e: heading[e.article.source])
        ),
    )
