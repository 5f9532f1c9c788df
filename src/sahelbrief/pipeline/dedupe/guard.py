"""The fact guard: may `lost` be removed as a copy of `kept` without losing a fact?

No similarity threshold separates "killed 12" from "killed 21" (a changed number scores higher
than many true light edits), so the guard looks at what differs between the two word sequences:

- numbers (digits or number words), names, dates, weekdays and months of `lost` must all be in
  `kept`: `kept` may add a dateline or a date, but never change one;
- a negation, hedge ("allegedly", the French conditional) or quantity qualifier ("at least")
  added to or taken from the shared text changes the fact;
- a word of `lost` that `kept` replaced must be an editorial word, an equivalent ("said" and
  "says"), or the same word spelled differently (British/American spelling, a typo); never an
  antonym ("rose"/"fell", "hausse"/"baisse"), and never another name;
- a word only `lost` has must be editorial: anything else would be lost with it;
- one phrase may move: an attribution ("the army said", "selon l'armee") taken from one end of
  a paragraph of one sentence and one clause (no full stop, semicolon, colon or dash inside)
  to the other ("The army said X" and "X, the army said"). It says
  who reported the whole sentence wherever it stands. Nothing else moves: a clause or a date
  moved inside a sentence may attach to another fact ("Djibo, where 12 soldiers died, and then
  Dori" is not "Djibo and then Dori, where 12 soldiers died").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from sahelbrief.pipeline.dedupe import lexicon
from sahelbrief.pipeline.dedupe.tokens import is_number, names

_SPELLING = 0.8  # SequenceMatcher ratio above which two words are one word spelled differently
_INSERTED_SENTENCE = 8  # an insertion this long or longer is a sentence of its own
_SMALL_EDIT = 4  # replacements up to this many words on each side are checked word by word
_TURNING = lexicon.NEGATIONS | lexicon.HEDGES | lexicon.QUALIFIERS
_ATTRIBUTION_WORDS = (2, 6)  # an attribution that may move is this many words long
# What may end a sentence or a clause inside a paragraph: a full stop (not a decimal point), a
# question or exclamation mark, an ellipsis, a semicolon, a colon, a dash. An abbreviation
# ("Mr. Traore", "U.S.") counts too, which only ever forbids a move.
_BREAK = re.compile(r"[!?…;:—–]|\s-\s|(?<!\d)\.|\.(?!\d)")
_END = " \t\n.!?…\"'»”’)]*_"  # the paragraph's own end, and markup closing it


@dataclass(frozen=True)
class Verdict:
    """`ok` when no fact differs; `share` is the part of `lost`'s words that `kept` has, equal
    or in an editorial variant (another spelling, "says" for "said")."""

    ok: bool
    reason: str = ""
    share: float = 1.0

    def __bool__(self) -> bool:
        return self.ok


@dataclass(frozen=True)
class Facts:
    """What the guard compares of one paragraph, computed once per paragraph."""

    words: Sequence[str]  # folded, dateline removed
    names: frozenset[str]
    numbers: Counter[str]
    vocabulary: frozenset[str]
    text: str = ""  # as written, dateline removed


def facts(words: Sequence[str], text: str) -> Facts:
    """The facts of a paragraph: its folded `words` and its `text` (for the names and the
    sentences)."""
    return Facts(words, names(text), number_values(words), frozenset(words), text)


def check(lost: Facts, kept: Facts) -> Verdict:
    """Whether removing `lost` in favour of `kept` keeps every fact."""
    edits = _edits(
        lost.words,
        kept.words,
        lost.names | kept.names,
        lambda: _one_clause(lost.text) and _one_clause(kept.text),
    )
    if not edits:
        return edits
    missing = lost.numbers - kept.numbers
    if missing:
        return _fail(f"number {' '.join(sorted(missing))} not in the kept paragraph", edits)
    dates = (lost.vocabulary & lexicon.DATES) - kept.vocabulary
    if dates:
        return _fail(f"date {' '.join(sorted(dates))} not in the kept paragraph", edits)
    gone = lost.names - kept.vocabulary - kept.names
    if gone:
        return _fail(f"name {' '.join(sorted(gone))} not in the kept paragraph", edits)
    return edits


def _fail(reason: str, edits: Verdict) -> Verdict:
    return Verdict(False, reason, edits.share)


def number_values(tokens: Sequence[str]) -> Counter[str]:
    values: Counter[str] = Counter()
    for token in tokens:
        if is_number(token):
            values[token.lstrip("0") or "0"] += 1
        elif token in lexicon.NUMBER_WORDS and token not in lexicon.ARTICLE_NUMBERS:
            values[lexicon.NUMBER_WORDS[token]] += 1
    return values


def _edits(
    lost: Sequence[str],
    kept: Sequence[str],
    names: frozenset[str],
    movable: Callable[[], bool] = lambda: False,
) -> Verdict:
    """Walk the word alignment: count the words of `lost` that `kept` has, and find the first
    difference that changes a fact (`movable()`: whether an attribution may move from end to
    end, asked only when one did: the question takes longer than the alignment's walk)."""
    operations = SequenceMatcher(None, lost, kept, autojunk=False).get_opcodes()
    moved = _moved_attribution(operations, lost, kept)
    if moved and not movable():
        moved = ()
    same, problem = 0, ""
    for index, (op, i1, i2, j1, j2) in enumerate(operations):
        if op == "equal" or index in moved:
            same += i2 - i1
            continue
        if problem:
            continue  # the verdict is known; equal runs still count towards the share
        removed, added = lost[i1:i2], kept[j1:j2]
        # Words that turn a statement around ("has not agreed", "allegedly killed", "at least
        # 12"). Text `kept` adds before or after all of `lost`, or a whole inserted sentence,
        # is extra reporting: it does not change what `lost` says.
        interior = 0 < i1 < len(lost) and len(added) <= _INSERTED_SENTENCE
        turned = [w for w in added if w in _TURNING and w not in removed]
        if turned and (op == "replace" or interior):
            problem = f"{_what(turned[0])} differs: {turned[0]}"
            continue
        # A long rewritten passage is compared word for word; spelling variants are looked for
        # only in short replacements, where they occur (and where the pairwise check is cheap).
        small = len(removed) <= _SMALL_EDIT and len(added) <= _SMALL_EDIT
        pool = added if small else frozenset(added)
        for word in removed:
            if _replaceable(word, pool, names, small):
                same += word not in lexicon.EDITORIAL or word in pool
            else:
                problem = f"{_kind(word, names)} {word!r} is not in the kept paragraph"
                break
    share = same / len(lost) if lost else 1.0
    return Verdict(not problem, problem, share)


def _moved_attribution(
    operations: Sequence[tuple[str, int, int, int, int]], lost: Sequence[str], kept: Sequence[str]
) -> tuple[int, ...]:
    """The two operations (indexes) that take one attribution phrase from an end of `lost`
    and put it, word for word, at the other end of `kept`; none if there is no such move."""
    if len(operations) < 3:
        return ()
    first, last = operations[0], operations[-1]
    for gone, came in ((first, last), (last, first)):
        if gone[0] == "delete" and came[0] == "insert":
            phrase = lost[gone[1] : gone[2]]
            if list(phrase) == list(kept[came[3] : came[4]]) and _is_attribution(phrase):
                return (0, len(operations) - 1)
    return ()


def _one_clause(text: str) -> bool:
    """Whether `text` is one sentence of one clause: nothing inside that may end either."""
    return _BREAK.search(text.rstrip(_END)) is None


def _is_attribution(phrase: Sequence[str]) -> bool:
    """Who reported it, and nothing else: a reporting word ("said", "according", "selon") with
    a few words of its source, and no number, date, negation, hedge or qualifier."""
    low, high = _ATTRIBUTION_WORDS
    return (
        low <= len(phrase) <= high
        and any(word in lexicon.REPORTING for word in phrase)
        and not any(
            is_number(word)
            or word in lexicon.NUMBER_WORDS
            or word in lexicon.DATES
            or (word in _TURNING and word not in lexicon.REPORTING)
            for word in phrase
        )
    )


def _kind(word: str, names: frozenset[str]) -> str:
    if word in _TURNING:
        return _what(word)
    if is_number(word) or word in lexicon.NUMBER_WORDS:
        return "number"
    if word in lexicon.DATES:
        return "date"
    return "name" if word in names else "word"


def _what(word: str) -> str:
    if word in lexicon.NEGATIONS:
        return "negation"
    return "hedge" if word in lexicon.HEDGES else "qualifier"


def _replaceable(
    word: str, added: Sequence[str] | frozenset[str], names: frozenset[str], small: bool
) -> bool:
    """`word` may go: it is editorial, or `added` has it, an equivalent, or (in a small
    replacement) the same word in another spelling; never its opposite."""
    if lexicon.ANTONYM_OF.get(word, frozenset()).intersection(added):
        return False
    if small and any(lexicon.negated(word, other) for other in added):
        return False
    if word in lexicon.EDITORIAL or word in added:
        return True
    group = lexicon.EQUIVALENT.get(word)
    if group is not None and any(lexicon.EQUIVALENT.get(other) == group for other in added):
        return True
    if not small or is_number(word) or word in lexicon.DATES:
        return False
    for other in added:
        if is_number(other):
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
