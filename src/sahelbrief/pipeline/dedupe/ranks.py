"""Word ranks for the near-duplicate join, fixed by the words alone (see near.py).

The join sorts a paragraph's 3-grams by their first word's rank and indexes the first ones
(its prefix), so 3-grams that lead with a common word ("of the army", "de la ville") are best
left to the end: they are in many paragraphs. The commonest words of English and French news
are listed here, commonest first, and rank last; every other word ranks below them, in an
order fixed by a hash of the word (xxhash, seedless: independent of PYTHONHASHSEED).

A rank never depends on the site's text: an edit of any article leaves every rank as it was,
so a rebuild always resumes from the edited article (memory.py). Ranks counted on the site
(on a sample of one article in 16, as before) followed its own vocabulary more closely, but
an edit of the sample decided the whole site again; a word list ranks a made-up vocabulary
(the speed benchmark's) no better than the hash, and near.py does not need it to: a 3-gram
that is in many paragraphs stops counting (MAX_POSTINGS), and a candidate must share as many
prefix 3-grams as a pair above the threshold must (near.py's `least_shared`).
"""

from __future__ import annotations

import xxhash

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
_HASHED = (1 << 20) - 1  # other words: below 2**20, by hash


def rank(word: str) -> int:
    """The word's place in the order of the join: low for most words, high for common ones."""
    common = COMMON_RANK.get(word)
    if common is not None:
        return common
    return int(xxhash.xxh32_intdigest(word.encode("utf-8", "surrogateescape"))) & _HASHED
