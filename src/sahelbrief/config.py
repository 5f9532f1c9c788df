"""sahelbrief.yaml -> a typed, validated Config. Every problem is reported at once."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
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
class DedupConfig:
    """The `dedup:` section. Defaults are tuned for news paragraphs (see docs/README-issue-3.md).

    - scope: "site" removes a paragraph repeated from an earlier article (the later article shows
      a note linking to it); "article" only removes repeats within one article.
    - near: detect near-duplicates (light edits), not only exact repeats.
    - containment: share of the shorter paragraph's word 3-grams found in the other (0-1).
    - min_words: shorter paragraphs are only ever compared exactly (list items, bylines).
    - boilerplate_min_articles / boilerplate_max_words: a line repeated in that many articles and
      at most that long is boilerplate.
    - story_share: share of an article's paragraphs repeating another story that makes it a copy.
    - furniture: drop page furniture ("Read more", "Photo : AFP") from seeds.
    """

    scope: str = "site"
    near: bool = True
    containment: float = 0.8
    min_words: int = 8
    boilerplate_min_articles: int = 5
    boilerplate_max_words: int = 40
    story_share: float = 0.6
    furniture: bool = True


_DEDUP_KEYS = {f.name: f.type for f in fields(DedupConfig)}
_DEDUP_UNIT = ("containment", "story_share")


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
    dedup: DedupConfig = field(default_factory=DedupConfig)

    @property
    def base_path(self) -> str:
        """The path part of base_url, always with leading and trailing slashes ("/brief/")."""
        path = urlsplit(self.base_url).path.strip("/")
        return f"/{path}/" if path else "/"

    def absolute(self, url: str) -> str:
        """A site-relative URL ("/articles/x/") as the reader's browser should request it."""
        return self.base_path + url.lstrip("/")


_KEYS = {f.name: f.type for f in fields(Config)}


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
        line = lines.get(key, lines.get(key.split(".")[0]))
        errors.append(ConfigError(f"{key}: {message}", path, line))

    for key, value in raw.items():
        if key not in _KEYS:
            fail(str(key), f"unknown key (known keys: {', '.join(sorted(_KEYS))})")
            continue
        if key == "dedup":
            dedup = _dedup(value, fail)
            if dedup is not None:
                values[key] = dedup
            continue
        expected = int if key == "per_page" else str
        if not isinstance(value, expected) or isinstance(value, bool):
            fail(
                key,
                f"must be {'a whole number' if expected is int else 'a string'}, "
                f"not {type(value).__name__}",
            )
            continue
        problem = _check(key, value)
        if problem:
            fail(key, problem)
        else:
            values[key] = value
    collect(errors, "config")
    return replace(Config(), **values)


def _dedup(raw: Any, fail: Callable[[str, str], None]) -> DedupConfig | None:
    """The `dedup:` mapping; problems are reported as `dedup.<key>`."""
    if raw is None:
        return DedupConfig()
    if not isinstance(raw, dict):
        fail("dedup", f"must be a mapping of settings, not {type(raw).__name__}")
        return None
    values: dict[str, Any] = {}
    ok = True
    for key, value in raw.items():
        name = f"dedup.{key}"
        if key not in _DEDUP_KEYS:
            fail(name, f"unknown key (known keys: {', '.join(sorted(_DEDUP_KEYS))})")
            ok = False
            continue
        problem = _dedup_problem(str(key), value)
        if problem:
            fail(name, problem)
            ok = False
        else:
            values[key] = float(value) if key in _DEDUP_UNIT else value
    return replace(DedupConfig(), **values) if ok else None


def _dedup_problem(key: str, value: Any) -> str | None:
    default = getattr(DedupConfig(), key)
    if isinstance(default, bool):
        return None if isinstance(value, bool) else f"must be true or false, not {value!r}"
    if isinstance(default, str):
        if value not in ("site", "article"):
            return f'must be "site" or "article", not {value!r}'
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"must be a number, not {type(value).__name__}"
    if key in _DEDUP_UNIT:
        return None if 0.0 < value <= 1.0 else "must be a number above 0 and at most 1"
    if not isinstance(value, int):
        return f"must be a whole number, not {value!r}"
    return None if value >= 1 else "must be at least 1"


def _check(key: str, value: Any) -> str | None:
    if key == "per_page" and value < 1:
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
