from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sahelbrief.pipeline.render import markup
from sahelbrief.pipeline.render.markup import block, inline


def test_seed_emphasis_renders_and_html_is_shown_as_text() -> None:
    assert inline("*Note* <b>bold</b> & co") == "<em>Note</em> &lt;b&gt;bold&lt;/b&gt; &amp; co"


@pytest.mark.parametrize(
    "text", ["1. Not a list", "# Not a heading", "- Not a bullet", "---", "-- -", "_ _ _", "** *"]
)
def test_seed_lines_never_become_blocks(text: str) -> None:
    assert inline(text) == text


def test_seed_links_keep_only_safe_schemes() -> None:
    html = inline("[a](javascript:alert(1)) [b](https://example.org/)")
    assert "javascript" not in html
    assert 'href="https://example.org/"' in html


@pytest.mark.parametrize(
    "attack",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        '<iframe src="https://evil.example/"></iframe>',
        "<style>body{display:none}</style>",
        '<form action="https://evil.example/"><input></form>',
        '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    ],
)
def test_markdown_raw_html_is_sanitized(attack: str) -> None:
    html = block(f"Before.\n\n{attack}\n\nAfter.").lower()
    for bad in ("<script", "onerror", "javascript:", "<iframe", "<style", "<form", "data:"):
        assert bad not in html
    assert "before." in html and "after." in html


def test_markdown_site_links_get_the_base_path() -> None:
    html = block("[About](/about/) [Ext](https://x.org/) [Anchor](#a)", base_path="/brief/")
    assert 'href="/brief/about/"' in html
    assert 'href="https://x.org/"' in html
    assert 'href="#a"' in html


def test_markdown_headings_get_anchors() -> None:
    assert '<h2 id="where-the-stories-come-from">' in block("## Where the stories come from")


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ab Z9.,;:'\"?!()/%’‘“”«»…-é ß1*_[]<>&\\#`", min_size=1, max_size=40))
def test_plain_lines_skip_markdown_with_the_same_result(text: str) -> None:
    assert markup._inline(text, "/") == markup._inline_markdown(text, "/")


_WORDS = st.one_of(
    st.text(alphabet="ab Z9.,;:'\"?!()/%’‘“”«»…-é", min_size=1, max_size=30),
    st.sampled_from(
        [
            "HTML",
            "-",
            "--",
            "-- -",
            "-- --",
            "=",
            "1. one",
            "- dash",
            ": colon",
            "  two",
            'a "q',
            "l'x",
        ]
    ),
)
_PLAIN = st.lists(_WORDS, min_size=1, max_size=3).map("\n".join)
# Each block is a paragraph of plain-looking lines put in a Markdown construct (or left alone).
_SHAPES = [
    "{}",
    "{}",
    "{}",
    "## {}",
    "{}\n---",
    "{}\n-",
    "{}\n=",
    "- {}",
    "1. {}",
    "    {}",
    "> {}",
    ": {}",
    "{}\n: definition",
    "*{}* and [a link](/x/)",
    "{}[^1]\n\n[^1]: note",
    "| a | b |\n|---|---|\n| {} | 2 |",
    "```\n{}",
    "~~~\n{}",
    "<div>\n{}",
    "</div>\n{}",
    '<div markdown="1">\n\n{}',
    "<!--\n{}",
    "-->\n{}",
    "*[HTML]: Hypertext\n\n{}",
    "[TOC]\n\n{}",
    "---\n\n{}",
    '<div title="a\n\n{}\n\n>\n\n</div>',
    "x[^1]\n\n{}\n\n///Footnotes Go Here///\n\n[^1]: note",
]
_BLOCKS = st.builds(str.format, st.sampled_from(_SHAPES), _PLAIN)


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.tuples(_BLOCKS, st.sampled_from(["\n", "\n\n", "\n\n\n", "\n \n"]))))
def test_plain_paragraphs_set_aside_give_what_python_markdown_gives(
    blocks: list[tuple[str, str]],
) -> None:
    text = "".join(block + separator for block, separator in blocks)
    assert markup._markdown.__wrapped__(text) == markup._python_markdown(text)


def test_plain_paragraphs_are_set_aside_around_the_structure() -> None:
    skeleton, plain = markup._set_aside("One.\n\n## Two\n\nThree\nfour.\n\n- five")
    assert plain == ["One.", "Three\nfour."]
    assert skeleton.count(markup._PLACEHOLDER) == 2 and "## Two" in skeleton
