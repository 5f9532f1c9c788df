"""Pagefind reads only the folders that hold pages carrying data-pagefind-body (IndexedPages):
the bundle is the one it makes from the whole site, without parsing every listing."""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sahelbrief.config import Config
from sahelbrief.model import FileStamp, IndexRecord, KeptFile, OutputFile, StagedFile
from sahelbrief.pipeline import BuildOptions, build
from sahelbrief.pipeline import search as search_module
from sahelbrief.pipeline.search import (
    IndexedPages,
    Pagefind,
    PendingIndex,
    carries,
    pagefind,
    pagefind_executable,
)
from tests.conftest import indexed_words, tree_bytes, write_tree
from tests.unit.search.test_search_index import PROJECT as ONE_STORY

BODY = b'<article data-pagefind-body="">story</article>'

# Two stories (one with a topic, for a listing page) and a standing page.
PROJECT = (
    ONE_STORY
    + """
-- content/2026-11-21-dori.md --
---
title: Market day returns to Dori
date: 2026-11-21
topics: [borders]
---
Traders from Djibo and Gorom-Gorom filled the cattle market in Dori on Saturday.
-- content/about.md --
---
title: About us
kind: page
---
A small newsroom covering the Sahel.
"""
)


def _seen(
    files: list[OutputFile | KeptFile] | list[StagedFile], pages: IndexedPages
) -> IndexedPages:
    assert list(pages.watch(files)) == files  # the files pass through unchanged
    return pages


def test_the_glob_names_the_folders_and_top_level_files_of_the_pages(tmp_path: Path) -> None:
    pages = _seen(
        [
            OutputFile("articles/gaya/index.html", b"<p>" + BODY),
            OutputFile("articles/dori/index.html", BODY),
            OutputFile("topics/borders/index.html", b"<article>listing</article>"),
            OutputFile("welcome.html", BODY),
            OutputFile("notes/story.txt", BODY),  # not HTML: Pagefind never reads it
        ],
        IndexedPages(tmp_path),
    )
    assert pages.glob() == "{articles/**/*.html,welcome.html}"
    assert pages.noted() == IndexRecord(
        frozenset({"articles/gaya/index.html", "articles/dori/index.html", "welcome.html"})
    )


def test_one_folder_is_a_plain_glob(tmp_path: Path) -> None:
    pages = _seen([OutputFile("articles/gaya/index.html", BODY)], IndexedPages(tmp_path))
    assert pages.glob() == "articles/**/*.html"


@pytest.mark.parametrize(
    "paths",
    [
        [],  # no page carries it: Pagefind indexes every page, as it would on its own
        [f"story-{n}/index.html" for n in range(65)],  # too many folders to be a saving
        ["a,b/index.html"],  # a name the glob syntax would read
        ["{x}/index.html"],
    ],
)
def test_every_file_is_read_when_a_glob_would_not_do(tmp_path: Path, paths: list[str]) -> None:
    pages = _seen([OutputFile(path, BODY) for path in paths], IndexedPages(tmp_path))
    assert pages.glob() is None


def test_a_kept_page_is_told_by_the_last_build_or_else_by_the_live_file(tmp_path: Path) -> None:
    kept = [KeptFile("articles/gaya/index.html", b""), KeptFile("topics/x/index.html", b"")]
    record = IndexRecord(frozenset({"articles/gaya/index.html"}))
    noted = _seen(kept, IndexedPages(tmp_path, record))
    assert noted.glob() == "articles/**/*.html"
    write_tree(
        tmp_path,
        "-- articles/gaya/index.html --\n<article data-pagefind-body>\n"
        "-- topics/x/index.html --\n<ul></ul>\n",
    )
    read = _seen(kept, IndexedPages(tmp_path))
    assert read.glob() == "articles/**/*.html"
    assert read.noted() == record


def test_a_page_kept_from_the_spare_copy_is_told_by_that_copy(tmp_path: Path) -> None:
    """The write stage publishes the spare copy's file (write.intact) even when the live one
    was changed since: the index follows what is published."""
    site = tmp_path / "site"
    write_tree(site, "-- articles/gaya/index.html --\n<p>defaced</p>\n")
    write_tree(
        tmp_path / ".site.spare", "-- articles/gaya/index.html --\n<article data-pagefind-body>\n"
    )
    stamp = FileStamp(b"", 0, 0, 0)
    staged = _seen([KeptFile("articles/gaya/index.html", b"", stamp)], IndexedPages(site))
    assert staged.glob() == "articles/**/*.html"
    live = _seen([KeptFile("articles/gaya/index.html", b"")], IndexedPages(site))
    assert live.glob() is None  # no page carries it, by the live file


