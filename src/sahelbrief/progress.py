"""The progress display of a long build: a bar redrawn in place on a terminal, a few plain
lines otherwise. The pipeline only calls back (stage, done, total); printing happens here."""

from __future__ import annotations

from typing import TextIO

# Builds smaller than this finish before a bar would be worth reading.
MIN_TOTAL = 300
WIDTH = 30
LINES_EVERY = 25  # percent, when not a terminal


class ProgressBar:
    def __init__(self, stream: TextIO, tty: bool | None = None) -> None:
        self._stream = stream
        self._tty = stream.isatty() if tty is None else tty
        self._shown: tuple[str, int] | None = None
        self._drawn = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        if total < MIN_TOTAL:
            return
        percent = done * 100 // total
        step = percent if self._tty else percent - percent % LINES_EVERY
        if self._shown == (stage, step):
            return
        self._shown = (stage, step)
        if self._tty:
            filled = WIDTH * done // total
            bar = "#" * filled + "-" * (WIDTH - filled)
            self._stream.write(f"\r{stage:<9} [{bar}] {done}/{total}")
            self._drawn = True
        else:
            self._stream.write(f"{stage}: {done}/{total} ({step}%)\n")
        self._stream.flush()

    def close(self) -> None:
        """Clear the bar so the summary line starts on a clean line."""
        if self._drawn:
            self._stream.write("\r\033[K")
            self._stream.flush()
            self._drawn = False
