"""Source text -> safe HTML. Seeds are plain text with inline emphasis: any HTML in them is shown
as text. Markdown is converted with Python-Markdown, then sanitised with nh3 (ammonia), so
nothing from a source can run in a reader's browser."""

from __future__ import annotations

import contextlib
import functools
import html
import re
from collections.abc import Callable, Iterator, MutableMapping

import markdown
import nh3
import xxhash
from markupsafe import Markup

# What makes a line a block of its own: a heading, a list item, a rule ("---", "-- -", "_ _ _"),
# a fence. A seed line starting so is escaped: it stays a paragraph.
_BLOCK_START = re.compile(r"^(\s*)(#{1,6}\s|[-+*]+\s|_+\s|={3,}|-{3,}|_{3,}|`{3,}|~{3,})")
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
    return Markup(_memoized("inline", text, base_path, _inline))


def block(text: str, base_path: str = "/", images: bool = True) -> Markup:
    """Markdown source as sanitised HTML. Site-absolute links ("/about/") get the base path, so
    they work when the site is served under a subpath. The text edition asks for no images."""
    if images:
        return Markup(_memoized("block", text, base_path, _block))
    return Markup(_memoized("block-no-images", text, base_path, _block_no_images))


class Missing(Exception):
    """Raised in strict mode for a fragment the memo does not hold."""


_MEMO: list[tuple[MutableMapping[bytes, str], bool]] = []
_USED: list[set[bytes]] = []


@contextlib.contextmanager
def fragments(memo: MutableMapping[bytes, str], strict: bool = False) -> Iterator[None]:
    """Within the block, converted fragments are looked up in and added to `memo` (the build
    cache's): Python-Markdown is most of a build's time, and a fragment depends only on its
    text, its kind and the base path. With `strict`, a fragment not in `memo` raises Missing
    instead of being converted (to find what is left to do, and do it in parallel)."""
    _MEMO.append((memo, strict))
    try:
        yield
    finally:
        _MEMO.pop()


@contextlib.contextmanager
def used() -> Iterator[set[bytes]]:
    """The keys of the fragments looked up within the block (what a kept view was made of)."""
    keys: set[bytes] = set()
    _USED.append(keys)
    try:
        yield keys
    finally:
        _USED.pop()


def _memoized(kind: str, text: str, base_path: str, convert: Callable[[str, str], str]) -> str:
    if not _MEMO:
        return convert(text, base_path)
    memo, strict = _MEMO[-1]
    key = xxhash.xxh3_128_digest(f"{kind}\0{base_path}\0{text}".encode("utf-8", "surrogatepass"))
    if _USED:
        _USED[-1].add(key)
    found = memo.get(key)
    if found is None:
        if strict:
            raise Missing(kind)
        found = memo[key] = convert(text, base_path)
    return found


# A line of only letters, digits, single spaces and this punctuation, not starting like a block,
# holds no Markdown syntax, HTML or entity: it converts to itself. Most wire paragraphs are like
# that, and skipping Python-Markdown for them is most of the time of a build of seeds.
_PLAIN = re.compile(r"[\w.,;:'\"?!()/%’‘“”«»… -]*")


def _plain(text: str) -> bool:
    return bool(
        _PLAIN.fullmatch(text)
        and "_" not in text
        and "  " not in text
        and text == text.strip()
        and not _BLOCK_START.match(text)
        and not _ORDERED_START.match(text)
    )


def _inline(text: str, base_path: str) -> str:
    return text if _plain(text) else _inline_markdown(text, base_path)


def _inline_markdown(text: str, base_path: str) -> str:
    escaped = html.escape(text, quote=False)
    escaped = _BLOCK_START.sub(r"\1\\\2", escaped, count=1)
    escaped = _ORDERED_START.sub(r"\1\\\2", escaped, count=1)
    converted = _converter().reset().convert(escaped)
    converted = converted.removeprefix("<p>").removesuffix("</p>")
    return _clean(converted, _INLINE_TAGS, base_path)


def _block(text: str, base_path: str) -> str:
    return _clean(_markdown(text), _INLINE_TAGS | _BLOCK_TAGS, base_path)


def _block_no_images(text: str, base_path: str) -> str:
    tags = (_INLINE_TAGS | _BLOCK_TAGS) - {"img", "figure", "figcaption"}
    return _clean(_markdown(text), tags, base_path)


# Python-Markdown is most of a cold build, and most of its time goes on the inline patterns
# of long prose paragraphs. A paragraph of plain lines (as above, and not starting a definition,
# underlining a heading or drawing a rule) set off by blank lines converts to itself wherever
# it stands, so each is set aside as a short placeholder while Python-Markdown parses the
# structure, and put back after. A placeholder that does not come out as a paragraph of its own
# (inside a fenced code block, or turned into a definition term) means the document is
# converted as it is, and so does a document holding any of _WHOLE.
_PLACEHOLDER = "sahelbriefplainparagraph"
# Text that Python-Markdown gives a meaning wherever it stands in a document: the footnotes'
# place marker, abbreviation definitions (which change plain text too), and "<", because an
# HTML tag or comment may span blank lines and a quote in a plain paragraph may end it.
_WHOLE = ("///Footnotes Go Here///", "*[", "<", _PLACEHOLDER)
_PUT_BACK = re.compile(rf"<p>{_PLACEHOLDER}(\d+)</p>")
_STRUCTURE = re.compile(rf"^(?!{_PLACEHOLDER}\d+$).", re.MULTILINE)


@functools.lru_cache(maxsize=16)
def _markdown(text: str) -> str:
    # The page and its text edition ask for the same body one after the other: convert it once.
    if any(mark in text for mark in _WHOLE):
        return _python_markdown(text)
    skeleton, plain = _set_aside(text)
    if not plain:
        return _python_markdown(text)
    if not _STRUCTURE.search(skeleton):  # plain paragraphs only: Python-Markdown costs 0.5 ms
        return "\n".join(f"<p>{paragraph}</p>" for paragraph in plain)
    found: list[int] = []

    def put_back(match: re.Match[str]) -> str:
        found.append(int(match[1]))
        return f"<p>{plain[found[-1]]}</p>"

    converted = _PUT_BACK.sub(put_back, _python_markdown(skeleton))
    if sorted(found) != list(range(len(plain))):
        return _python_markdown(text)
    return converted


def _set_aside(text: str) -> tuple[str, list[str]]:
    """`text` with each paragraph of plain lines replaced by a placeholder, and the paragraphs."""
    lines = text.split("\n")
    skeleton: list[str] = []
    plain: list[str] = []
    start = 0
    while start < len(lines):
        end = start
        while end < len(lines) and _plain_line(lines[end]):
            end += 1
        alone = (start == 0 or not lines[start - 1]) and (end == len(lines) or not lines[end])
        if end > start and alone:
            skeleton.append(f"{_PLACEHOLDER}{len(plain)}")
            plain.append("\n".join(lines[start:end]))
            start = end
        skeleton.extend(lines[start : end + 1])
        start = end + 1
    return "\n".join(skeleton), plain


def _plain_line(line: str) -> bool:
    return bool(
        line
        and _plain(line)
        and not line.startswith(":")
        and line.strip("- ")  # dashes alone underline a heading or draw a rule ("-- -")
    )


def _python_markdown(text: str) -> str:
    return _converter().reset().convert(text)


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
