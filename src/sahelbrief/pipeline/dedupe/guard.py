"""The fact guard: may `lost` be removed as a copy of `kept` without losing a fact?

No similarity threshold separates "killed 12" from "killed 21" (a changed number scores higher
than many true light edits), so the guard looks at what differs between the two word sequences:

- numbers (digits or number words), names, dates, weekdays and months of `lost` must all be in
  `kept`: `kept` may add a dateline or a date, but never change one;
- negations, hedges ("allegedly", French conditional) and quantity qualifiers ("at least") must
  be the same on both sides: adding or removing one changes the fact;
- a word of `lost` that `kept` replaced must be an editorial word, an equivalent ("said" and
  "says"), or the same word spelled differently (British/American spelling, a typo); never an
  antonym ("rose"/"fell", "hausse"/"baisse"), and never another name;
- a word only `lost` has must be editorial: anything else would be lost with it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from sahelbrief.pipeline.dedupe import lexicon
from sahelbrief.pipeline.dedupe.tokens import is_number

_SPELLING = 0.8  # SequenceMatcher ratio above which two words are one word spelled differently


@dataclass(frozen=True)
class Verdict:
    ok: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.ok


SAME = Verdict(True)


def check(
    lost: Sequence[str],
    kept: Sequence[str],
    lost_names: frozenset[str] = frozenset(),
    kept_names: frozenset[str] = frozenset(),
) -> Verdict:
    """Whether removing `lost` (folded words) in favour of `kept` keeps every fact."""
    for verdict in (
        _numbers(lost, kept),
        _same_set(lost, kept, lexicon.NEGATIONS, "negation"),
        _same_set(lost, kept, lexicon.HEDGES, "hedge"),
        _same_set(lost, kept, lexicon.QUALIFIERS, "qualifier"),
        _contained(lost, kept, lexicon.DATES, "date"),
        _names(lost_names, kept, kept_names),
        _edits(lost, kept, lost_names | kept_names),
    ):
        if not verdict:
            return verdict
    return SAME


def number_values(tokens: Sequence[str]) -> Counter[str]:
    values: Counter[str] = Counter()
    for token in tokens:
        if is_number(token):
            values[token.lstrip("0") or "0"] += 1
        elif token in lexicon.NUMBER_WORDS and token not in lexicon.ARTICLE_NUMBERS:
            values[lexicon.NUMBER_WORDS[token]] += 1
    return values


def _numbers(lost: Sequence[str], kept: Sequence[str]) -> Verdict:
    missing = number_values(lost) - number_values(kept)
    if missing:
        return Verdict(False, f"number {' '.join(sorted(missing))} not in the kept paragraph")
    return SAME


def _same_set(
    lost: Sequence[str], kept: Sequence[str], words: frozenset[str], what: str
) -> Verdict:
    a = Counter(t for t in lost if t in words)
    b = Counter(t for t in kept if t in words)
    if a != b:
        diff = sorted(((a - b) + (b - a)).keys())
        return Verdict(False, f"{what} differs: {' '.join(diff)}")
    return SAME


def _contained(
    lost: Sequence[str], kept: Sequence[str], words: frozenset[str], what: str
) -> Verdict:
    missing = {t for t in lost if t in words} - set(kept)
    if missing:
        return Verdict(False, f"{what} {' '.join(sorted(missing))} not in the kept paragraph")
    return SAME


def _names(lost_names: frozenset[str], kept: Sequence[str], kept_names: frozenset[str]) -> Verdict:
    missing = lost_names - set(kept) - kept_names
    if missing:
        return Verdict(False, f"name {' '.join(sorted(missing))} not in the kept paragraph")
    return SAME


def _edits(lost: Sequence[str], kept: Sequence[str], names: frozenset[str]) -> Verdict:
    matcher = SequenceMatcher(None, lost, kept, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal" or op == "insert":
            continue
        removed, added = lost[i1:i2], kept[j1:j2]
        for word in removed:
            if not _replaceable(word, added, names):
                return Verdict(False, f"{word!r} is not in the kept paragraph")
    return SAME


def _replaceable(word: str, added: Sequence[str], names: frozenset[str]) -> bool:
    """`word` may go: it is editorial, or `added` has it in another spelling or an equivalent."""
    if any(lexicon.opposite(word, other) for other in added):
        return False
    if word in lexicon.EDITORIAL:
        return True
    group = lexicon.EQUIVALENT.get(word)
    for other in added:
        if other == word or (group is not None and lexicon.EQUIVALENT.get(other) == group):
            return True
        if is_number(word) or is_number(other) or word in lexicon.DATES:
            continue
        if word in names or other in names:
            if _one_typo(word, other):
                return True
            continue
        if word[0] == other[0] and SequenceMatcher(None, word, other).ratio() >= _SPELLING:
            return True
    return False


def _one_typo(a: str, b: str) -> bool:
    """A long name misspelled by one letter (Ouagadougou/Ouagadougu), not Niger/Nigeria."""
    if min(len(a), len(b)) < 7 or abs(len(a) - len(b)) > 1:
        return False
    return SequenceMatcher(None, a, b).ratio() >= 1 - 1.5 / max(len(a), len(b))
