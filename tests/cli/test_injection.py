"""Nothing from a source can run in a reader's browser: payloads planted in every field of a seed
and of a Markdown article must come out as inert text, never as live elements or attributes.
The built site is parsed (html5lib, as a browser would) rather than searched for substrings."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import html5lib
import pytest
from hardening import make_project, run_build

from sahelbrief import cli

MARK = "pwn"  # every payload carries it, so anything live that came from a source is traceable
PAYLOADS = [
    f"<script>alert('{MARK}')</script>",
    f"<img src=x onerror=\"alert('{MARK}')\">",
    f"<a href=\"javascript:alert('{MARK}')\">j</a>",
    f"<a href=\"  JaVaScRiPt:alert('{MARK}')\">j2</a>",
    f'<a href="data:text/html;base64,{MARK}">d</a>',
    f'<iframe src="https://evil.example/{MARK}"></iframe>',
    f"<style>body{{background:url({MARK})}}</style>",
    f'<form action="https://evil.example/{MARK}"><input name=q></form>',
    f"<svg onload=\"alert('{MARK}')\"></svg>",
    f'<div style="background:url(javascript:{MARK})" onclick="{MARK}">x</div>',
    f'"><script>{MARK}</script>',
    f"'><img src=x onerror={MARK}>",
    f"[link](javascript:alert('{MARK}'))",
    f"![img](data:image/svg+xml,{MARK})",
    f"<object data='{MARK}'></object><embed src='{MARK}'>",
    f'<meta http-equiv="refresh" content="0;url={MARK}">',
    f'<base href="https://evil.example/{MARK}/">',
]
ALL = " ".join(PAYLOADS)
DANGEROUS_TAGS = {"script", "iframe", "style", "form", "object", "embed", "base", "frame", "svg"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "srcset", "xlink:href"}


def _yaml(text: str) -> str:
    return json.dumps(text)  # JSON strings are YAML strings


def _seed() -> str:
    front = "\n".join(
        [
            "---",
            f"title: {_yaml('Seed ' + PAYLOADS[0] + PAYLOADS[10])}",
            f"summary: {_yaml(ALL)}",
            f"dek: {_yaml(ALL)}",
            f"author: {_yaml(ALL)}",
            f"source: {{name: {_yaml(ALL)}, url: {_yaml('https://x.example/' + PAYLOADS[10])}}}",
            f"topics: [{_yaml(PAYLOADS[0])}, {_yaml(PAYLOADS[1])}]",
            "---",
        ]
    )
    body = "\n".join([f"Seed headline {PAYLOADS[0]}", f"A dek {PAYLOADS[1]}.", *PAYLOADS])
    return f"{front}\n{body}\n*Editor's note {PAYLOADS[2]}*\n"


def _raw_seed() -> str:
    """No front matter: every part (summary, title, dek, body, note) inferred from payloads."""
    return (
        "\n".join(
            [ALL + ".", f"Raw {PAYLOADS[0]} headline", f"One sentence {PAYLOADS[1]}.", *PAYLOADS]
        )
        + f"\n*{PAYLOADS[6]}*\n"
    )


def _markdown(kind: str) -> str:
    front = "\n".join(
        [
            "---",
            f"title: {_yaml('Markdown ' + kind + ' ' + PAYLOADS[0])}",
            f"kind: {kind}",
            f"summary: {_yaml(ALL)}",
            f"dek: {_yaml(ALL)}",
            f"author: {_yaml(ALL)}",
            f"source: {{name: {_yaml(ALL)}, url: {_yaml('https://x.example/' + PAYLOADS[11])}}}",
            f"topics: [{_yaml(PAYLOADS[0])}]",
            "---",
        ]
    )
    return front + "\n\n" + "\n\n".join(PAYLOADS) + "\n\n" + ALL + "\n"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(
        tmp_path_factory.mktemp("xss") / "project",
        {
            "seeds/2026-11-21-payload.txt": _seed(),
            "seeds/2026-11-22-raw.txt": _raw_seed(),
            "content/2026-11-23-article.md": _markdown("article"),
            "content/pages/about.md": _markdown("page"),
            # A full address, so feeds, sitemaps and the search index are written and checked.
            "sahelbrief.yaml": "base_url: https://brief.example.org/\n",
        },
    )
    assert cli.main(["build", str(project), "-q"]) == 0
    return project / "site"


def _elements(html: str) -> Iterator[ET.Element]:
    document = html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False)
    yield from document.iter()


def _tag(element: ET.Element) -> str:
    return str(element.tag).rsplit("}", 1)[-1].lower()


def live_problems(html: str) -> list[str]:
    """What in `html` would run or load attacker-chosen content in a browser."""
    problems = []
    for element in _elements(html):
        tag = _tag(element)
        text = "".join(element.itertext()) if tag in DANGEROUS_TAGS else ""
        json_ld = tag == "script" and element.attrib.get("type") == "application/ld+json"
        if json_ld:
            # Data, not code, as long as the source text stayed inside it: text that closed the
            # script element early would leave JSON that does not parse.
            try:
                json.loads(text)
            except ValueError:
                problems.append("JSON-LD that does not parse")
        elif tag in DANGEROUS_TAGS and (
            MARK in text or any(MARK in v for v in element.attrib.values())
        ):
            problems.append(f"<{tag}> element from a source")
        if tag == "meta" and "http-equiv" in element.attrib:
            problems.append("<meta http-equiv>")
        for name, value in element.attrib.items():
            name = name.rsplit("}", 1)[-1].lower()
            if name.startswith("on"):
                problems.append(f"{name}= on <{tag}>")
            if name == "style" and MARK in value:
                problems.append(f"style= from a source on <{tag}>")
            squeezed = "".join(value.split()).lower()
            if name in URL_ATTRIBUTES and squeezed.startswith(("javascript:", "vbscript:")):
                problems.append(f"{name}={value!r} on <{tag}>")
            if name in URL_ATTRIBUTES and squeezed.startswith("data:") and value != "data:,":
                problems.append(f"{name}={value!r} on <{tag}>")
    return problems


def _holds_html(element: ET.Element) -> bool:
    """Atom says so with type="html"; in RSS, description and content:encoded are HTML."""
    name = str(element.tag).rsplit("}", 1)[-1]
    return element.get("type") == "html" or name in ("description", "encoded")


def _html_values(data: object, key: str = "") -> Iterator[str]:
    if isinstance(data, dict):
        for name, value in data.items():
            yield from _html_values(value, str(name))
    elif isinstance(data, list):
        for value in data:
            yield from _html_values(value, key)
    elif isinstance(data, str) and "html" in key.lower():
        yield data


def test_checker_finds_live_payloads() -> None:
    """The checker itself must catch each payload when it is live."""
    for payload in PAYLOADS[:10] + PAYLOADS[11:]:
        if payload.startswith(("[", "!")):
            continue
        assert live_problems(f"<p>{payload}</p>"), payload
    assert not live_problems("<p>&lt;script&gt;pwn&lt;/script&gt;</p>")


def test_every_payload_is_inert_in_every_file(site: Path) -> None:
    files = [p for p in site.rglob("*") if p.is_file()]
    assert len(files) >= 7
    problems = {}
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        found: list[str] = []
        if path.suffix == ".html":
            found = live_problems(text)
        elif path.suffix in (".xml", ".rss", ".atom"):
            # Feed readers render the HTML inside entries: check that HTML too.
            for element in ET.fromstring(text).iter():
                if element.text and _holds_html(element):
                    found += [f"<{element.tag}>: {p}" for p in live_problems(element.text)]
        elif path.suffix == ".json":
            # Data, not markup, except where a key says it holds HTML (JSON Feed's content_html).
            for html in _html_values(json.loads(text)):
                found += live_problems(html)
        if found:
            problems[path.relative_to(site).as_posix()] = found
    assert problems == {}


def test_payloads_are_shown_as_text(site: Path) -> None:
    """Escaped, not dropped: the reader sees what the source said."""
    pages = {p.relative_to(site).as_posix(): p.read_text("utf-8") for p in site.rglob("*.html")}
    seed = next(v for k, v in pages.items() if k.startswith("articles/seed-script"))
    h1 = [e for e in _elements(seed) if _tag(e) == "h1"]
    assert "".join(h1[0].itertext()).startswith(f"Seed <script>alert('{MARK}')</script>")
    assert "&lt;script&gt;" in seed
    author = [e for e in _elements(seed) if _tag(e) == "p" and "By " in "".join(e.itertext())]
    assert author and "<iframe" in "".join(author[0].itertext())


def test_slug_attempts_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(
        tmp_path / "project",
        {
            "content/a.md": f"---\ntitle: A\nslug: {_yaml(PAYLOADS[0])}\n---\nText.\n",
            "content/b.md": f"---\ntitle: B\nslug: {_yaml('javascript:' + MARK)}\n---\nText.\n",
            "content/c.md": f"---\ntitle: C\nsource: {{name: n, url: {_yaml('javascript:x')}}}"
            "\n---\nText.\n",
        },
    )
    run = run_build(capsys, project)
    assert run.code == 1
    assert "Error: content/a.md:3: front matter: slug: must be lowercase ASCII" in run.err
    assert "Error: content/b.md:3: front matter: slug: must be lowercase ASCII" in run.err
    assert "Error: content/c.md:3: front matter: source: url must start with http" in run.err
    assert not (project / "site").exists()
