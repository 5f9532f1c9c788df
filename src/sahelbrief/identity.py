"""What a build derived from an immutable object, found again by the object's identity in the
next build of the same process (the preview).

The preview builds again and again in one process, and the build cache hands back the very
article objects of the last build for every unchanged source. Whatever a build derives from such
an object alone (a digest, its classified copy) is the same next time, so it is looked up by
identity instead of being derived again. Identity is only safe for immutable values (the model's
frozen dataclasses of tuples) and only while the object lives: each entry holds its object, so
its id cannot pass to another object meanwhile.

A memo keeps what the last build and the current one used (`begin` starts a build), so objects
of older builds are let go. `Recent` is the same by an equal key (a page's output path), for
values whose caller checks that they still hold.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Recent(Generic[K, V]):
    """Values by key, kept for the last build and the current one."""

    def __init__(self) -> None:
        self._last: dict[K, V] = {}
        self._now: dict[K, V] = {}

    def begin(self) -> None:
        """Start another build: what the last one used is still found, older entries go."""
        self._last, self._now = self._now, {}

    def find(self, key: K) -> V | None:
        found = self._now.get(key)
        if found is None:
            found = self._last.get(key)
            if found is not None:
                self._now[key] = found
        return found

    def put(self, key: K, value: V) -> V:
        self._now[key] = value
        return value


class ByIdentity(Generic[K, V]):
    def __init__(self) -> None:
        self._recent: Recent[int, tuple[K, V]] = Recent()

    def begin(self) -> None:
        """Start another build: what the last one used is still found, older entries go."""
        self._recent.begin()

    def find(self, obj: K) -> V | None:
        """What was derived from `obj` itself (not an equal object), or None."""
        found = self._recent.find(id(obj))
        return found[1] if found is not None and found[0] is obj else None

    def get(self, obj: K, make: Callable[[K], V]) -> V:
        """What was derived from `obj`, or `make(obj)`."""
        found = self.find(obj)
        return found if found is not None else self.put(obj, make(obj))

    def put(self, obj: K, value: V) -> V:
        self._recent.put(id(obj), (obj, value))
        return value

    def stable(self, obj: K, value: V) -> V:
        """`value`, derived from `obj` in this build, or the value derived from `obj` in the
        last build when the two are equal: equal results keep one identity from build to build,
        so what later stages derive from them is found again."""
        before = self.find(obj)
        return self.put(obj, before if before is not None and before == value else value)
