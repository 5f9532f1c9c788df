from __future__ import annotations

import pytest

from sahelbrief import countries


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Le Tchad ferme sa frontière", ("TD",)),
        ("Chad closes its border", ("TD",)),
        ("Le Niger et le Nigeria, pas le Niger Delta", ("NE", "NG")),
        ("La Guinée-Bissau et la Guinée", ("GW", "GN")),
        ("Côte d’Ivoire, Cote d'Ivoire and Ivory Coast", ("CI",)),
        ("Élections au Sénégal et au Senegal", ("SN",)),
        ("Malian soldiers left Bamako", ("ML",)),
        ("Burkina and Burkina Faso", ("BF",)),
        ("Russia's Africa Corps; la Russie", ("RU",)),
        ("La Mauritanie, l’Algérie et la Libye", ("MR", "DZ", "LY")),
        ("Papua New Guinea is not Guinea", ("PG", "GN")),
    ],
)
def test_finds_countries_in_english_and_french(text: str, codes: tuple[str, ...]) -> None:
    assert countries.find([text]) == codes


def test_common_words_are_not_countries() -> None:
    # Country names are proper nouns: "chad" and "niger" in lowercase are left alone, and a
    # name must be a whole word ("Malibu" is not Mali, "Nigeria" is not Niger).
    assert countries.find(["a chad of paper", "niger seed", "Malibu", "Omanis"]) == ()


def test_order_is_first_mention_across_texts() -> None:
    assert countries.find(["Niger and Mali", "Chad, then Niger again"]) == ("NE", "ML", "TD")


def test_the_list_is_the_iso_3166_list_with_french_names() -> None:
    every = countries.all_countries()
    assert len(every) >= 249
    assert every["TD"].french == "Tchad" and every["TD"].english == "Chad"
    assert every["CD"].name("fr") == "RD Congo" and every["CD"].name("en") == "DR Congo"
    assert every["RU"].name("fr-FR") == "Russie"
    assert every["BF"].slug == "burkina-faso"


@pytest.mark.parametrize("name", ["Tchad", "tchad", "TCHAD", "Chad", "TD", "td", "N'Djamena"])
def test_lookup_accepts_names_codes_and_any_case(name: str) -> None:
    found = countries.lookup(name)
    assert found is not None and found.code == "TD"


def test_lookup_refuses_unknown_and_shared_names() -> None:
    assert countries.lookup("Narnia") is None
    assert countries.lookup("Corée") is None  # both Koreas
