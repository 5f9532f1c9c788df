"""What a page shows of the dedupe stage's decisions across articles: the sources that also
carried a story, the paragraphs a copy added, the note that stands in for a background
paragraph already published in another article, and the story a copy's page points to."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from sahelbrief.model import Article, Entry, Paragraph


@dataclass(frozen=True)
class SourceLink:
    """A source that carried the story: its name, and its own URL when the article has one."""

    name: str
    url: str | None


@dataclass(frozen=True)
class Addition:
    """Paragraphs only a copy of the story has, shown under the source that added them."""

    source: SourceLink
    paragraphs: tuple[Markup, ...]


@dataclass(frozen=True)
class RepeatNote:
    """Stands where a paragraph was removed because an earlier article already has it."""

    title: str
    url: str
    note: bool = True


@dataclass(frozen=True)
class StoryLinks:
    also_reported: tuple[SourceLink, ...] = ()
    additions: tuple[Addition, ...] = ()
    story: RepeatNote | None = None  # for a copy: the story it was merged into


def source_name(article: Article) -> SourceLink:
    if article.outlet is not None:
        return SourceLink(article.outlet.name, article.outlet.url)
    return SourceLink(article.title, None)


class Stories:
    """Cross-article links for every entry of the site."""

    def __init__(self, entries: Sequence[Entry], absolute: Callable[[str], str]) -> None:
        self._by_source = {e.article.source: e for e in entries}
        self._absolute = absolute
        self._copies: dict[str, list[Entry]] = defaultdict(list)
        for entry in entries:
            if entry.article.merged_into is not None:
                self._copies[entry.article.merged_into].append(entry)

    def links(self, entry: Entry, inline: Callable[[str], Markup]) -> StoryLinks:
        article = entry.article
        copies = self._copies.get(article.source, [])
        additions = tuple(
            Addition(source_name(c.article), paragraphs)
            for c in copies
            if (paragraphs := tuple(inline(p.text) for p in _added(c.article)))
        )
        story = None
        if article.merged_into is not None:
            story = self.note_for(article.merged_into)
        return StoryLinks(tuple(source_name(c.article) for c in copies), additions, story)

    def inputs(self, entry: Entry) -> tuple[list[RepeatNote | None], list[Article]]:
        """All that `links` and `body` take from other articles for `entry`: the notes (the
        story it was merged into, then one for each body paragraph) and its story's copies."""
        article = entry.article
        notes = [self.note_for(article.merged_into)] if article.merged_into is not None else []
        notes += [self._repeat(article, p) for p in article.paragraphs if p.role == "body"]
        return notes, [c.article for c in self._copies.get(article.source, [])]

    def note_for(self, source: str) -> RepeatNote | None:
        """The note pointing at article `source`, or at the story it was merged into."""
        entry = self._by_source.get(source)
        if entry is None:
            return None
        if entry.article.merged_into is not None:
            return self.note_for(entry.article.merged_into)
        return RepeatNote(entry.article.title, self._absolute(entry.url))

    def body(
        self, article: Article, render: Callable[[Sequence[Paragraph]], Markup]
    ) -> tuple[Markup | RepeatNote, ...]:
        """The body in source order: runs of kept paragraphs, and a note where a paragraph
        repeats one published in another article."""
        parts: list[Markup | RepeatNote] = []
        run: list[Paragraph] = []
        for paragraph in (p for p in article.paragraphs if p.role == "body"):
            note = self._repeat(article, paragraph)
            if paragraph.kept:
                run.append(paragraph)
            elif note is not None:
                if run:
                    parts.append(render(run))
                    run = []
                if not parts or parts[-1] != note:
                    parts.append(note)
        if run:
            parts.append(render(run))
        return tuple(parts)

    def _repeat(self, article: Article, paragraph: Paragraph) -> RepeatNote | None:
        removal = paragraph.removal
        if removal is None or removal.reason not in ("exact", "near"):
            return None
        if removal.duplicate_of is None or removal.duplicate_of.source == article.source:
            return None
        return self.note_for(removal.duplicate_of.source)


def _added(article: Article) -> list[Paragraph]:
    return [p for p in article.paragraphs if p.kept and p.role in ("summary", "dek", "body")]