def test_a_page_a_worker_wrote_is_told_by_what_the_worker_found(tmp_path: Path) -> None:
    # The worker sends the page's stamp and whether it carries the attribute, not its bytes.
    live = FileStamp(b"live digest", 10, 0, 1)
    stamps = {"articles/gaya/index.html": live, "articles/dori/index.html": live}
    same = StagedFile("articles/gaya/index.html", live, searchable=True)
    unlisted = StagedFile("topics/x/index.html", FileStamp(b"other", 5, 0, 2), searchable=False)
    unchanged = _seen([same, unlisted], IndexedPages(tmp_path, stamps=stamps))
    assert unchanged.glob() == "articles/**/*.html"
    assert not unchanged.changed
    edited = StagedFile("articles/dori/index.html", FileStamp(b"new", 9, 0, 3), searchable=True)
    assert _seen([same, edited], IndexedPages(tmp_path, stamps=stamps)).changed


def test_an_unreadable_kept_page_means_every_file_is_read(tmp_path: Path) -> None:
    pages = _seen([KeptFile("articles/gone/index.html", b"")], IndexedPages(tmp_path))
    assert pages.glob() is None
    assert pages.noted() is None


@pytest.fixture
def logged_pagefind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The real Pagefind behind a script that logs its arguments, one run per line."""
    real, log = pagefind_executable(), tmp_path / "pagefind.log"
    script = tmp_path / "pagefind"
    script.write_text(
        f'#!/bin/sh\necho "$@" >> {shlex.quote(str(log))}\nexec {shlex.quote(str(real))} "$@"\n',
        encoding="utf-8",
    )
    script.chmod(0o755)
    monkeypatch.setattr("pagefind.service.get_executable", lambda: script)
    return log


def test_builds_read_only_the_story_folders_and_make_the_full_sites_bundle(
    project: Path, logged_pagefind: Path
) -> None:
    write_tree(project, PROJECT)
    build(project)
    _edit_story(project)
    build(project)  # most pages are kept from the live site: told by the first build's note
    runs = logged_pagefind.read_text(encoding="utf-8").splitlines()
    assert len(runs) == 2
    assert all("--glob articles/**/*.html " in run for run in runs)
    # Pagefind over the whole site, as before, makes the very same bundle.
    site = project / "site"
    assert tree_bytes(site / "pagefind") == _whole_site_bundle(site, project.parent / "whole")


def _whole_site_bundle(site: Path, out: Path) -> dict[str, bytes]:
    """The bundle Pagefind makes reading every page of `site`."""
    command = [str(pagefind_executable()), "--site", str(site), "--output-path", str(out)]
    subprocess.run([*command, "--force-language", "en", "--silent"], check=True)
    return tree_bytes(out)


def test_a_theme_that_indexes_more_pages_gets_them_indexed(
    project: Path, logged_pagefind: Path
) -> None:
    write_tree(
        project,
        PROJECT
        + "-- templates/page.html --\n"
        + '{% extends "base.html" %}{% block main %}<main data-pagefind-body>'
        + "{{ article.title }}</main>{% endblock %}\n",
    )
    build(project, BuildOptions())
    run = logged_pagefind.read_text(encoding="utf-8")
    assert "--glob {about-us/**/*.html,articles/**/*.html} " in run
    entry = (project / "site" / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8")
    assert '"page_count":3' in entry.replace(" ", "")


def test_a_build_that_changes_no_indexed_page_keeps_the_live_bundle(
    project: Path, logged_pagefind: Path
) -> None:
    listing = (Path(__file__).parents[3] / "templates" / "listing.html").read_text("utf-8")
    write_tree(project, PROJECT + "-- templates/listing.html --\n" + listing)
    build(project)
    site = project / "site"
    entry = site / "pagefind" / "pagefind-entry.json"
    made = entry.stat().st_ino
    # Only the listings change: the story pages, and so their index, stay as they were.
    (project / "templates" / "listing.html").write_text(_marked(listing, "v2"), "utf-8")
    build(project)
    assert _runs(logged_pagefind) == 1
    assert entry.stat().st_ino == made  # the live bundle, carried over by hard links
    assert "<!-- v2 -->" in (site / "topics" / "borders" / "index.html").read_text("utf-8")
    assert tree_bytes(site / "pagefind") == _whole_site_bundle(site, project.parent / "whole")
    # A story edited: indexed again.
    _edit_story(project)
    build(project)
    assert _runs(logged_pagefind) == 2
    assert b"zinder" in indexed_words(site / "pagefind")
    # A bundle that is not as it was published is never trusted.
    entry.write_bytes(entry.read_bytes())
    (project / "templates" / "listing.html").write_text(_marked(listing, "v3"), "utf-8")
    build(project)
    assert _runs(logged_pagefind) == 3
    assert tree_bytes(site / "pagefind") == _whole_site_bundle(site, project.parent / "whole2")


def _runs(log: Path) -> int:
    """The builds' runs of Pagefind (not the tests' own, over the published site)."""
    return sum("/.site." in run for run in log.read_text("utf-8").splitlines())


def _edit_story(project: Path) -> None:
    story = project / "content" / "2026-11-21-dori.md"
    story.write_text(story.read_text("utf-8") + "\nZinder prices held.\n", "utf-8")


def _marked(template: str, mark: str) -> str:
    return template.replace("{% block main %}", "{% block main %}<!-- " + mark + " -->", 1)


def test_a_deferred_index_is_not_taken_for_the_pages_index(
    project: Path, logged_pagefind: Path
) -> None:
    write_tree(project, PROJECT)
    build(project)
    # The preview publishes with the previous bundle and indexes after the swap: until that
    # is done, the live bundle is not the index of the live pages.
    _edit_story(project)
    result = build(project, BuildOptions(defer_search=True))
    assert result.pending_search is not None
    build(project, BuildOptions(skip_unchanged=False))
    assert _runs(logged_pagefind) == 2
    assert b"zinder" in indexed_words(project / "site" / "pagefind")


def test_a_site_where_no_page_carries_the_attribute_is_indexed_again_on_any_change(
    project: Path, logged_pagefind: Path
) -> None:
    # Pagefind then indexes every page: a changed story must be indexed again, although no
    # page "carrying the attribute" changed.
    theme = Path(__file__).parents[3] / "templates"
    plain = (theme / "article.html").read_text("utf-8").replace(" data-pagefind-body", "")
    write_tree(project, PROJECT + "-- templates/article.html --\n" + plain)
    build(project)
    _edit_story(project)
    build(project)
    assert _runs(logged_pagefind) == 2
    assert "--glob" not in logged_pagefind.read_text("utf-8")
    assert b"zinder" in indexed_words(project / "site" / "pagefind")


def test_only_the_attribute_in_a_tag_counts() -> None:
    assert carries(b'<main>\n<article class="a" data-pagefind-body>x</article>')
    assert carries(b'<div data-pagefind-body="">x</div>')
    # A story about Pagefind, quoting the attribute: escaped, it is text.
    assert not carries(b"<p>Add &lt;main data-pagefind-body&gt; to the template.</p>")
    assert not carries(b"<p>The data-pagefind-body attribute marks the text.</p>")
    assert not carries(b'<div data-pagefind-body-extra="1">x</div>')


def test_pagefinds_own_configuration_keeps_its_glob_and_counts_for_the_bundle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = _seen([OutputFile("articles/gaya/index.html", BODY)], IndexedPages(tmp_path))
    plain = pagefind(Config(), pages)
    assert plain is not None and plain.glob == "articles/**/*.html"
    alone = plain.identity()
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pagefind.yml").write_text("glob: 'news/**/*.html'\n", "utf-8")
    configured = pagefind(Config(), pages)
    assert configured is not None and configured.glob is None  # the user's glob stands
    with_file = configured.identity()
    assert with_file != alone
    (tmp_path / "pagefind.yml").unlink()
    monkeypatch.setenv("PAGEFIND_EXCLUDE_SELECTORS", "nav")
    assert plain.identity() not in (alone, with_file)


def test_a_deferred_index_of_a_tree_it_was_not_made_for_reads_every_page(
    tmp_path: Path,
) -> None:
    run = Pagefind(tmp_path / "pagefind", "en", "articles/**/*.html")
    pending = PendingIndex(tmp_path / "site", run, tree=(1, 2))
    assert "--glob" in pending.command(tmp_path / "bundle", (1, 2))
    # Another build published since: its pages may be elsewhere.
    assert "--glob" not in pending.command(tmp_path / "bundle", (3, 4))


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["<", ">", "a", " ", "\n", "=", "/", "p", "data-pagefind-body", '""', "<div", "&lt;"]
        ),
        max_size=14,
    )
)
def test_carries_finds_the_attribute_as_a_search_of_the_whole_page_does(parts: list[str]) -> None:
    page = "".join(parts).encode()
    assert carries(page) == (search_module._ATTRIBUTE.search(page) is not None)
