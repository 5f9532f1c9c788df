"""The live preview behind `sahelbrief serve`: HTTP server, reload channel and file watcher.

It is given a build callable and imports no stage internals.
"""

from __future__ import annotations

from sahelbrief.serve.runner import Preview, ServeOptions

__all__ = ["Preview", "ServeOptions"]
