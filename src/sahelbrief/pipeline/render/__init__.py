"""The render stage: pure apart from loading templates. Pages -> bytes."""

from __future__ import annotations

import datetime as dt
import hashlib
import sys
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

import jinja2
from babel.dates import format_date

from sahelbrief.config import Config
from sahelbrief.errors import BuildFailed, SahelbriefError, TemplateError, collect
from sahelbrief.model import OutputFile, Page, Site
from sahelbrief.pipeline.render.stories import Stories
from sahelbrief.pipeline.render.view import ArticleView, view
from sahelbrief.theme import default_theme_dir

STYLESHEET = "assets/style.css"


def load_templates(project_dir: Path) -> jinja2.Environment:
    """The project's templates/ first, then the default theme, file by file."""
    folders = [project_dir / "templates", default_theme_dir()]
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(f) for f in folders if f.is_dir()]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(site: Site, config: Config, env: jinja2.Environment) -> Iterator[OutputFile]:
    stylesheet = _stylesheet(env)
    yield stylesheet
    stories = Stories(site.entries, config.absolute)
    views = {e.article.source: view(e, config, stories) for e in site.entries}
    env.globals.update(
        site=config,
        navigation=[views[e.article.source] for e in site.navigation],
        stylesheet=config.absolute(stylesheet.path),
        url=config.absolute,
        date=lambda d: _format_date(d, config.language),
    )
    errors: list[SahelbriefError] = []
    for page in site.pages:
        try:
            yield OutputFile(page.output, _page(page, env, views).encode("utf-8"))
        except TemplateError as error:
            errors.append(error)
    for static in site.static:
        yield OutputFile(static.path, static.data)
    collect(errors, "render")


def _page(page: Page, env: jinja2.Environment, views: dict[str, ArticleView]) -> str:
    try:
        template = env.get_template(page.template)
        return template.render(
            page=page,
            article=views[page.entry.article.source] if page.entry else None,
            articles=[views[e.article.source] for e in page.entries],
        )
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            f"template syntax: {exc.message}", _template_name(exc.filename, exc.name), exc.lineno
        ) from exc
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"template {exc.name!r} not found", page.template) from exc
    except (jinja2.TemplateError, TypeError, ValueError, AttributeError) as exc:
        name, line = _template_frame(sys.exc_info()[2], env)
        raise TemplateError(
            f"{exc} (while rendering {page.url})", name or page.template, line
        ) from exc


def _stylesheet(env: jinja2.Environment) -> OutputFile:
    """The theme's stylesheet with its content hash in the name, so hosts can cache it forever."""
    assert env.loader is not None
    try:
        source, _, _ = env.loader.get_source(env, STYLESHEET)
    except jinja2.TemplateNotFound as exc:
        raise BuildFailed(
            "render", [TemplateError("the theme has no stylesheet", STYLESHEET)]
        ) from exc
    data = source.encode("utf-8")
    digest = hashlib.sha256(data).hexdigest()[:10]
    return OutputFile(f"assets/style.{digest}.css", data)


def _format_date(value: dt.date, language: str) -> str:
    return format_date(value, format="long", locale=language.replace("-", "_"))


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
