"""Word ranks for the near-duplicate join, fixed by the words alone (see near.py).

The join sorts a paragraph's 3-grams by their first word's rank and indexes the first ones
(its prefix), so 3-grams that lead with a common word ("of the army", "de la ville") are best
left to the end: they are in many paragraphs. The commonest words of English and French news
are listed here, commonest first, and rank last; every other word ranks below them, in an
order fixed by its id (a hash of the word, words.py: independent of PYTHONHASHSEED).

A rank never depends on the site's text: an edit of any article leaves every rank as it was,
so a rebuild always resumes from the edited article (memory.py). Ranks counted on the site
(on a sample of one article in 16, as before) followed its own vocabulary more closely, but
an edit of the sample decided the whole site again; a word list ranks a made-up vocabulary
(the speed benchmark's) no better than the hash, and near.py does not need it to: a 3-gram
that is in many paragraphs stops counting (MAX_POSTINGS), and a candidate must share as many
prefix 3-grams as a pair above the threshold must (near.py's `least_shared`).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from sahelbrief.pipeline.dedupe.words import word_id

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

# Folded forms (tokens.fold: lower case, no accents, apostrophes split "l armee", "it s"),
# commonest first, roughly: articles and prepositions, then pronouns and auxiliaries, then
# the verbs, adverbs and nouns of every news report.
COMMON = """
the of and to a in de la le et les des l d on for that is was with by at from as il en du
un une au aux s est it he she said dans pour par sur qui que qu ne pas se sa son ses
be are were has have had been not but or an this its his her their they we you i will would
ce cette ces cet elle ils elles nous vous y ou mais plus avec sont ont ete etait avait
which who whom what when where there than then also after before over into about up out
more no all one two new first last year years time people government minister president
selon apres avant entre contre sous chez depuis pendant lors comme tout tous toute toutes
says told say according added officials official police security army forces country
state states national public report reported week day days month months today yesterday
n t c j m
three four five six seven eight nine ten hundred thousand million billion percent
deux trois quatre cinq dix cent mille millions milliards
ans annee jour jours mois semaine hier aujourd hui gouvernement ministre pays
etat nationale securite armee responsables responsable rapport
does did do can could may might must should shall being our us my me him them these those
such other some any many most much only just so very still even while since during under
against between through because if how why off down again further here both each few
leur leurs lui eux notre nos votre vos mon ma mes ton ta tes meme autre autres aussi
encore deja bien tres alors donc car si sans quand dont lequel laquelle
fait faire dit dire peut doit etre avoir sera seront serait fut
"""


def _ranked(text: str) -> dict[str, int]:
    """Each word of `text` -> its rank: the first word the highest (the last in the order)."""
    top = (1 << 21) - 1  # ranks are below 2**21 (near.py packs three in 63 bits)
    return {word: top - position for position, word in enumerate(text.split())}


COMMON_RANK = _ranked(COMMON)
_HASHED = (1 << 20) - 1  # other words: below 2**20, by their id (a hash, words.py)
_COMMON_BY_ID = {word_id(word.encode()): r for word, r in COMMON_RANK.items()}


def of(word: int) -> int:
    """The rank of the word with this id."""
    common = _COMMON_BY_ID.get(word)
    return common if common is not None else word & _HASHED


def of_all(ids: NDArray[np.uint32]) -> NDArray[np.uint64]:
    """The ranks of the words with these ids: a common word is found by the low 16 bits of its
    id in a table (two gathers a word; a binary search took 200 ns a word)."""
    import numpy as np

    table, common_ids, common_ranks = _common_table()
    ranks: NDArray[np.uint64] = (ids & np.uint32(_HASHED)).astype(np.uint64)
    slots = table[ids & np.uint32(_SLOT)]
    maybe = np.flatnonzero(slots)
    slots = slots[maybe] - 1
    common = common_ids[slots] == ids[maybe]
    ranks[maybe[common]] = common_ranks[slots[common]]
    return ranks


_SLOT = (1 << 16) - 1


@functools.cache
def _common_table() -> tuple[NDArray[np.uint16], NDArray[np.uint32], NDArray[np.uint64]]:
    """Low 16 bits of a common word's id -> 1 + its place in the arrays of common ids and
    ranks (0: no common word)."""
    import numpy as np

    table = np.zeros(_SLOT + 1, dtype=np.uint16)
    for place, word in enumerate(_COMMON_BY_ID):
        assert not table[word & _SLOT], "two common words share the low bits of their ids"
        table[word & _SLOT] = place + 1
    ids = np.fromiter(_COMMON_BY_ID, dtype=np.uint32, count=len(_COMMON_BY_ID))
    ranks = np.fromiter(_COMMON_BY_ID.values(), dtype=np.uint64, count=len(_COMMON_BY_ID))
    return table, ids, ranks
