"""Topic detection from a gazetteer: a topic's name and the words or phrases that tag it."""

from __future__ import annotations

import re
from collections.abc import Iterable

from sahelbrief.config import Gazetteer
from sahelbrief.normalize import match_key, without_marks


def term_key(text: str) -> str:
    """Case, accents, apostrophes and punctuation ignored: "coup d'État" matches "coup d etat"."""
    return without_marks(match_key(text))


class TopicFinder:
    """Finds a gazetteer's topics in text, whole words only, in order of first mention."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self._topic: dict[str, str] = {}
        for name, terms in gazetteer:
            for term in (name, *terms):
                key = term_key(term)
                if key:
                    self._topic.setdefault(key, name)
        # Longest first: "islamic state sahel" must win over a shorter term it starts with.
        keys = sorted(self._topic, key=lambda k: (-len(k), k))
        alternation = "|".join(re.escape(k) for k in keys)
        self._pattern = re.compile(rf"(?<!\S)(?:{alternation})(?!\S)") if keys else None

    def find(self, texts: Iterable[str]) -> tuple[str, ...]:
        found: dict[str, None] = {}
        if self._pattern is None:
            return ()
        for text in texts:
            for match in self._pattern.finditer(term_key(text)):
                found.setdefault(self._topic[match.group(0)], None)
        return tuple(found)

    def canonical(self, name: str) -> str:
        """A front-matter topic as the gazetteer names it ("wagner" -> "Wagner Group"); a topic
        the gazetteer does not know is kept as written."""
        return self._topic.get(term_key(name), name)
