"""What open pages need to know about the builds: shared by the runner (which publishes) and the
HTTP handlers (which stream it to pages over Server-Sent Events)."""

from __future__ import annotations

import secrets
import threading
from dataclasses import asdict, dataclass, replace
from typing import Any

from sahelbrief.errors import SahelbriefError
from sahelbrief.serve.watch import ChangeKind


@dataclass(frozen=True)
class Problem:
    """One build error as the overlay and the terminal show it."""

    path: str | None
    line: int | None
    message: str

    @classmethod
    def of(cls, error: SahelbriefError) -> Problem:
        return cls(error.path, error.line, error.message)

    def __str__(self) -> str:
        return str(SahelbriefError(self.message, self.path, self.line))


@dataclass(frozen=True)
class Snapshot:
    """`epoch` counts good builds; `full` is the last epoch that needs a page reload (a CSS-only
    build only needs the stylesheet swapped). `id` changes when the server restarts, so a page
    left open across a restart reloads."""

    id: str
    epoch: int = 0
    full: int = 0
    errors: tuple[Problem, ...] = ()

    @property
    def built(self) -> bool:
        return self.epoch > 0

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "epoch": self.epoch,
            "full": self.full,
            "errors": [asdict(problem) for problem in self.errors],
        }


class LiveState:
    def __init__(self) -> None:
        self._snapshot = Snapshot(secrets.token_hex(8))
        self._version = 0
        self._closed = False
        self._changed = threading.Condition()
        self.listeners = 0

    def snapshot(self) -> Snapshot:
        with self._changed:
            return self._snapshot

    def succeeded(self, kind: ChangeKind) -> Snapshot:
        with self._changed:
            epoch = self._snapshot.epoch + 1
            # After a failed build, changes that failed to build are in this one too: reload.
            stylesheet_only = kind == "css" and not self._snapshot.errors
            full = self._snapshot.full if stylesheet_only else epoch
            return self._publish(replace(self._snapshot, epoch=epoch, full=full, errors=()))

    def failed(self, problems: tuple[Problem, ...]) -> Snapshot:
        with self._changed:
            return self._publish(replace(self._snapshot, errors=problems))

    def wait(self, seen: int, timeout: float) -> tuple[int, Snapshot] | None:
        """The version and snapshot once newer than `seen` (or after `timeout`, the same ones);
        None once the state is closed."""
        with self._changed:
            self._changed.wait_for(lambda: self._closed or self._version != seen, timeout)
            if self._closed:
                return None
            return self._version, self._snapshot

    def listening(self, delta: int) -> None:
        """Count open event streams (open, visible pages)."""
        with self._changed:
            self.listeners += delta

    def close(self) -> None:
        """Release every waiting stream (the server is stopping)."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()

    def _publish(self, snapshot: Snapshot) -> Snapshot:
        self._snapshot = snapshot
        self._version += 1
        self._changed.notify_all()
        return snapshot
