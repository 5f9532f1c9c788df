"""Which reported changes really changed a file's bytes.

Editors save unchanged buffers, `touch` and `git checkout` rewrite files with the same bytes,
and some tools write a file twice in a row. The preview remembers the digest of each source as
the last build saw it and skips a rebuild when every changed path still has the same bytes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from sahelbrief.serve.watch import CONFIG_FILE, WATCHED_FOLDERS, relevant

ABSENT = "absent"
FOLDER = "folder"


def digest(path: Path) -> str:
    """The bytes' digest; ABSENT for a missing file, FOLDER for a folder (never "unchanged":
    a renamed folder moves every file in it)."""
    try:
        return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
    except IsADirectoryError:
        return FOLDER
    except FileNotFoundError:
        return ABSENT
    except OSError:
        return FOLDER


class Digests:
    def __init__(self, project: Path) -> None:
        self.project = project
        self._seen: dict[PurePosixPath, str] = {}

    def record_all(self) -> None:
        """Remember every source as it is now (before the first build)."""
        roots = [self.project / CONFIG_FILE, *(self.project / name for name in WATCHED_FOLDERS)]
        for path in (p for root in roots for p in [root, *sorted(root.rglob("*"))]):
            relative = PurePosixPath(path.relative_to(self.project).as_posix())
            if path.is_file() and relevant(relative):
                self._seen[relative] = digest(path)

    def changed(self, paths: Iterable[PurePosixPath]) -> frozenset[PurePosixPath]:
        """The paths whose bytes differ from the last time they were seen, remembering the new
        digests. A folder that appeared, moved or went away always counts as changed."""
        different = set()
        for relative in paths:
            now = digest(self.project / relative)
            inside = [p for p in self._seen if relative in p.parents]
            if now == FOLDER:
                different.add(relative)
            elif now == ABSENT and inside:
                different.add(relative)  # a folder went away, and everything in it
                self._seen.update(dict.fromkeys(inside, ABSENT))
            elif self._seen.get(relative, ABSENT) != now:
                different.add(relative)
            self._seen[relative] = now
        return frozenset(different)
