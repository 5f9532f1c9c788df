"""The theme's words: every message in the templates has its French translation, and dates and
plurals follow the site's language."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import jinja2
import pytest
import yaml

from sahelbrief.errors import warn_once
from sahelbrief.pipeline.render import load_templates, words
from sahelbrief.pipeline.render.words import catalogue
from sahelbrief.theme import default_theme_dir

THEME = default_theme_dir()
_CALL = re.compile(r"""(?<![\w.])(?:_|ngettext)\(\s*(["'])(.+?)\1(?:\s*,\s*(["'])(.+?)\3)?""")
# Index and archive page titles come from the data, not from a literal in a template.
DYNAMIC = {"Topics", "Countries", "Sources", "Archive"}


def template_messages() -> set[str]:
    found = set(DYNAMIC)
    for path in THEME.rglob("*.html"):
        for match in _CALL.finditer(path.read_text(encoding="utf-8")):
            found.add(match.group(2))
            if match.group(4):
                found.add(match.group(4))
    return found


def test_every_theme_message_has_a_french_translation_and_none_is_stale() -> None:
    french = yaml.safe_load((THEME / "messages/fr.yaml").read_text(encoding="utf-8"))
    used = template_messages()
    assert len(used) > 40
    assert sorted(used - set(french)) == []
    assert sorted(set(french) - used) == []
    for key, value in french.items():
        assert re.findall(r"%\(\w+\)\w", key) == re.findall(r"%\(\w+\)\w", value), key


def test_words_dates_and_plurals_in_french(tmp_path: Path) -> None:
    env = load_templates(tmp_path)
    words.install(env, "fr")
    template = env.from_string(
        '{{ _("Latest briefing") }}|{{ date(day, "day") }}|{{ date(day, "month") }}|'
        '{{ ngettext("%(num)d story", "%(num)d stories", 1) }}|'
        '{{ ngettext("%(num)d story", "%(num)d stories", 3) }}'
    )
    assert template.render(day=dt.date(2026, 11, 24)) == (
        "Dernière édition|Mardi 24 novembre 2026|Novembre 2026|1 article|3 articles"
    )


def test_english_needs_no_catalogue_and_unknown_languages_fall_back(tmp_path: Path) -> None:
    env = load_templates(tmp_path)
    assert catalogue(env, "en") == {}
    words.install(env, "xx")
    assert env.from_string('{{ _("Latest") }} {{ date(d) }}').render(d=dt.date(2026, 1, 2)) == (
        "Latest January 2, 2026"
    )


def test_a_language_without_a_catalogue_is_told(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    warn_once.cache_clear()
    env = load_templates(tmp_path)
    for language in ("en", "en-GB", "fr"):
        words.install(env, language)
    assert caplog.records == []
    words.install(env, "de")
    words.install(env, "de")  # once a process: the preview builds again at every edit
    [told] = caplog.records
    assert told.levelname == "WARNING"
    assert "'de'" in told.getMessage() and "templates/messages/de.yaml" in told.getMessage()


def test_a_project_catalogue_translates_the_theme(tmp_path: Path) -> None:
    (tmp_path / "templates/messages").mkdir(parents=True)
    (tmp_path / "templates/messages/ha.yaml").write_text('"Latest": "Sabbi"\n', encoding="utf-8")
    env = load_templates(tmp_path)
    words.install(env, "ha")
    assert env.from_string('{{ _("Latest") }}').render() == "Sabbi"
    assert isinstance(env, jinja2.Environment)


def test_the_direct_gettext_gives_what_jinjas_gives() -> None:
    """`_`, `gettext` and `ngettext` as installed (one call each) against Jinja's own new-style
    callables: escaping with and without autoescape (a message asked for again, and in a block
    without it), placeholders (one named `context`), a lone '%%', the plural's `num`, messages
    that are not text (1 and True are equal keys), and a template that sets its own
    `gettext`."""
    messages = {"By %(author)s": "Par %(author)s", "%(num)d story": "%(num)d article"}
    source = (
        '{{ _("By %(author)s", author=who) }}|{{ gettext("100%% <b>") }}|'
        '{{ gettext("100%% <b>") }}|'
        '{% autoescape false %}{{ gettext("100%% <b>")|escape }}{% endautoescape %}|'
        '{{ ngettext("%(num)d story", "%(num)d stories", n) }}|'
        '{{ ngettext("%(num)s item", "%(num)s items", n, num="<i>") }}|'
        '{{ _("In %(context)s", context=who) }}|'
        "{% if escaping %}{{ _(1) }}{{ _(True) }}{% endif %}|"
        '{% set gettext = upper %}{{ _("By %(author)s") }}'
    )

    def gettext(message: str) -> str:
        return messages.get(message, message)

    def ngettext(one: str, many: str, n: int) -> str:
        return gettext(one if n == 1 else many)

    def rendered(direct: bool, autoescape: bool) -> str:
        env = jinja2.Environment(extensions=["jinja2.ext.i18n"], autoescape=autoescape)
        env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
        if direct:
            env.globals.update(words._direct(gettext, ngettext))
        env.globals["upper"] = lambda s: s.upper()
        # (a number is a format string only as Markup: with autoescape, as in Jinja)
        return env.from_string(source).render(who="<Ann & Bo>", n=1, escaping=autoescape)

    for autoescape in (True, False):
        assert rendered(True, autoescape) == rendered(False, autoescape)
    # The message is the template's own text (trusted); what fills it in is escaped.
    assert rendered(True, True) == (
        "Par &lt;Ann &amp; Bo&gt;|100% <b>|100% <b>|100% &lt;b&gt;|1 article|&lt;i&gt; item|"
        "In &lt;Ann &amp; Bo&gt;|1True|BY %(AUTHOR)S"
    )
