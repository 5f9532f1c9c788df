"""The theme's own words in the site's language, and dates in it (Babel).

Templates mark words with `_("...")` and `ngettext(...)` (Jinja's i18n extension). The
translations are a plain YAML catalogue per language in the theme, `messages/<language>.yaml`,
English message -> translation; English needs none. A project can ship its own catalogue in its
templates/messages/ to translate the theme into another language or change a word.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable
from typing import Any

import jinja2
from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from jinja2.runtime import Context
from markupsafe import Markup

from sahelbrief.errors import SahelbriefError, TemplateError, warn_once
from sahelbrief.yamlfile import load_mapping

log = logging.getLogger(__name__)

# Date styles the templates ask for: CLDR patterns, so each language orders them its own way.
DATE_FORMATS = {"long": "long", "day": "EEEE d MMMM y", "month": "LLLL y", "year": "y"}


def locale(language: str) -> Locale:
    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def _base(language: str) -> str:
    """The language without its region ("fr" of "fr-BE"), which names its catalogue."""
    return language.split("-")[0].lower()


def catalogue(env: jinja2.Environment, language: str) -> dict[str, str]:
    name = f"messages/{_base(language)}.yaml"
    assert env.loader is not None
    try:
        source, _, _ = env.loader.get_source(env, name)
    except jinja2.TemplateNotFound:
        return {}
    try:
        mapping = load_mapping(source, f"templates/{name}")
    except SahelbriefError as exc:
        raise TemplateError(exc.message, exc.path, exc.line) from exc
    bad = [k for k, v in mapping.values.items() if not isinstance(v, str)]
    if bad:
        raise TemplateError(
            f"{bad[0]!r}: a translation must be text", f"templates/{name}", mapping.line(bad[0])
        )
    return dict(mapping.values)


def install(env: jinja2.Environment, language: str) -> None:
    """Give the templates `_`, `ngettext` and `date(value, style)` in `language`."""
    words = catalogue(env, language)
    if not words and _base(language) != "en":
        warn_once(
            log,
            "the theme's words have no translation into %r: they stay in English (add "
            "templates/messages/%s.yaml, English message -> translation)",
            language,
            _base(language),
        )
    where = locale(language)

    def gettext(message: str) -> str:
        return words.get(message, message)

    def ngettext(singular: str, plural: str, count: int) -> str:
        form = singular if where.plural_form(count) == "one" else plural
        return words.get(form, form)

    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(_direct(gettext, ngettext))
    env.globals["date"] = dated(where)


def _direct(
    gettext: Callable[[str], str], ngettext: Callable[[str, str, int], str]
) -> dict[str, Any]:
    """Jinja's new-style `gettext`, `ngettext` and `_` (jinja2/ext.py), with the same results,
    in one call each instead of two or three through the template context: a page calls them
    a dozen times, and the calls were a tenth of its rendering."""

    # A message without placeholders, made once per build: by message, without and with
    # autoescape.
    alone: tuple[dict[str, str], dict[str, str]] = ({}, {})

    @jinja2.pass_context
    def direct_gettext(context: Context, string: str, /, **variables: Any) -> str:
        autoescape = bool(context.eval_ctx.autoescape)
        # Only a plain str is remembered: 1 and True, or a str and Markup, are equal keys.
        plain = not variables and type(string) is str
        if plain:
            known = alone[autoescape].get(string)
            if known is not None:
                return known
        made = _filled(gettext(string), context, variables)
        if plain:
            alone[autoescape][string] = made
        return made

    @jinja2.pass_context
    def direct_ngettext(
        context: Context, singular: str, plural: str, num: int, /, **variables: Any
    ) -> str:
        variables.setdefault("num", num)
        return _filled(ngettext(singular, plural, num), context, variables)

    @jinja2.pass_context
    def alias(context: Context, /, *args: Any, **kwargs: Any) -> Any:
        """`_`: the `gettext` the template sees (a template may set its own)."""
        chosen = context.resolve("gettext")
        if chosen is direct_gettext:
            return direct_gettext(context, *args, **kwargs)
        return context.call(chosen, *args, **kwargs)

    return {"gettext": direct_gettext, "ngettext": direct_ngettext, "_": alias}


def _filled(message: str, context: Context, variables: dict[str, Any]) -> str:
    """A translated message as Jinja's new-style callables give it: Markup under autoescape
    (what fills it in is escaped), and always a format string."""
    found: str = Markup(message) if context.eval_ctx.autoescape else message
    return found % variables


def dated(where: Locale) -> Callable[..., str]:
    # Thousands of pages show a few hundred distinct dates; Babel formats one in ~30 us.
    @functools.lru_cache(maxsize=4096)
    def date(value: dt.date, style: str = "long") -> str:
        text = str(format_date(value, format=DATE_FORMATS[style], locale=where))
        # "day" and "month" stand alone as headings: "Mardi 24 novembre 2026", "Novembre 2026".
        return text[:1].upper() + text[1:] if style in ("day", "month") else text

    return date


def extensions() -> list[Any]:
    return ["jinja2.ext.i18n"]
