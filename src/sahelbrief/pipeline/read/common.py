"""What the seed and Markdown readers share: slugs and dates from file names."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import PurePosixPath

from slugify import slugify

SLUG_MAX = 80
# "Editor's" -> "editors", "l’armée" -> "larmee": an apostrophe joins, it does not separate.
_ELISIONS = [["'", ""], ["’", ""]]
_DATE_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})")
# Names Windows cannot create as a file or folder: a site built here must unpack anywhere.
RESERVED = frozenset(
    ["con", "prn", "aux", "nul"] + [f"{d}{n}" for d in ("com", "lpt") for n in range(1, 10)]
)


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
