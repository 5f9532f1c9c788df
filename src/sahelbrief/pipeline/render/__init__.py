"""The render stage: pure apart from loading templates. Pages -> bytes."""

from __future__ import annotations

import contextlib
import difflib
import functools
import sys
from collections.abc import Iterator, Mapping, MutableMapping
from dataclasses import fields, is_dataclass
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeGuard

import jinja2

from sahelbrief.config import Config
from sahelbrief.errors import BuildFailed, TemplateError, collect
from sahelbrief.fingerprint import fingerprinted
from sahelbrief.model import TEXT_EDITION, Entry, KeptFile, OutputFile, Page, Site, StagedFile
from sahelbrief.pipeline.render import words
from sahelbrief.pipeline.render.batch import Stage, rendered
from sahelbrief.pipeline.render.feeds import Labels, feed_files, feed_outputs
from sahelbrief.pipeline.render.head import HeadMaker
from sahelbrief.pipeline.render.sitemaps import sitemap_files
from sahelbrief.pipeline.render.stories import Stories
from sahelbrief.pipeline.render.view import ArticleView, ViewSettings, view
from sahelbrief.theme import default_theme_dir

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

STYLESHEET = "assets/style.css"


def load_templates(
    project_dir: Path, compiled: jinja2.BytecodeCache | None = None
) -> jinja2.Environment:
    """The project's templates/ first, then the default theme, file by file; `compiled` keeps
    the templates' compiled code between builds (sahelbrief.cache.templates). An environment
    serves one build: a template is loaded once in it, never checked again for changes (Jinja
    would stat it at every include of every page: a twentieth of a preview rebuild), so a
    template saved during a build cannot give its pages two different versions."""
    folders = [project_dir / "templates", default_theme_dir()]
    return _Environment(
        loader=jinja2.FileSystemLoader([str(f) for f in folders if f.is_dir()]),
        auto_reload=False,
        bytecode_cache=compiled,
        autoescape=True,
        undefined=_Undefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=words.extensions(),
    )


