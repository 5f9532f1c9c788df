"""What a build derived from an immutable object, found again by the object's identity in the
next build of the same process (the preview).

The preview builds again and again in one process, and the build cache hands back the very
article objects of the last build for every unchanged source. Whatever a build derives from such
an object alone (a digest, its classified copy) is the same next time, so it is looked up by
identity instead of being derived again. Identity is only safe for immutable values (the model's
frozen dataclasses of tuples) and only while the object lives: each entry holds its object, so
its id cannot pass to another object meanwhile.

A memo keeps what the last build and the current one used (`begin` starts a build), so objects
of older builds are let go.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class ByIdentity(Generic[K, V]):
    def __init__(self) -> None:
        self._last: dict[int, tuple[K, V]] = {}
        self._now: dict[int, tuple[K, V]] = {}

    def begin(self) -> None:
        """Start another build: what the last one used is still found, older entries go."""
        self._last, self._now = self._now, {}

    def find(self, obj: K) -> V | None:
        """What was derived from `obj` itself (not an equal object), or None."""
        key = id(obj)
        found = self._now.get(key) or self._last.get(key)
        if found is None or found[0] is not obj:
            return None
        self._now[key] = found
        return found[1]

    def get(self, obj: K, make: Callable[[K], V]) -> V:
        """What was derived from `obj`, or `make(obj)`."""
        found = self.find(obj)
        return found if found is not None else self.put(obj, make(obj))

    def put(self, obj: K, value: V) -> V:
        self._now[id(obj)] = (obj, value)
        return value

    def stable(self, obj: K, value: V) -> V:
        """`value`, derived from `obj` in this build, or the value derived from `obj` in the
        last build when the two are equal: equal results keep one identity from build to build,
        so what later stages derive from them is found again."""
        before = self.find(obj)
        return self.put(obj, before if before is not None and before == value else value)
