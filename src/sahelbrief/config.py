"""sahelbrief.yaml -> a typed, validated Config. Every problem is reported at once."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sahelbrief.errors import ConfigError, SahelbriefError, collect
from sahelbrief.yamlfile import YamlMapping, load_mapping

CONFIG_FILE = "sahelbrief.yaml"
_PERMALINK_FIELDS = {"slug", "year", "month", "day"}
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True)
class Config:
    title: str = "Sahel Brief"
    description: str = "A daily briefing on the Sahel: Mali, Niger, Burkina Faso, Chad and beyond."
    base_url: str = "/"
    language: str = "en"
    timezone: str = "UTC"
    permalink: str = "/articles/{slug}/"
    page_permalink: str = "/{slug}/"
    per_page: int = 20
    # How many of the newest stories each feed (Atom, RSS, JSON Feed) carries, in full.
    feed_limit: int = 20
    # Build a Pagefind search index and a /search/ page.
    search: bool = True

    @property
    def base_path(self) -> str:
        """The path part of base_url, always with leading and trailing slashes ("/brief/")."""
        path = urlsplit(self.base_url).path.strip("/")
        return f"/{path}/" if path else "/"

    def absolute(self, url: str) -> str:
        """A site-relative URL ("/articles/x/") as the reader's browser should request it."""
        return self.base_path + url.lstrip("/")

    @property
    def origin(self) -> str | None:
        """The absolute base URL ("https://example.org/brief/"), or None when base_url is a bare
        path: feeds, sitemaps and canonical links need a scheme and a host."""
        parts = urlsplit(self.base_url)
        if not (parts.scheme and parts.netloc):
            return None
        return f"{parts.scheme}://{parts.netloc}{self.base_path}"

    def external(self, url: str) -> str | None:
        """A site-relative URL as an absolute one, or None when base_url is a bare path."""
        origin = self.origin
        return origin + url.lstrip("/") if origin else None


_KEYS = {f.name: f.type for f in fields(Config)}
_TYPES: dict[str, type] = {"per_page": int, "feed_limit": int, "search": bool}
_TYPE_NAMES = {int: "a whole number", bool: "true or false", str: "a string"}


def load_config(project_dir: Path, base_url: str | None = None) -> Config:
    """Read sahelbrief.yaml when the project has one; `base_url` overrides its value."""
    path = project_dir / CONFIG_FILE
    mapping = YamlMapping({}, {})
    if path.is_file():
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot be read: {exc}", CONFIG_FILE) from exc
        try:
            mapping = load_mapping(text, CONFIG_FILE)
        except SahelbriefError as exc:
            raise ConfigError(exc.message, exc.path, exc.line) from exc
    raw = dict(mapping.values)
    if base_url is not None:
        raw["base_url"] = base_url
    return validate(raw, CONFIG_FILE, mapping.lines)


def validate(raw: dict[str, Any], path: str, lines: dict[str, int]) -> Config:
    errors: list[SahelbriefError] = []
    values: dict[str, Any] = {}

    def fail(key: str, message: str) -> None:
        errors.append(ConfigError(f"{key}: {message}", path, lines.get(key)))

    for key, value in raw.items():
        if key not in _KEYS:
            fail(str(key), f"unknown key (known keys: {', '.join(sorted(_KEYS))})")
            continue
        expected = _TYPES.get(key, str)
        if not isinstance(value, expected) or (expected is not bool and isinstance(value, bool)):
            fail(key, f"must be {_TYPE_NAMES[expected]}, not {type(value).__name__}")
            continue
        problem = _check(key, value)
        if problem:
            fail(key, problem)
        else:
            values[key] = value
    collect(errors, "config")
    return replace(Config(), **values)


def _check(key: str, value: Any) -> str | None:
    if key in ("per_page", "feed_limit") and value < 1:
        return "must be at least 1"
    if key == "base_url":
        parts = urlsplit(value)
        if parts.scheme not in ("", "http", "https") or (parts.scheme and not parts.netloc):
            return "must be an http(s) URL such as https://example.org/brief/ or a path such as /"
        if parts.query or parts.fragment:
            return "must not have a query or a fragment"
    if key in ("permalink", "page_permalink"):
        names = set(re.findall(r"{(\w*)}", value))
        if "slug" not in names or names - _PERMALINK_FIELDS:
            return "must contain {slug} and may use only {year}, {month}, {day} besides"
        if not value.startswith("/") or not value.endswith("/") or ".." in value:
            return 'must start and end with "/" (e.g. "/articles/{slug}/")'
    if key == "language" and not _LANGUAGE.match(value):
        return 'must be a language tag such as "en" or "fr"'
    if key == "timezone":
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            return 'must be a time zone name such as "Africa/Bamako" or "UTC"'
    return None
