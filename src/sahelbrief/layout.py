"""A project's folders by name: what `sahelbrief build` reads (the configuration file is
sahelbrief.config.CONFIG_FILE, the templates the theme's business)."""

from __future__ import annotations

SEEDS, CONTENT, STATIC = "seeds", "content", "static"
SOURCE_FOLDERS = (SEEDS, CONTENT, STATIC)
