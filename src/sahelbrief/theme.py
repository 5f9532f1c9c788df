"""Where the default theme lives: inside the installed package, or in a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGED = Path(__file__).parent / "theme"
_CHECKOUT = Path(__file__).resolve().parents[2] / "templates"


def default_theme_dir() -> Path:
    """The shipped templates. A wheel carries them as sahelbrief/theme; an editable install of a
    checkout reads the repository's templates/ folder, so git holds one copy."""
    for candidate in (_PACKAGED, _CHECKOUT):
        if (candidate / "base.html").is_file():
            return candidate
    raise FileNotFoundError(
        "the default theme is missing from this installation of sahelbrief (neither "
        f"{_PACKAGED} nor {_CHECKOUT} has base.html): reinstall it, for example with "
        "`pip install --force-reinstall sahelbrief`, or `pip install -e .` in a checkout"
    )
