"""Page furniture: the short lines a scraper picks up around an article ("Read more",
"Advertisement", "Photo : AFP", "Lire aussi :"). They point at things a briefing page does not
have (a photo, an advert, a link list), so they are dropped from seeds with their own reason
and never compared as duplicates of one another. Markdown is written by an editor, so it is
left alone.

Boilerplate markers: words that show a frequent line is a footer or a promotion, not a fact.
"""

from __future__ import annotations

import re

MAX_WORDS = 20  # a furniture line is short; a longer one is content, whatever it starts with

# A label followed by a colon: "Photo : AFP", "Lire aussi : Au Mali, ...", "Read more: ...".
_LABEL = re.compile(
    r"^\W*(read more|read also|see also|related|related stories|more on this|also read|"
    r"photo|photos|photo credit|image|images|credit|credits|illustration|caption|video|vidéo|"
    r"watch|listen|lire aussi|à lire aussi|a lire aussi|lire la suite|voir aussi|à voir|"
    r"crédit photo|crédit|légende|écouter|regarder|sur le même sujet)\s*[:：]",
    re.IGNORECASE,
)
# A whole line that is nothing but furniture.
_WHOLE = re.compile(
    r"^\W*(read more|read the full story|continue reading|advertisement|advertising|sponsored|"
    r"sponsored content|share|share this|share this article|tweet|print|email|e-mail|"
    r"click here|subscribe|subscribe now|sign up|follow us|back to top|top of page|comments|"
    r"publicité|sponsorisé|partager|partagez|imprimer|cliquez ici|abonnez-vous|s'abonner|"
    r"suivez-nous|lire la suite|lire aussi|haut de page|commentaires|"
    r"\(?(afp|reuters|ap|apa|anadolu|xinhua)\)?|getty images|"
    r"(photo )?© ?[\w/-]+( [\w/-]+){0,2})\W*$",
    re.IGNORECASE,
)

# Each marker's pattern, by the lower-case text that any ASCII text it matches contains.
_MARKER_PATTERNS = {
    "©": "©", "copyright": r"\bcopyright\b", "all rights reserved": "all rights reserved",
    "droits réservés": "droits réservés", "subscribe": r"\bsubscribe",
    "newsletter": r"\bnewsletter", "abonnez": "abonnez", "s'abonner": "s'abonner",
    "follow us": "follow us", "suivez-nous": "suivez-nous", "whatsapp": "whatsapp",
    "telegram": "telegram", "facebook": "facebook", "twitter": "twitter",
    "instagram": "instagram", "http": "https?://", "www.": r"www\.", "@": r"@\w",
    "download our": "download our", "téléchargez": "téléchargez",
}  # fmt: skip
_MARKERS = re.compile("|".join(_MARKER_PATTERNS.values()), re.IGNORECASE)


def is_furniture(text: str) -> bool:
    # Splitting at most MAX_WORDS times tells a long paragraph without splitting all of it.
    if len(text.split(maxsplit=MAX_WORDS)) > MAX_WORDS:
        return False
    return bool(_WHOLE.match(text) or _LABEL.match(text))


def has_boilerplate_marker(text: str) -> bool:
    """A copyright notice, a newsletter plea, a social-media promotion."""
    if text.isascii():
        # The regex tries 20 alternatives at every character (55 µs a paragraph); most text
        # has none of their words, which substring tests tell in 3 µs. (Not for other text:
        # ignoring case, "ſ" matches "s".)
        lowered = text.lower()
        if not any(word in lowered for word in _MARKER_PATTERNS):
            return False
    return bool(_MARKERS.search(text))
