"""URL slugs that are safe as folder names anywhere a site may be unpacked."""

from __future__ import annotations

from functools import lru_cache

from slugify import slugify

SLUG_MAX = 80
# Names Windows cannot create as a file or folder: a site built here must unpack anywhere.
RESERVED = frozenset(
    ["con", "prn", "aux", "nul"] + [f"{d}{n}" for d in ("com", "lpt") for n in range(1, 10)]
)


@lru_cache(maxsize=8192)  # topic, outlet and country names recur on every article
def safe_slug(text: str) -> str:
    """A slug of at most SLUG_MAX characters (a folder name has a length limit, and a source's
    outlet or topic name has none), or "" when `text` gives none or only a reserved name."""
    slug = slugify(text, max_length=SLUG_MAX, word_boundary=True)
    return "" if slug in RESERVED else slug
