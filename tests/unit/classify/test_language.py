from __future__ import annotations

import pytest

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
