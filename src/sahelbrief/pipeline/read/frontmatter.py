"""Front matter: the `---` YAML block at the top of a source, validated into typed fields."""

from __future__ import annotations

import datetime as dt
import reprlib
from dataclasses import dataclass
from typing import Any

from slugify import slugify

from sahelbrief import countries
from sahelbrief.config import LANGUAGE
from sahelbrief.errors import BuildFailed, SahelbriefError, SourceError
from sahelbrief.model import ArticleKind, Correction, Outlet
from sahelbrief.slugs import RESERVED
from sahelbrief.yamlfile import load_mapping

FENCE = "---"
KINDS: tuple[ArticleKind, ...] = ("article", "page", "brief")


@dataclass(frozen=True)
class FrontMatter:
    """Validated front matter. None means "not given": the reader infers or leaves it out."""

    title: str | None = None
    date: dt.date | None = None
    updated: dt.date | None = None
    summary: str | None = None
    dek: str | None = None
    author: str | None = None
    outlet: Outlet | None = None
    topics: tuple[str, ...] = ()
    draft: bool = False
    slug: str | None = None
    slug_line: int | None = None
    kind: ArticleKind = "article"
    countries: tuple[str, ...] = ()
    language: str | None = None
    expires: dt.date | None = None
    corrections: tuple[Correction, ...] = ()

    def article_fields(self) -> dict[str, Any]:
        """The fields every reader copies onto its Article as they are."""
        names = (
            *("updated", "summary", "dek", "author", "outlet", "topics", "draft"),
            *("countries", "language", "expires", "corrections", "slug_line"),
        )
        return {name: getattr(self, name) for name in names}


KEYS = (
    "title",
    "date",
    "updated",
    "summary",
    "dek",
    "author",
    "source",
    "topics",
    "draft",
    "slug",
    "kind",
    "countries",
    "language",
    "expires",
    "corrections",
)


def split(lines: list[str], path: str) -> tuple[list[str], int, FrontMatter | None]:
    """Split off a leading front matter block: (body lines, line number of the first body line,
    front matter or None)."""
    if not lines or lines[0].rstrip() != FENCE:
        return lines, 1, None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in (FENCE, "..."):
            block = "\n".join(lines[1:index])
            return lines[index + 1 :], index + 2, parse(block, path, first_line=2)
    raise SourceError('front matter starts with "---" but has no closing "---" line', path, 1)


def parse(text: str, path: str, first_line: int) -> FrontMatter:
    try:
        mapping = load_mapping(text, path, first_line)
    except SahelbriefError as exc:
        raise SourceError(f"front matter: {exc.message}", exc.path, exc.line) from exc
    errors: list[SahelbriefError] = []
    fields: dict[str, Any] = {}
    for key, value in mapping.values.items():
        line = mapping.line(key) or first_line
        try:
            fields.update(_field(key, value))
            if key == "slug":
                fields["slug_line"] = line
        except ValueError as exc:
            errors.append(SourceError(f"front matter: {key}: {exc}", path, line))
    if errors:
        # Several bad keys in one file: report them all, one per line.
        raise errors[0] if len(errors) == 1 else BuildFailed("read", errors)
    return FrontMatter(**fields)


def _field(key: str, value: Any) -> dict[str, Any]:
    if key in ("title", "summary", "dek", "author"):
        return {key: _text(value)}
    if key in ("date", "updated", "expires"):
        return {key: _date(value)}
    if key == "countries":
        return {"countries": _countries(value)}
    if key == "language":
        if not isinstance(value, str) or not LANGUAGE.match(value.strip()):
            raise ValueError('must be a language tag such as "en" or "fr"')
        return {"language": value.strip()}
    if key == "corrections":
        return {"corrections": _corrections(value)}
    if key == "source":
        return {"outlet": _outlet(value)}
    if key == "topics":
        return {"topics": _topics(value)}
    if key == "draft":
        if not isinstance(value, bool):
            raise ValueError("must be true or false")
        return {"draft": value}
    if key == "slug":
        return {"slug": _slug(value)}
    if key == "kind":
        if value not in KINDS:
            raise ValueError(f"must be one of {', '.join(KINDS)}")
        return {"kind": value}
    raise ValueError(f"unknown key (known keys: {', '.join(KEYS)})")


def _text(value: Any) -> str:
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise ValueError("must be text")
    text = str(value).strip()
    if not text:
        raise ValueError("must not be empty")
    return text


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    raise ValueError(f"must be a date written YYYY-MM-DD, not {reprlib.repr(value)}")


def _outlet(value: Any) -> Outlet:
    if isinstance(value, str) and value.strip():
        return Outlet(value.strip())
    if isinstance(value, dict) and set(value) <= {"name", "url"} and "name" in value:
        url = value.get("url")
        if url is not None and not (
            isinstance(url, str) and url.startswith(("http://", "https://"))
        ):
            raise ValueError("url must start with http:// or https://")
        return Outlet(_text(value["name"]), url)
    raise ValueError("must be an outlet name, or a mapping with name and url")


def _topics(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(t, str) and t.strip() for t in value):
        raise ValueError("must be a list of topic names")
    return tuple(dict.fromkeys(t.strip() for t in value))


def _countries(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(c, str) for c in value):
        raise ValueError("must be a list of country names or ISO codes")
    codes: list[str] = []
    for name in value:
        country = countries.lookup(name)
        if country is None:
            raise ValueError(
                f"{name!r} is not a country name or ISO 3166 code (English or French, e.g. "
                '"Chad", "Tchad" or "TD")'
            )
        codes.append(country.code)
    return tuple(dict.fromkeys(codes))


def _corrections(value: Any) -> tuple[Correction, ...]:
    if not isinstance(value, list):
        raise ValueError("must be a list of corrections, each with a date and a note")
    found: list[Correction] = []
    for number, item in enumerate(value, 1):
        if not isinstance(item, dict) or set(item) != {"date", "note"}:
            raise ValueError(f"correction {number} must have exactly a date and a note")
        try:
            found.append(Correction(_date(item["date"]), _text(item["note"])))
        except ValueError as exc:
            raise ValueError(f"correction {number}: {exc}") from None
    return tuple(sorted(found, key=lambda c: c.date))


def _slug(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be text")
    cleaned = slugify(value)
    if cleaned != value:
        raise ValueError(
            f"must be lowercase ASCII letters, digits and hyphens (for example {cleaned!r})"
            if cleaned
            else "must contain letters or digits"
        )
    if cleaned in RESERVED:
        raise ValueError(f"{cleaned!r} is a file name Windows reserves; choose another slug")
    return cleaned
