"""Word lists for the fact guard, English and French, in folded form (see tokens.fold).

A word here either carries a fact that two paragraphs must share to be the same paragraph
(negations, hedges, quantity qualifiers, dates, number words, antonyms), or is editorial
(function words, reporting verbs, connecting adverbs) and may differ between two copies.
"""

from __future__ import annotations


def _set(text: str) -> frozenset[str]:
    return frozenset(text.split())


NEGATIONS = _set(
    """
    not no never nor neither none nobody nothing nowhere without cannot t
    didn doesn don isn wasn weren aren hasn haven hadn couldn wouldn shouldn mustn won ain
    deny denies denied denying refuse refuses refused refusing reject rejects rejected rejecting
    ne n pas jamais aucun aucune rien ni sans non nullement guere
    nie nient nier dement dementi dementent refuse refusent rejette rejettent rejete
    """
)

# Certainty changes the fact: "killed" is not "allegedly killed"; French reports an unconfirmed
# fact in the conditional ("aurait tue").
HEDGES = _set(
    """
    allegedly alleged reportedly purportedly suspected possibly probably likely unconfirmed
    may might could would apparently presumably rumoured rumored claimed claims
    presume presumee presumes presumees suppose supposee selon aurait auraient serait seraient
    pourrait pourraient probablement apparemment eventuellement
    """
)

QUALIFIERS = _set(
    """
    least most more less fewer than about around nearly almost over under approximately roughly
    some several many few dozens hundreds thousands only just up half
    moins plus environ pres presque quelque quelques plusieurs seulement dizaines centaines
    milliers moitie jusqu
    """
)

WEEKDAYS = _set(
    """
    monday tuesday wednesday thursday friday saturday sunday
    lundi mardi mercredi jeudi vendredi samedi dimanche
    """
)
MONTHS = _set(
    """
    january february march april may june july august september october november december
    janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre
    """
)
RELATIVE_DAYS = _set(
    """
    today yesterday tomorrow tonight overnight morning evening afternoon night week weekend
    aujourd hui hier demain veille lendemain matin soir apres midi nuit semaine
    """
)
DATES = WEEKDAYS | MONTHS | RELATIVE_DAYS

NUMBER_WORDS = {
    word: str(value)
    for value, spelled in enumerate(
        [
            "zero|zero",
            "one|un|une",
            "two|deux",
            "three|trois",
            "four|quatre",
            "five|cinq",
            "six",
            "seven|sept",
            "eight|huit",
            "nine|neuf",
            "ten|dix",
            "eleven|onze",
            "twelve|douze",
            "thirteen|treize",
            "fourteen|quatorze",
            "fifteen|quinze",
            "sixteen|seize",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty|vingt",
        ]
    )
    for word in spelled.split("|")
} | {
    word: value
    for value, spelled in [
        ("30", "thirty|trente"),
        ("40", "forty|quarante"),
        ("50", "fifty|cinquante"),
        ("60", "sixty|soixante"),
        ("100", "hundred|cent|cents"),
        ("1000", "thousand|mille"),
        ("1000000", "million|millions"),
        ("1000000000", "billion|billions|milliard|milliards"),
        ("2", "twice|double|doubled|twin|pair"),
        ("1", "first|premier|premiere"),
        ("2", "second|deuxieme|seconde"),
        ("3", "third|troisieme|triple|tripled"),
    ]
    for word in spelled.split("|")
}
# "un"/"une" are also the French article: counting them as the number one would block every
# French edit that adds an article, so they only count when they replace another number.
ARTICLE_NUMBERS = _set("un une one")

# Pairs that spell alike but mean the opposite, or mean different things in a news report.
ANTONYMS = frozenset(
    frozenset(pair.split("/"))
    for pair in _set(
        """
    rose/fell rise/fall rises/falls rising/falling up/down increase/decrease
    increased/decreased increases/decreases higher/lower high/low more/less gain/loss
    gained/lost won/lost win/lose wins/loses before/after import/export imports/exports
    imported/exported inflow/outflow north/south east/west northern/southern eastern/western
    majority/minority men/women man/woman boys/girls open/closed opened/closed reopened/closed
    accepted/rejected approved/rejected allowed/banned legal/illegal armed/unarmed
    possible/impossible confirmed/denied released/arrested withdrew/deployed entered/left
    arrived/left hausse/baisse augmente/diminue augmentation/diminution monte/baisse
    avant/apres nord/sud est/ouest ouvert/ferme ouverte/fermee accepte/rejete hommes/femmes
    homme/femme legal/illegal libere/arrete entre/sorti majorite/minorite gagne/perdu
    """
    )
)
_NEGATING_PREFIXES = ("un", "in", "im", "il", "ir", "non", "dis", "anti", "de", "des", "mis")


ANTONYM_OF: dict[str, frozenset[str]] = {}
for _pair in ANTONYMS:
    for _word in _pair:
        ANTONYM_OF[_word] = ANTONYM_OF.get(_word, frozenset()) | (_pair - {_word})


def negated(a: str, b: str) -> bool:
    """One word is the other with a negating prefix (legal/illegal, armed/unarmed)."""
    short, long = sorted((a, b), key=len)
    return long.endswith(short) and long[: len(long) - len(short)] in _NEGATING_PREFIXES


# Words two copies of a paragraph may add, drop or swap without changing what it reports.
EDITORIAL = (
    _set(
        """
    a an the this that these those it its it s of in on at to for from by with as and or but
    also too now still however meanwhile currently recently further furthermore moreover indeed
    then thus so while whereas which who whom whose what where when there here has have had
    is are was were be been being will shall do does did said says say saying told tells tell
    stated states added adds noted notes explained explains according reported reports
    announced announces declared declares indicated indicates insisted insists
    le la les l un une des du de d au aux a en dans sur par pour avec et ou mais que qui quoi
    dont ce cet cette ces il elle ils elles on se s est sont etait etaient ete a ont avait
    avaient sera seront y aussi egalement encore desormais toutefois cependant pourtant alors
    dit dire declare declaree indique indiquee explique affirme precise ajoute souligne
    rapporte annonce selon
    """
    )
    - NEGATIONS
    - HEDGES
    - QUALIFIERS
    - DATES
)

# Words that say who reported something: an attribution phrase with one of them may move from
# one end of a sentence to the other (guard.py). "selon" is also a hedge, and stays one.
REPORTING = _set(
    """
    said says told tells stated states added adds noted notes explained explains declared
    declares indicated indicates announced announces reported reports insisted insists
    according claimed
    dit declare declaree indique indiquee explique affirme precise ajoute souligne rapporte
    annonce selon
    """
)

# Groups of words used interchangeably by re-filing editors.
_EQUIVALENT_GROUPS = [
    "said says say told tells stated states added adds noted explained declared indicated",
    "dit dire declare declaree indique indiquee explique affirme precise ajoute souligne",
    "a an the",
    "le la les l",
    "soldiers troops",
]
EQUIVALENT = {word: group for group in _EQUIVALENT_GROUPS for word in group.split()}
