"""A project's folders by name: what `sahelbrief build` reads (the configuration file is
sahelbrief.config.CONFIG_FILE, the templates the theme's business)."""

from __future__ import annotations

from pathlib import Path

from sahelbrief.config import CONFIG_FILE

SEEDS, CONTENT, STATIC = "seeds", "content", "static"
SOURCE_FOLDERS = (SEEDS, CONTENT, STATIC)


def sources(project_dir: Path) -> list[Path]:
    """What the build reads and nothing it writes may replace or go into: the source folders,
    the templates and the configuration file."""
    return [project_dir / name for name in (*SOURCE_FOLDERS, "templates", CONFIG_FILE)]
