"""Editor commands that create files: `sahelbrief new` (a story with its front matter filled
in) and `sahelbrief init` (a new project that builds at once). Neither overwrites anything."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import yaml
from slugify import slugify

from sahelbrief.config import CONFIG_FILE
from sahelbrief.errors import SahelbriefError
from sahelbrief.layout import CONTENT, SEEDS, SOURCE_FOLDERS

SKELETON = Path(__file__).parent / "skeleton"

_STORY = """\
---
title: {title}
date: {date}
# One or two sentences, shown under the headline, in listings, feeds and link previews:
# summary: ...
# author: a name; leave out to credit the publication itself
# source: {{name: Outlet, url: https://example.org/story}}
# topics: [Wagner Group, Mali]    (else detected from the headline, summary and lead)
# countries: [Mali]               (else detected the same way)
# language: en                    (else detected between English and French)
# updated: {date}
# corrections:
#   - date: {date}
#     note: What was wrong, and what is right.
draft: true
---

Write the story here, one paragraph after another. Delete the `draft: true` line when it is
ready: drafts are left out of the site unless you build with `--drafts`.
"""


def new_story(project_dir: Path, headline: str, day: dt.date) -> Path:
    """Create content/YYYY-MM-DD-slug.md for `headline`; refuse to overwrite."""
    title = " ".join(headline.split())
    slug = slugify(title, max_length=80, word_boundary=True)
    if not slug:
        raise SahelbriefError("the headline needs letters or digits to make a file name")
    if not any((project_dir / name).exists() for name in (SEEDS, CONTENT, CONFIG_FILE)):
        # Run in the wrong folder (the home folder), it made a content/ folder there.
        raise SahelbriefError(
            f"is not a sahelbrief project (it has no {SEEDS}/, {CONTENT}/ or {CONFIG_FILE}): "
            "run the command in the project, give it with -C PROJECT_DIR, or start one with "
            "sahelbrief init",
            str(project_dir),
        )
    folder = project_dir / CONTENT
    path = folder / f"{day.isoformat()}-{slug}.md"
    relative = path.relative_to(project_dir).as_posix()
    text = _STORY.format(title=_yaml_scalar(title), date=day.isoformat())
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError as exc:
        raise SahelbriefError(
            "already exists; edit it, or choose another headline or --date", relative
        ) from exc
    return path


def init_project(target: Path) -> list[Path]:
    """Create a project in `target` (which must be missing or empty): a commented
    sahelbrief.yaml, seeds/ with one sample source, content/ with an about page, static/."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise SahelbriefError(
            "already exists and is not an empty folder; choose a new folder", str(target)
        )
    target.mkdir(parents=True, exist_ok=True)
    created: list[Path] = []
    for source in sorted(SKELETON.rglob("*")):
        if source.is_file() and "__pycache__" not in source.parts:
            destination = target / source.relative_to(SKELETON)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, destination)
            created.append(destination)
    for folder in SOURCE_FOLDERS:
        (target / folder).mkdir(exist_ok=True)
    return created


def _yaml_scalar(text: str) -> str:
    """`text` as one YAML scalar, quoted when it needs to be (colons, quotes, "#"...)."""
    dumped = yaml.safe_dump(text, allow_unicode=True, default_style=None, width=10_000)
    return dumped.removesuffix("\n...\n").strip()
