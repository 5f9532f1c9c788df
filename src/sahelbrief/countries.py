"""Countries: the ISO 3166-1 list (from pycountry, which packages Debian's iso-codes with its
translations) with English and French names, and a finder that spots them in text.

Shared by the read stage (validating `countries:` in front matter) and the classify stage
(detecting countries in a story's lead), so it lives outside both.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

import pycountry
from slugify import slugify

from sahelbrief.normalize import without_marks

# ISO names put the qualifier after a comma ("Congo, The Democratic Republic of the"); readers
# and reporters use these names instead. Each is (English, French).
_DISPLAY = {
    "CD": ("DR Congo", "RD Congo"),
    "CG": ("Republic of the Congo", "République du Congo"),
    "KP": ("North Korea", "Corée du Nord"),
    "KR": ("South Korea", "Corée du Sud"),
    "RU": ("Russia", "Russie"),
    "GB": ("United Kingdom", "Royaume-Uni"),
    "US": ("United States", "États-Unis"),
}

# Other ways the news names a country: short forms, demonyms and capitals for the Sahel beat and
# its neighbours, in English and French. A capital in a lead is almost always a dateline.
_ALIASES: dict[str, tuple[str, ...]] = {
    "BF": ("Burkina", "Burkinabe", "Burkinabè", "Burkinabé", "Ouagadougou"),
    "BJ": ("Beninese", "béninois", "béninoise", "Cotonou"),
    "CD": ("DRC", "RDC", "Democratic Republic of the Congo", "Kinshasa"),
    "CF": ("Centrafrique", "centrafricain", "centrafricaine", "Bangui"),
    "CI": ("Ivory Coast", "Ivorian", "ivoirien", "ivoirienne", "ivoiriens", "Abidjan"),
    "CM": ("Cameroonian", "camerounais", "camerounaise", "Yaoundé"),
    "DZ": ("Algerian", "algérien", "algérienne", "algériens", "Algiers", "Alger"),
    "GB": ("Britain", "UK", "British", "britannique"),
    "GH": ("Ghanaian", "ghanéen", "ghanéenne", "Accra"),
    "GN": ("Guinean", "guinéen", "guinéenne", "Conakry"),
    "LY": ("Libyan", "libyen", "libyenne", "Tripoli"),
    "ML": ("Malian", "Malians", "malien", "malienne", "maliens", "maliennes", "Bamako"),
    "MR": ("Mauritanian", "mauritanien", "mauritanienne", "Nouakchott"),
    "NE": ("Nigerien", "Nigeriens", "nigérien", "nigérienne", "nigériens", "Niamey"),
    "NG": ("Nigerian", "Nigerians", "nigérian", "nigériane", "nigérians", "Abuja"),
    "RU": ("Russian", "Russians", "russe", "russes", "Moscow", "Moscou", "Kremlin"),
    "SD": ("Sudanese", "soudanais", "soudanaise", "Khartoum"),
    "SN": ("Senegalese", "sénégalais", "sénégalaise", "Dakar"),
    "TD": ("Chadian", "Chadians", "tchadien", "tchadienne", "tchadiens", "N'Djamena", "Ndjamena"),
    "TG": ("Togolese", "togolais", "togolaise", "Lomé"),
    "US": ("US", "USA", "United States of America", "American", "américain"),
}


@cache
def _slug(name: str) -> str:
    return slugify(name)  # asked for on every page that names the country: slugify is slow


@dataclass(frozen=True)
class Country:
    code: str
    english: str
    french: str

    @property
    def slug(self) -> str:
        return _slug(self.english)

    def name(self, language: str) -> str:
        """The name in the site's language: French for "fr..." tags, English otherwise."""
        return self.french if language.split("-")[0].lower() == "fr" else self.english


@cache
def all_countries() -> dict[str, Country]:
    """Every ISO 3166-1 country by alpha-2 code."""
    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    found: dict[str, Country] = {}
    for record in pycountry.countries:
        code = record.alpha_2
        english = getattr(record, "common_name", None) or record.name
        shown = _DISPLAY.get(code)
        found[code] = Country(
            code,
            shown[0] if shown else _before_comma(english),
            shown[1] if shown else _before_comma(french.gettext(record.name)),
        )
    return found


def _before_comma(name: str) -> str:
    return name.split(", ")[0]


@cache
def _names() -> dict[str, str]:
    """Every name a country goes by (folded, see `fold`) -> its code. A name two countries
    share ("Congo", "Corée") names neither."""
    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    candidates: dict[str, set[str]] = {}
    for record in pycountry.countries:
        code = record.alpha_2
        country = all_countries()[code]
        names = {record.name, country.english, country.french, french.gettext(record.name)}
        for attribute in ("common_name", "official_name"):
            value = getattr(record, attribute, None)
            if value:
                names |= {value, french.gettext(value)}
        names |= set(_ALIASES.get(code, ()))
        for name in names:
            candidates.setdefault(fold(name), set()).add(code)
    return {name: next(iter(codes)) for name, codes in candidates.items() if len(codes) == 1}


def fold(text: str) -> str:
    """Accents and curly apostrophes removed, case kept: "Tchad", "Sénégal" and "Senegal" all
    match, but "chad" (a word) or "niger" in running text does not."""
    return without_marks(text.replace("’", "'"))


@cache
def _pattern() -> re.Pattern[str]:
    # The names as a trie ("Niger(?:ia)?"): at each position the longest name that ends on a
    # word boundary matches, so "Guinea-Bissau" wins over "Guinea" and "Niger" never splits
    # "Nigeria", as a longest-first alternation would, but without trying a thousand names at
    # every character (that was most of the classify stage).
    trie: dict[str, Any] = {}
    for name in _names():
        node = trie
        for char in name:
            node = node.setdefault(char, {})
        node[""] = {}
    return re.compile(rf"(?<![\w-])(?:{_trie_pattern(trie)})(?![\w-])")


def _trie_pattern(node: dict[str, Any]) -> str:
    """A regex matching the strings of `node`, longest first (greedy, then backtracking)."""
    branches = [re.escape(char) + _trie_pattern(child) for char, child in node.items() if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(sorted(branches)) + ")"
    return f"(?:{body})?" if "" in node else body


def lookup(name: str) -> Country | None:
    """The country an editor means by a name or an ISO code ("Tchad", "TD", "td", "Chad")."""
    stripped = name.strip()
    if len(stripped) == 2 and stripped.upper() in all_countries():
        return all_countries()[stripped.upper()]
    folded = fold(stripped)
    code = _names().get(folded)
    if code is None:
        # Editors type "burkina faso" or "TCHAD": accept any case in front matter.
        by_case = {n.casefold(): c for n, c in _names().items()}
        code = by_case.get(folded.casefold())
    return all_countries()[code] if code else None


def find(texts: Iterable[str]) -> tuple[str, ...]:
    """Codes of the countries named in `texts`, in order of first mention."""
    found: dict[str, None] = {}
    names = _names()
    for text in texts:
        for match in _pattern().finditer(fold(text)):
            found.setdefault(names[match.group(0)], None)
    return tuple(found)
