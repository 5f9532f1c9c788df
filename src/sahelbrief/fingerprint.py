"""Content-addressed file names: `style.9fc7d83f5b.css` carries the digest of its bytes, so a
file under such a name never changes and may be cached for ever (by hosts, and by the browser
in the preview). Shared by the render stage, which names the theme's stylesheet so, and the
preview server, which checks the digest before it lets a browser keep a file."""

from __future__ import annotations

import hashlib
import re
from pathlib import PurePosixPath

_NAMED = re.compile(r"\.([0-9a-f]{10})$")


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:10]


def fingerprinted(path: str, data: bytes) -> str:
    """`path` with the digest of `data` before its suffix: assets/style.css ->
    assets/style.9fc7d83f5b.css."""
    pure = PurePosixPath(path)
    return str(pure.with_name(f"{pure.stem}.{digest(data)}{pure.suffix}"))


def is_fingerprinted(name: str, data: bytes) -> bool:
    """Whether the file `name` holds `data` carries their digest (a file merely named so, such
    as a static file someone called `x.0123456789.css`, does not count)."""
    match = _NAMED.search(PurePosixPath(name).stem)
    return match is not None and match.group(1) == digest(data)
