"""Stamps that tell whether a file or a published tree changed, without reading it. Shared by the
write stage, the build cache and the search index (the cache may not import the pipeline,
which imports the cache)."""

from __future__ import annotations

from pathlib import Path

# Which build's tree is published at an output folder: see live_stamp().
LiveStamp = tuple[int, int] | None


def file_stamp(path: Path) -> tuple[int, int, int] | None:
    """A file's inode, modification time and size, or None when it cannot be stat'ed: a file
    replaced by a rename or rewritten gets another stamp."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def live_stamp(out_dir: Path) -> LiveStamp:
    """Tells the tree published at `out_dir` from the next one: every swap puts another folder
    there (another inode), and a folder coming back after two swaps was updated in place as the
    spare one in between, which changed its modification time (the build always replaces some
    file of the top level, such as index.html or the search bundle)."""
    try:
        st = out_dir.stat()
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns)