class _Undefined(jinja2.StrictUndefined):
    """Jinja's strict undefined, whose message names a value of ours by its class and the
    field the name was likely meant to be, rather than by its module path."""

    @property
    def _undefined_message(self) -> str:
        obj, name = self._undefined_obj, self._undefined_name
        if self._undefined_hint or not isinstance(name, str) or not _a_dataclass_value(obj):
            return str(super()._undefined_message)
        names = [f.name for f in fields(obj)] + [
            attribute
            for cls in type(obj).__mro__
            for attribute, value in vars(cls).items()
            if isinstance(value, (property, functools.cached_property))
        ]
        close = difflib.get_close_matches(name, names, n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"it has {', '.join(names)}"
        return f"{type(obj).__name__} has no attribute {name!r} ({hint})"


def _a_dataclass_value(obj: object) -> TypeGuard[DataclassInstance]:
    return is_dataclass(obj) and not isinstance(obj, type)


class _Environment(jinja2.Environment):
    """Templates take a copy of the environment's globals when loaded, not a ChainMap over
    them: every page and every include makes its context from them, and a ChainMap is read in
    Python, key by key, twice a context. render() sets every global before the first template
    is loaded (Jinja asks as much: "avoid modifying any globals after a template is loaded")."""

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return {**self.globals, **(d or {})}


def render(
    site: Site,
    config: Config,
    env: jinja2.Environment,
    views: Mapping[str, ArticleView] | None = None,
    jobs: int = 1,
    keep: Mapping[str, KeptFile] | None = None,
    stage: Stage | None = None,
) -> Iterator[OutputFile | KeptFile | StagedFile]:
    """`views`, by source path, when made beforehand (render.batch: cached and parallel);
    `jobs`: processes for the pages of a large site; `keep`: output paths of pages and feeds
    whose inputs are unchanged (render.keys), with the file kept in their place (see
    write.intact): not rendered; `stage`: what a page worker does with each page it rendered
    (write it)."""
    stylesheet = _stylesheet(env)
    yield stylesheet
    if views is None:
        settings = ViewSettings.of(config)
        stories = Stories(site.entries, settings.absolute)
        views = {e.article.source: view(e, settings, stories) for e in site.entries}
    try:
        words.install(env, config.language)
    except TemplateError as error:
        raise BuildFailed("render", [error]) from error
    env.globals.update(
        site=config,
        language=config.language,
        navigation=[views[e.article.source] for e in site.navigation],
        stylesheet=config.absolute(stylesheet.path),
        url=config.absolute,
        head=partial(HeadMaker(config, site.feeds), views=views),
    )
    # A broken template breaks every page that uses it: report it once, not once per page.
    failures: dict[tuple[str | None, int | None, str], list[str]] = {}
    known = views

    def one(page: Page) -> OutputFile:
        return OutputFile(page.output, _page(page, env, known, config).encode("utf-8"))

    kept = keep or {}
    todo = [page for page in site.pages if page.output not in kept]
    # Closed after the last page, or when the build fails: its page workers stop then, not
    # when the garbage collector finds it (an error's traceback holds it for a while).
    with contextlib.closing(rendered(todo, one, jobs, stage)) as made:
        fresh = zip(todo, made, strict=True)
        for page in site.pages:
            if page.output in kept:
                yield kept[page.output]
                continue
            _, file = next(fresh)
            if isinstance(file, TemplateError):
                failures.setdefault((file.path, file.line, file.message), []).append(page.url)
            else:
                yield file
    for static in site.static:
        yield OutputFile(static.path, static.data)
    labels = _feed_labels(env, config.language)
    for feed in site.feeds:
        paths = feed_outputs(feed, config)
        if paths and all(path in kept for path in paths):
            yield from (kept[path] for path in paths)
        else:
            yield from feed_files(feed, config, views, site.now, labels)
    yield from sitemap_files(site, config)
    collect([_failure(key, urls) for key, urls in failures.items()], "render")


def _failure(key: tuple[str | None, int | None, str], urls: list[str]) -> TemplateError:
    path, line, message = key
    others = f" and {len(urls) - 1} other page{'s' if len(urls) > 2 else ''}" if urls[1:] else ""
    return TemplateError(f"{message} (while rendering {urls[0]}{others})", path, line)


def _feed_labels(env: jinja2.Environment, language: str) -> Labels:
    """The feeds' few words from the theme's catalogue, as the templates get them."""
    translations = words.catalogue(env, language)

    def gettext(message: str, **values: str) -> str:
        text = translations.get(message, message)
        return text % values if values else text

    return Labels(gettext, words.dated(words.locale(language)))


def _page(
    page: Page, env: jinja2.Environment, views: Mapping[str, ArticleView], config: Config
) -> str:
    def of(entries: tuple[Entry, ...]) -> list[ArticleView]:
        return [views[e.article.source] for e in entries]

    # In the text edition, links between site pages stay in the text edition.
    text = page.template.startswith("text/")
    try:
        template = env.get_template(page.template)
        return template.render(
            page=page,
            article=views[page.entry.article.source] if page.entry else None,
            articles=of(page.entries),
            sections=[(section, of(section.entries)) for section in page.sections],
            note=views[page.note.article.source] if page.note else None,
            link=lambda path: config.absolute((TEXT_EDITION if text else "") + path),
        )
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            f"template syntax: {exc.message}", _template_name(exc.filename, exc.name), exc.lineno
        ) from exc
    except jinja2.TemplateNotFound as exc:
        # Where it is extended, included or imported, when that is in a template.
        name, line = _template_frame(sys.exc_info()[2], env)
        raise TemplateError(
            f"template {exc.name!r} not found", name or f"templates/{page.template}", line
        ) from exc
    except UnicodeDecodeError as exc:
        raise TemplateError(
            f"is not valid UTF-8 (byte offset {exc.start}); save the template as UTF-8",
            f"templates/{page.template}",
        ) from exc
    except jinja2.UndefinedError as exc:
        name, line = _template_frame(sys.exc_info()[2], env)
        raise TemplateError(
            f"{exc.message}: check the name, or test it with {{% if ... is defined %}}",
            name or page.template,
            line,
        ) from exc
    except Exception as exc:
        # Templates are code the project writes: whatever they raise is a template error, with
        # the template's file and line, never a traceback.
        name, line = _template_frame(sys.exc_info()[2], env)
        message = (
            str(exc) if isinstance(exc, jinja2.TemplateError) else f"{type(exc).__name__}: {exc}"
        )
        raise TemplateError(message, name or page.template, line) from exc


def _stylesheet(env: jinja2.Environment) -> OutputFile:
    """The theme's stylesheet with its content hash in the name, so hosts can cache it forever."""
    assert env.loader is not None
    try:
        source, _, _ = env.loader.get_source(env, STYLESHEET)
    except jinja2.TemplateNotFound as exc:
        raise BuildFailed(
            "render", [TemplateError("the theme has no stylesheet", STYLESHEET)]
        ) from exc
    except UnicodeDecodeError as exc:
        raise BuildFailed(
            "render",
            [TemplateError("is not valid UTF-8; save it as UTF-8", f"templates/{STYLESHEET}")],
        ) from exc
    data = source.encode("utf-8")
    return OutputFile(fingerprinted(STYLESHEET, data), data)


def _template_name(filename: str | None, name: str | None) -> str:
    return f"templates/{name}" if name else (filename or "template")


def _template_frame(
    tb: TracebackType | None, env: jinja2.Environment
) -> tuple[str | None, int | None]:
    """The innermost template file and line in a traceback (Jinja maps its frames back to
    template lines), named as the user would find it: templates/<name>."""
    folders = [Path(p) for p in getattr(env.loader, "searchpath", [])]
    found: tuple[str | None, int | None] = (None, None)
    while tb is not None:
        path = Path(tb.tb_frame.f_code.co_filename)
        for folder in folders:
            if path.is_relative_to(folder):
                found = (f"templates/{path.relative_to(folder).as_posix()}", tb.tb_lineno)
        tb = tb.tb_next
    return found
