from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sahelbrief.pipeline.classify import language
from sahelbrief.pipeline.classify.language import detect


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Le Tchad a annoncé la fin de la coopération militaire avec la France.", "fr"),
        ("Chad has announced the end of its military cooperation with France.", "en"),
        ("L'armée malienne a repris le contrôle d'une base dans le nord.", "fr"),
        ("Voters in N’Djamena queued from 6 a.m. on Sunday; results are due.", "en"),
        ("Selon les autorités, les élections sont reportées.", "fr"),
    ],
)
def test_english_and_french(text: str, language: str) -> None:
    assert detect([text]) == language


@pytest.mark.parametrize(
    "text",
    ["Wagner quitte le Mali", "Bamako, Niamey, Ouagadougou", "", "the le of la and et"],
)
def test_says_it_does_not_know_when_the_evidence_is_thin_or_even(text: str) -> None:
    assert detect([text]) is None


def _counted_word_by_word(texts: list[str]) -> str | None:
    """The detector as first written, a Python step per word: the reference the faster one
    must agree with on every text."""
    english = french = 0
    for text in texts:
        for word in language._WORD.findall(text.casefold()):
            elided = ("'" in word or "’" in word) and (
                language._APOSTROPHE.split(word, 1)[0] in language._ELISIONS
            )
            if word in language._ENGLISH:
                english += 1
            elif word in language._FRENCH or elided:
                french += 1
    if english + french < language.MIN_WORDS:
        return None
    if english >= language.MARGIN * french:
        return "en"
    if french >= language.MARGIN * english:
        return "fr"
    return None


# Words and characters where tokens begin, end or join: elisions, both apostrophes, digits and
# underscores (not letters here, in any script), letters that case-fold to two ("ß"), other
# scripts, punctuation and spaces.
_PIECES = st.sampled_from(
    [
        *("the", "of", "and", "it", "its", "le", "la", "les", "des", "et", "qu", "l", "d"),
        *("j", "c", "n", "s", "x", "'", "’", "''", "’'", "1", "2", "_", "ß", "ẞ", "É", "é"),
        *("²", "Ⅻ", "-", ".", ",", ";", "\u00a0", "\t", "\n", "ا", " ", "  "),
        *("«", "»", "—", "…", "١", "d'or", "l'etat", "it's", "d'un"),
        "l'",
        "d’",
        "qu'il",
        "N’Djamena",
        "a'b'c",
    ]
)


_TEXT = st.lists(_PIECES, max_size=30).map("".join)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.lists(_PIECES, max_size=30).map(" ".join) | _TEXT, max_size=4))
def test_agrees_with_counting_word_by_word(texts: list[str]) -> None:
    assert detect(texts) == _counted_word_by_word(texts)


@pytest.mark.parametrize(
    "text",
    [
        "x'y'the the'of it's and",  # words after a second apostrophe stand alone
        "d'un'le l'd'or qu'il'la",
        "the١of١and le²la",  # a digit of another script splits words; "²" does not
        "«le» «la» «les» — the",
    ],
)
def test_agrees_where_words_join_or_split(text: str) -> None:
    assert detect([text]) == _counted_word_by_word([text])


def test_agrees_on_long_mixed_text() -> None:
    texts = [
        "Selon l'armée, qu'il s'agisse d'un retrait ou d'une pause, the convoy left at 6 a.m.",
        "The 2nd battalion’s commander said l’opération était terminée; les soldats sont partis.",
    ] * 20
    assert detect(texts) == _counted_word_by_word(texts)
