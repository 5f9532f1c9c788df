"""sahelbrief.yaml -> a typed, validated Config. Every problem is reported at once."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sahelbrief.errors import BuildFailed, ConfigError, SahelbriefError, collect
from sahelbrief.theme import default_theme_dir
from sahelbrief.yamlfile import YamlMapping, load_mapping

CONFIG_FILE = "sahelbrief.yaml"
BASE_URL_OPTION = "--base-url"  # where a base_url given on the command line comes from
GAZETTEER_FILE = "gazetteer.yaml"
_PERMALINK_FIELDS = {"slug", "year", "month", "day"}
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
EDITION_GROUPS = ("country", "topic")
Gazetteer = tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class DedupConfig:
    """The `dedup:` section. Defaults are tuned for news paragraphs (README, "Deduplication").

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
    # Topic name -> the terms that tag a story with it: the theme's gazetteer.yaml, with this
    # project's `topics:` merged over it by name (load_config does the merge).
    topics: Gazetteer = ()
    # How an edition groups its stories: by each story's first country, or first topic.
    edition_group: str = "country"
    # How many kept body paragraphs, after headline, summary and dek, count as the lead that
    # topic and country detection reads.
    lead_paragraphs: int = 2
    # How many of the newest stories each feed (Atom, RSS, JSON Feed) carries, in full.
    feed_limit: int = 20
    # Build a Pagefind search index and a /search/ page.
    search: bool = True
    dedup: DedupConfig = field(default_factory=DedupConfig)

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
_TYPES: dict[str, type] = {
    "per_page": int,
    "lead_paragraphs": int,
    "feed_limit": int,
    "search": bool,
}
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
    if base_url is not None:  # the option's mistakes are its own, not the file's
        problem = _check("base_url", base_url)
        if problem:
            raise BuildFailed("config", [ConfigError(problem, BASE_URL_OPTION)])
        raw["base_url"] = base_url
    config = validate(raw, CONFIG_FILE, mapping.lines)
    return replace(config, topics=merge_topics(load_gazetteer(project_dir), config.topics))


def load_gazetteer(project_dir: Path) -> Gazetteer:
    """The theme's default gazetteer: the project's templates/gazetteer.yaml when it has one,
    else the one shipped with the default theme."""
    project_file = project_dir / "templates" / GAZETTEER_FILE
    path = project_file if project_file.is_file() else default_theme_dir() / GAZETTEER_FILE
    shown = f"templates/{GAZETTEER_FILE}"
    try:
        mapping = load_mapping(path.read_text(encoding="utf-8-sig"), shown)
    except OSError as exc:
        raise ConfigError(f"cannot be read: {exc}", shown) from exc
    except SahelbriefError as exc:
        raise ConfigError(exc.message, exc.path, exc.line) from exc
    errors: list[SahelbriefError] = []
    topics = _gazetteer(mapping.values, shown, mapping.lines, "", errors)
    collect(errors, "config")
    return topics


def merge_topics(default: Gazetteer, project: Gazetteer) -> Gazetteer:
    """The project's topics over the default ones, by name; a project topic with no terms
    removes the default topic of that name."""
    merged = dict(default)
    for name, terms in project:
        merged[name] = terms
    return tuple((name, terms) for name, terms in merged.items() if terms)


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
        if key == "topics":
            values[key] = _gazetteer(value, path, lines, "topics: ", errors)
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


def _gazetteer(
    value: Any, path: str, lines: dict[str, int], prefix: str, errors: list[SahelbriefError]
) -> Gazetteer:
    """A mapping of topic name -> list of terms (a lone string is one term; null or [] means
    no terms). Errors name the topic; the line is the topic's own when known."""
    if value is None:
        return ()
    if not isinstance(value, dict):
        errors.append(
            ConfigError(
                f"{prefix}must be a mapping of topic names to lists of terms",
                path,
                lines.get("topics"),
            )
        )
        return ()
    topics: list[tuple[str, tuple[str, ...]]] = []
    for name, terms in value.items():
        line = lines.get(str(name), lines.get("topics"))
        if isinstance(terms, str):
            terms = [terms]
        if terms is None:
            terms = []
        if not isinstance(name, str) or not name.strip():
            errors.append(ConfigError(f"{prefix}{name!r}: a topic name must be text", path, line))
        elif not isinstance(terms, list) or not all(
            isinstance(t, (str, int)) and not isinstance(t, bool) and str(t).strip() for t in terms
        ):
            errors.append(
                ConfigError(
                    f"{prefix}{name}: must be a list of terms (words or phrases)", path, line
                )
            )
        else:
            topics.append((name.strip(), tuple(dict.fromkeys(str(t).strip() for t in terms))))
    return tuple(topics)


def _base_url_problem(value: str) -> str | None:
    wanted = "must be an http(s) URL such as https://example.org/brief/ or a path starting with /"
    if "://" not in value and not value.startswith("/"):
        # "sahel.example.org" was taken for a path: every link went to /sahel.example.org/...
        host = urlsplit(f"https://{value}")
        if "." in (host.hostname or "") or host.port:
            return f"{wanted}; did you mean https://{host.netloc}{host.path.rstrip('/')}/?"
        return wanted
    parts = urlsplit(value)
    if parts.scheme not in ("", "http", "https") or (parts.scheme and not parts.netloc):
        return wanted
    if parts.query or parts.fragment:
        return "must not have a query or a fragment"
    return None


def _check(key: str, value: Any) -> str | None:
    if key in ("per_page", "feed_limit") and value < 1:
        return "must be at least 1"
    if key == "lead_paragraphs" and value < 0:
        return "must be at least 0"
    if key == "edition_group" and value not in EDITION_GROUPS:
        return f"must be one of {', '.join(EDITION_GROUPS)}"
    if key == "base_url":
        return _base_url_problem(value)
    if key in ("permalink", "page_permalink"):
        names = set(re.findall(r"{(\w*)}", value))
        if "slug" not in names or names - _PERMALINK_FIELDS:
            return "must contain {slug} and may use only {year}, {month}, {day} besides"
        if not value.startswith("/") or not value.endswith("/") or ".." in value:
            return 'must start and end with "/" (e.g. "/articles/{slug}/")'
    if key == "language" and not LANGUAGE.match(value):
        return 'must be a language tag such as "en" or "fr"'
    if key == "timezone":
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            return 'must be a time zone name such as "Africa/Bamako" or "UTC"'
    return None
