from __future__ import annotations

import pytest

from sahelbrief.pipeline.render.markup import block, inline


def test_seed_emphasis_renders_and_html_is_shown_as_text() -> None:
    assert inline("*Note* <b>bold</b> & co") == "<em>Note</em> &lt;b&gt;bold&lt;/b&gt; &amp; co"


@pytest.mark.parametrize("text", ["1. Not a list", "# Not a heading", "- Not a bullet", "---"])
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
