"""Source text -> safe HTML. Seeds are plain text with inline emphasis: any HTML in them is shown
as text. Markdown is converted with Python-Markdown, then sanitised with nh3 (ammonia), so
nothing from a source can run in a reader's browser."""

from __future__ import annotations

import html
import re

import markdown
import nh3
from markupsafe import Markup

_BLOCK_START = re.compile(r"^(\s*)(#{1,6}\s|[-+*]\s|={3,}|-{3,}|_{3,}|`{3,}|~{3,})")
_ORDERED_START = re.compile(r"^(\s*\d+)([.)]\s)")
_URL_SCHEMES = {"http", "https", "mailto"}
_INLINE_TAGS = {"em", "strong", "b", "i", "code", "a", "br", "del", "sup", "sub"}
_BLOCK_TAGS = {
    "p",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "pre",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "caption",
    "figure",
    "figcaption",
    "img",
    "abbr",
    "div",
    "span",
    "small",
    "mark",
    "q",
    "cite",
    "time",
    "s",
    "ins",
    "kbd",
    "samp",
}
_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "th": {"colspan", "rowspan", "scope", "align"},
    "td": {"colspan", "rowspan", "align"},
    "ol": {"start"},
    "time": {"datetime"},
    "*": {"id", "lang", "dir"},
    "sup": {"id"},
    "li": {"id"},
}
_EXTENSIONS = ["extra", "sane_lists", "toc"]


def inline(text: str, base_path: str = "/") -> Markup:
    """One seed paragraph as inline HTML: emphasis and links work, HTML tags are shown as text,
    and a line that happens to start like a list or heading stays a plain paragraph."""
    escaped = html.escape(text, quote=False)
    escaped = _BLOCK_START.sub(r"\1\\\2", escaped, count=1)
    escaped = _ORDERED_START.sub(r"\1\\\2", escaped, count=1)
    converted = _converter().reset().convert(escaped)
    converted = converted.removeprefix("<p>").removesuffix("</p>")
    return Markup(_clean(converted, _INLINE_TAGS, base_path))


def block(text: str, base_path: str = "/", images: bool = True) -> Markup:
    """Markdown source as sanitised HTML. Site-absolute links ("/about/") get the base path, so
    they work when the site is served under a subpath. The text edition asks for no images."""
    tags = _INLINE_TAGS | _BLOCK_TAGS
    if not images:
        tags -= {"img", "figure", "figcaption"}
    return Markup(_clean(_converter().reset().convert(text), tags, base_path))


def _clean(fragment: str, tags: set[str], base_path: str) -> str:
    def rebase(_tag: str, attribute: str, value: str) -> str:
        if attribute in ("href", "src") and value.startswith("/") and not value.startswith("//"):
            return base_path + value[1:]
        return value

    return nh3.clean(
        fragment,
        tags=tags,
        attributes={k: v for k, v in _ATTRIBUTES.items() if k in tags or k == "*"},
        attribute_filter=rebase,
        url_schemes=_URL_SCHEMES,
        link_rel="noopener",
        strip_comments=True,
    )


_MARKDOWN: list[markdown.Markdown] = []


def _converter() -> markdown.Markdown:
    # One converter, reset between documents: building a Markdown instance costs more than most
    # paragraphs do to convert.
    if not _MARKDOWN:
        _MARKDOWN.append(markdown.Markdown(extensions=_EXTENSIONS, output_format="html"))
    return _MARKDOWN[0]
