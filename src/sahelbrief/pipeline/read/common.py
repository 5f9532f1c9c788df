"""What the seed and Markdown readers share: slugs and dates from file names."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import PurePosixPath

from slugify import slugify

from sahelbrief.errors import SourceError
from sahelbrief.pipeline.read.frontmatter import FrontMatter
from sahelbrief.slugs import RESERVED, SLUG_MAX

# "Editor's" -> "editors", "l’armée" -> "larmee": an apostrophe joins, it does not separate.
_ELISIONS = [["'", ""], ["’", ""]]
_DATE_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})")


def derive_slug(title: str, stem: str) -> str:
    """A URL slug from the title (accents transliterated), else the file name, else "untitled".
    A title of only punctuation or emoji, or one that makes a name Windows reserves ("CON"),
    falls through to the next choice."""
    for text in (title, _DATE_PREFIX.sub("", stem)):
        slug = slugify(text, max_length=SLUG_MAX, word_boundary=True, replacements=_ELISIONS)
        if slug and slug not in RESERVED:
            return slug
    return "untitled"


def file_date(path: str) -> dt.date | None:
    """The date of a `YYYY-MM-DD...` file name; None when the name has no valid date."""
    match = _DATE_PREFIX.match(PurePosixPath(path).name)
    if not match:
        return None
    try:
        return dt.date.fromisoformat(match.group(1))
    except ValueError:
        return None


def dated(meta: FrontMatter, path: str) -> dt.date | None:
    """The article's date: front matter, else the file name. An editor's note (kind: brief)
    must have one, since it belongs to that day's edition."""
    date = meta.date or file_date(path)
    if meta.kind == "brief" and date is None:
        raise SourceError(
            "an editor's note (kind: brief) needs a date: add date: YYYY-MM-DD to its front "
            "matter or start its file name with the date",
            path,
            1,
        )
    return date
