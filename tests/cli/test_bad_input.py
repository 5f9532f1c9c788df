"""Every kind of broken or hostile source: the build either handles it or reports
`Error: path:line: ...`, reports every other bad file of the same stage in the same run, exits 1,
prints no traceback, and leaves the published site/ byte for byte as it was."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hardening import add, leftovers, make_project, run_build, tree_hash

# A second bad file in the same stage as each case: the run must report it too.
CANARIES: dict[str, tuple[dict[str, bytes | str], str]] = {
    "read": (
        {"seeds/zz-canary.txt": b"\xc3\x28 canary\n"},
        "Error: seeds/zz-canary.txt:1: is not valid UTF-8 (byte offset 0",
    ),
    "assemble": (
        {
            "content/zz-canary-1.md": "---\ntitle: Canary one\nslug: canary\n---\nText.\n",
            "content/zz-canary-2.md": "---\ntitle: Canary two\nslug: canary\n---\nText.\n",
        },
        "Error: content/zz-canary-2.md:3: slug 'canary' gives the URL /articles/canary/",
    ),
    "render": (
        {"templates/404.html": '{% extends "base.html" %}\n{% block main %}{{ x }\n'},
        "Error: templates/404.html:2: template syntax",
    ),
}
FM = "---\ntitle: A title\n{}\n---\nBody text.\n"
BOMB = "\n".join(
    ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    + [f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]" for p, n in zip("abcdefg", "bcdefgh", strict=True)]
)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256))


@dataclass(frozen=True)
class Case:
    files: dict[str, bytes | str]
    errors: tuple[str, ...]  # expected `Error: ...` line starts; () = handled, not reported
    stage: str = "read"
    links: dict[str, str] = field(default_factory=dict)  # project path -> link target


OUTSIDE = "/OUTSIDE/"  # replaced by a folder outside the project
CASES: dict[str, Case] = {
    "invalid UTF-8": Case(
        {"seeds/bad.txt": b"Title line\nok\nabc \xff def\n"},
        ("seeds/bad.txt:3: is not valid UTF-8 (byte offset 18, byte 0xff); save the file as",),
    ),
    "UTF-16 without BOM": Case(
        {"seeds/bad.txt": "Title line\nBody text.\n".encode("utf-16-le")},
        ("seeds/bad.txt:1: looks like UTF-16 text without a byte order mark",),
    ),
    "UTF-16 with BOM": Case({"seeds/ok.txt": "Title line\nBody text.\n".encode("utf-16")}, ()),
    "UTF-8 BOM": Case({"seeds/ok.txt": b"\xef\xbb\xbfTitle line\nBody text.\n"}, ()),
    "CRLF": Case({"seeds/ok.txt": b"Title line\r\nBody text.\r\n"}, ()),
    "lone CR": Case({"seeds/ok.txt": b"Title line\rBody text.\r"}, ()),
    "NUL byte": Case(
        {"seeds/bad.txt": b"Title line\nBody with a NUL\x00 in it.\n"},
        ("seeds/bad.txt:2: contains a NUL character",),
    ),
    "control characters": Case(
        {
            "seeds/bad.txt": b"Title line\nBody with an escape \x1b[31m here.\n",
            "seeds/bad2.txt": "Title line\nWindows-1252 read as Latin-1: \u0093quoted\u0094.\n",
            "seeds/ok.txt": b"Title line\nA page break\x0cfrom a PDF and a\x0bvertical tab.\n",
        },
        (
            "seeds/bad.txt:2: contains the control character U+001B (column 21); remove it",
            "seeds/bad2.txt:2: contains the control character U+0093 (column 31)",
        ),
    ),
    "image saved as .txt": Case(
        {"seeds/bad.txt": PNG}, ("seeds/bad.txt:1: is a PNG image, not text",)
    ),
    "binary noise": Case(
        {"seeds/bad.txt": bytes(range(256)) * 8}, ("seeds/bad.txt:1: is a binary file, not text",)
    ),
    "empty file": Case({"seeds/bad.txt": b""}, ("seeds/bad.txt:1: has no text",)),
    "only blank lines": Case(
        {"seeds/bad.txt": b"\n  \n\t\n\r\n"}, ("seeds/bad.txt:1: has no text",)
    ),
    "only a title": Case(
        {"seeds/bad.txt": b"\nJust a headline\n"},
        ("seeds/bad.txt:2: has only a title and no text",),
    ),
    "Markdown with only a title": Case({"content/ok.md": "---\ntitle: Only\n---\n"}, ()),
    "20 MB file": Case(
        {"seeds/bad.txt": "Big title\n" + ("Word " * 20 + "\n") * 200_000},
        ("seeds/bad.txt:1: is larger than 10 MB, the limit for one source",),
    ),
    "front matter not YAML": Case(
        {"content/bad.md": FM.format("topics: [unclosed")},
        ("content/bad.md:3: front matter: not valid YAML",),
    ),
    "front matter not a mapping": Case(
        {"content/bad.md": "---\n- a\n- b\n---\nBody.\n"},
        ("content/bad.md:2: front matter: must be a mapping of keys to values",),
    ),
    "front matter unterminated": Case(
        {"content/bad.md": "---\ntitle: x\nBody.\n"},
        ('content/bad.md:1: front matter starts with "---" but has no closing',),
    ),
    "front matter wrong types": Case(
        {"content/bad.md": FM.format("date: yesterday\ntopics: 5")},
        (
            "content/bad.md:3: front matter: date: must be a date written YYYY-MM-DD",
            "content/bad.md:4: front matter: topics: must be a list of topic names",
        ),
    ),
    "front matter impossible date": Case(
        {"content/bad.md": FM.format("date: 2026-13-45")},
        ("content/bad.md:3: front matter: date: not a valid value: month must be in 1..12",),
    ),
    "front matter unknown key": Case(
        {"content/bad.md": FM.format("colour: red")},
        ("content/bad.md:3: front matter: colour: unknown key (known keys: title",),
    ),
    "front matter key twice": Case(
        {"content/bad.md": FM.format("title: Again")},
        ("content/bad.md:3: front matter: has the key 'title' twice (lines 2 and 3)",),
    ),
    "YAML bomb": Case(
        {"content/bad.md": FM.format(BOMB + "\ndate: *h")},
        ("content/bad.md:7: front matter: expands to more than 10000 values",),
    ),
    "YAML self-reference": Case(
        {"content/bad.md": FM.format("topics: &a [*a]")},
        ("content/bad.md:3: front matter: contains an alias that refers to the value holding",),
    ),
    "YAML nested deeply": Case(
        {"content/bad.md": FM.format("topics: " + "[" * 5000)},
        ("content/bad.md:3: front matter: not valid YAML: nested too deeply",),
    ),
    "front matter control character": Case(
        {"content/bad.md": FM.format("dek: bell \x07 here")},
        ("content/bad.md:3: contains the control character U+0007 (column 11)",),
    ),
    "YAML Python object": Case(
        {"content/bad.md": FM.format("dek: !!python/object/apply:os.system ['touch PWNED']")},
        ("content/bad.md:3: front matter: not valid YAML: could not determine a constructor",),
    ),
    "same slug": Case(
        {
            "content/a.md": "---\ntitle: A\nslug: same\n---\nText.\n",
            "content/b.md": "---\ntitle: B\nslug: same\n---\nText.\n",
        },
        (
            "content/b.md:3: slug 'same' gives the URL /articles/same/, already used by "
            "content/a.md",
        ),
        stage="assemble",
    ),
    "same URL, page and article": Case(
        {
            "sahelbrief.yaml": "page_permalink: /articles/{slug}/\n",
            "content/a.md": "---\ntitle: A\nslug: same\n---\nText.\n",
            "content/b.md": "---\ntitle: B\nkind: page\nslug: same\n---\nText.\n",
        },
        (
            "content/b.md:4: slug 'same' gives the URL /articles/same/, already used by "
            "content/a.md",
        ),
        stage="assemble",
    ),
    "same derived slug": Case(
        {"seeds/twin.txt": "Niger reopens the Benin border crossing\nOther words here.\n"}, ()
    ),
    "slug ../../etc/passwd": Case(
        {"content/bad.md": FM.format("slug: ../../etc/passwd")},
        ("content/bad.md:3: front matter: slug: must be lowercase ASCII letters, digits",),
    ),
    "slug /abs": Case(
        {"content/bad.md": FM.format("slug: /abs")},
        ("content/bad.md:3: front matter: slug: must be lowercase ASCII letters, digits",),
    ),
    "slug CON": Case(
        {"content/bad.md": FM.format("slug: CON"), "content/bad2.md": FM.format("slug: con")},
        (
            "content/bad.md:3: front matter: slug: must be lowercase ASCII",
            "content/bad2.md:3: front matter: slug: 'con' is a file name Windows reserves",
        ),
    ),
    "title CON": Case({"seeds/reserved.txt": "CON\nBody text here.\n"}, ()),
    "title of punctuation": Case({"seeds/punct.txt": "?!?! — ...!\nBody text here.\n"}, ()),
    "title of emoji": Case({"seeds/emoji.txt": "🔥🔥🔥 🇲🇱\nBody text here.\n"}, ()),
    "right-to-left and zero-width": Case(
        {"seeds/rtl.txt": "\u202eevil\u202c زيارة الرئيس إلى نيامي\nBody\u200b text.\n"}, ()
    ),
    "template syntax error": Case(
        {"templates/article.html": '{% extends "base.html" %}\n{% block main %}\n{% if %}\n'},
        ("templates/article.html:3: template syntax:",),
        stage="render",
    ),
    "template undefined variable": Case(
        {"templates/partials/dateline.html": "ok\n{{ nope.x }}\n"},
        ("templates/partials/dateline.html:2: 'nope' is undefined",),
        stage="render",
    ),
    "template attribute misspelt": Case(
        {
            "templates/article.html": '{% extends "base.html" %}\n{% block main %}\n'
            "{{ article.titel }}\n{% endblock %}\n"
        },
        ("templates/article.html:3: ArticleView has no attribute 'titel' (did you mean 'title'?)",),
        stage="render",
    ),
    "template property misspelt": Case(
        {
            "templates/article.html": '{% extends "base.html" %}\n{% block main %}\n'
            "{{ head(page).structurd }}\n{% endblock %}\n"
        },
        (
            "templates/article.html:3: Head has no attribute 'structurd' "
            "(did you mean 'structured'?)",
        ),
        stage="render",
    ),
    "template extending one that is missing": Case(
        {"templates/article.html": '{% extends "bse.html" %}\n'},
        ("templates/article.html:1: template 'bse.html' not found",),
        stage="render",
    ),
    "template including one that is missing": Case(
        {"templates/partials/dateline.html": 'ok\n{% include "partials/nope.html" %}\n'},
        ("templates/partials/dateline.html:2: template 'partials/nope.html' not found",),
        stage="render",
    ),
    "template raising": Case(
        {
            "templates/article.html": '{% extends "base.html" %}\n{% block main %}\n{{ 1 / 0 }}\n'
            "{% endblock %}\n"
        },
        ("templates/article.html:3: ZeroDivisionError: division by zero",),
        stage="render",
    ),
    "Markdown nested too deeply": Case(
        {"content/bad.md": FM.format("") + "\n" + "".join("  " * i + "- x\n" for i in range(2000))},
        ("content/bad.md:40: is nested too deeply (more than 64 spaces",),
    ),
    "Markdown quotes nested too deeply": Case(
        {"content/bad.md": FM.format("") + "\n" + ">" * 3000 + " deep\n"},
        ("content/bad.md:7: is nested too deeply",),
    ),
    "symlinked seed outside": Case(
        {}, ("seeds/link.txt: is a symbolic link to ",), links={"seeds/link.txt": "secret.txt"}
    ),
    "symlinked folder outside": Case(
        {}, ("content/linked: is a symbolic link to ",), links={"content/linked": "."}
    ),
    "symlink inside the project": Case(
        {"drafts/shared.txt": "Shared title\nShared body.\n"},
        (),
        links={"seeds/shared.txt": "INSIDE:drafts/shared.txt"},
    ),
}


def _setup(tmp_path: Path, case: Case) -> Path:
    project = make_project(tmp_path / "project")
    outside = tmp_path / "outside"
    outside.mkdir()
    add(outside, "secret.txt", "Secret title\nSecret text.\n")
    add(outside, "secret.md", "---\ntitle: Secret\n---\nSecret text.\n")
    for relative, data in case.files.items():
        add(project, relative, data)
    for relative, target in case.links.items():
        real = project / target[7:] if target.startswith("INSIDE:") else outside / target
        (project / relative).symlink_to(real)
    return project


@pytest.mark.parametrize("name", list(CASES))
def test_bad_file_is_reported_with_the_others_and_site_kept(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = CASES[name]
    project = make_project(tmp_path / "project")
    assert run_build(capsys, project).code == 0
    before = tree_hash(project / "site")

    project = _setup(tmp_path, case)
    canary_files, canary_error = CANARIES[case.stage]
    for relative, data in canary_files.items():
        add(project, relative, data)
    run = run_build(capsys, project)

    assert run.code == 1
    assert "Traceback" not in run.err
    lines = run.err.splitlines()
    for expected in case.errors:
        assert any(line.startswith(f"Error: {expected}") for line in lines), (expected, run.err)
    assert any(line.startswith(canary_error) for line in lines), run.err
    if not case.errors:  # handled: only the canary is reported
        reported = [line for line in lines if line.startswith("Error: ")]
        assert all("canary" in line for line in reported), run.err
    assert f"Build failed in the {case.stage} stage" in run.err
    assert tree_hash(project / "site") == before
    assert leftovers(project) == []
    assert not (project / "PWNED").exists()


def _built(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str) -> dict[str, str]:
    project = _setup(tmp_path, CASES[name])
    run = run_build(capsys, project)
    assert run.code == 0, run.err
    site = project / "site"
    return {
        p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*.html")
    }


@pytest.mark.parametrize("name", ["UTF-16 with BOM", "UTF-8 BOM", "CRLF", "lone CR"])
def test_encodings_and_line_ends_are_read_as_text(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = _built(tmp_path, capsys, name)["articles/title-line/index.html"]
    assert "<h1>Title line</h1>" in page
    assert "<p>Body text.</p>" in page
    assert "\ufeff" not in page and "\r" not in page


@pytest.mark.parametrize(
    ("name", "output"),
    [
        ("title CON", "articles/reserved/index.html"),
        ("title of punctuation", "articles/punct/index.html"),
        ("title of emoji", "articles/emoji/index.html"),
        ("same derived slug", "articles/niger-reopens-the-benin-border-crossing-2/index.html"),
        ("Markdown with only a title", "articles/only/index.html"),
        ("symlink inside the project", "articles/shared-title/index.html"),
    ],
)
def test_odd_titles_get_safe_unique_urls(
    name: str, output: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pages = _built(tmp_path, capsys, name)
    assert output in pages, sorted(pages)
    assert not any(part.casefold() == "con" for p in pages for part in p.split("/"))


def test_right_to_left_kept_and_invisible_controls_removed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pages = _built(tmp_path, capsys, "right-to-left and zero-width")
    page = pages["articles/evil-zyr-lryys-l-nymy/index.html"]
    assert "<h1>evil زيارة الرئيس إلى نيامي</h1>" in page
    assert "<p>Body text.</p>" in page
    assert not any(c in text for text in pages.values() for c in "\u202e\u202c\u200b")


def test_single_five_megabyte_line_is_published(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = "The convoy reached Gao by noon, officials said. " * 105_000
    project = make_project(tmp_path / "project", {"seeds/long.txt": f"Long line\n{line}END\n"})
    assert len(line) > 5_000_000
    run = run_build(capsys, project)
    assert run.code == 0, run.err
    page = (project / "site/articles/long-line/index.html").read_text(encoding="utf-8")
    assert line + "END" in page


def test_zero_width_copy_of_a_paragraph_is_removed_as_a_repeat(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(
        tmp_path / "project",
        {
            "seeds/copy.txt": "A copy\nTraders said prices in Nia\u200bmey mar\u00adkets had "
            "doubled during the closure.\nA new fact.\n"
        },
    )
    run = run_build(capsys, project, "--report", str(tmp_path / "report.json"))
    assert run.code == 0, run.err
    assert "1 of 6 paragraphs removed as repeats" in run.out
