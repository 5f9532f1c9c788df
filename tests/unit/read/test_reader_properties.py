"""Property tests: for any bytes or text at all, reading either returns an Article that keeps the
model's promises or raises our own error type, never anything else."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sahelbrief.errors import BuildFailed, SahelbriefError, SourceError
from sahelbrief.model import Article
from sahelbrief.pipeline.read.decode import _CONTROL, _INVISIBLE, _LINE_END, _text, decode
from sahelbrief.pipeline.read.markdown import read_markdown
from sahelbrief.pipeline.read.seed import read_seed
from sahelbrief.slugs import RESERVED

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
HIDDEN = set("\0\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u2060\ufeff")
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

yaml_bits = st.sampled_from(
    [
        "title: ",
        "date: ",
        "topics: ",
        "slug: ",
        "kind: ",
        "source: ",
        "draft: ",
        "- ",
        "&a ",
        "*a",
        "[",
        "]",
        "{",
        "}",
        ": ",
        "\n",
        "  ",
        "!!python/object:os.system",
        "!!binary ",
        "<<: ",
        "? ",
        "'",
        '"',
        "2026-13-45",
        "yes",
        "null",
        "~",
        "#",
        "|",
        ">",
        "...",
        "---",
    ]
)
front_matter = st.lists(st.one_of(yaml_bits, st.text(max_size=8)), max_size=30).map(
    lambda parts: "---\n" + "".join(parts) + "\n---\n"
)
documents = st.one_of(
    st.text(max_size=400),
    st.tuples(front_matter, st.text(max_size=200)).map("".join),
    st.lists(st.sampled_from(["Title line", "A sentence.", "*note*", "", "- item", "> q"])).map(
        "\n".join
    ),
)


def _check(article: Article, lines: list[str]) -> None:
    assert article.title.strip()
    assert SLUG.match(article.slug) and article.slug not in RESERVED
    numbers = [p.line for p in article.paragraphs]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    assert all(1 <= n <= len(lines) for n in numbers)
    assert all(p.text.strip() for p in article.paragraphs)


def _read(lines: list[str], path: str) -> None:
    for reader in (read_seed, read_markdown):
        try:
            article = reader(lines, path)
        except BuildFailed as failed:  # several errors in one file
            assert failed.errors
            assert all(e.path == path and e.line and e.message for e in failed.errors)
            continue
        except SahelbriefError as error:
            assert error.path == path
            assert error.line is None or error.line >= 1
            assert error.message
            continue
        _check(article, lines)


@SETTINGS
@given(st.binary(max_size=2000))
def test_any_bytes_decode_to_text_or_our_error(data: bytes) -> None:
    try:
        lines = decode(data, "seeds/x.txt")
    except SahelbriefError as error:
        assert error.path == "seeds/x.txt" and error.line is not None and error.line >= 1
        return
    assert not any(c in HIDDEN for line in lines for c in line)
    assert not any((ord(c) < 32 and c != "\t") or 0x7F <= ord(c) <= 0x9F for c in "".join(lines))
    assert not any("\r" in line or "\n" in line for line in lines)
    _read(lines, "seeds/x.txt")


@SETTINGS
@given(documents)
def test_any_text_reads_to_an_article_or_our_error(text: str) -> None:
    try:
        lines = decode(text.encode("utf-8", "surrogatepass"), "content/x.md")
    except SahelbriefError:
        return
    _read(lines, "content/x.md")


@SETTINGS
@given(st.sampled_from(["utf-8-sig", "utf-16", "utf-32"]), st.text(min_size=1, max_size=200))
def test_text_with_a_byte_order_mark_decodes_to_the_same_lines(encoding: str, text: str) -> None:
    clean = "".join(
        c
        for c in text
        if c not in HIDDEN
        and not 0xD800 <= ord(c) <= 0xDFFF
        and (c in "\t\r\n" or not (ord(c) < 32 or 0x7F <= ord(c) <= 0x9F))
    )
    lines = decode(clean.encode(encoding), "seeds/x.txt")
    assert lines == re.split(r"\r\n|\r|\n", clean)


def _decoded_by_regex(data: bytes, path: str) -> list[str]:
    """decode as first written, every text through the regular expressions: the reference for
    its faster path for ASCII text."""
    text = _text(data, path).replace("\v", " ").replace("\f", " ")
    control = _CONTROL.search(text)
    if control:
        before = _LINE_END.split(text[: control.start()])
        raise SourceError(f"control at {len(before[-1]) + 1}", path, len(before))
    return _LINE_END.split(_INVISIBLE.sub("", text))


@SETTINGS
@given(
    st.text(st.sampled_from("ab \t\r\n\v\f\x00\x01\x08\x0e\x1f\x7f\x85\x9f\u200b\u2066é’"))
    | st.text()
)
def test_decoding_agrees_with_the_regular_expressions(text: str) -> None:
    data = text.encode("utf-8", "surrogatepass")
    try:
        expected: list[str] | int | None = _decoded_by_regex(data, "seeds/x.txt")
    except SourceError as error:
        expected = error.line
    try:
        assert decode(data, "seeds/x.txt") == expected
    except SourceError as error:
        assert error.line == expected
