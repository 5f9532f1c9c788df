"""BuildOptions.defer_search (the preview's): the pages are published with the live site's
search bundle, and the build says what is left to index; a plain build afterwards is never
skipped as up to date, and indexes before its swap as always."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest

from sahelbrief.pipeline import BuildOptions, build
from sahelbrief.pipeline.write import swap_in
from sahelbrief.stamps import live_stamp
from tests.conftest import indexed_words, write_tree

STORY = """
-- sahelbrief.yaml --
title: Deferred
-- content/2026-10-02-bamako.md --
---
title: Bamako fuel convoys resume
date: 2026-10-02
---
The tankers reached the capital under escort: {word}.
"""
PAGE = "articles/bamako-fuel-convoys-resume/index.html"
DEFER = BuildOptions(defer_search=True)


def write_sources(project: Path, word: str) -> None:
    """The project, with modification times old enough for the build cache to trust (it does
    not record a build whose inputs changed within the last two seconds)."""
    write_tree(project, STORY.format(word=word))
    past = time.time() - 60
    for path in [project / "sahelbrief.yaml", project / "content", *project.glob("content/*")]:
        os.utime(path, (past, past))


def test_a_deferred_build_publishes_with_the_previous_bundle(project: Path) -> None:
    write_sources(project, "alphaword")
    first = build(project, DEFER)
    # No bundle to carry over yet: indexed before the swap, nothing left to do.
    assert first.pending_search is None
    site = project / "site"
    entry = (site / "pagefind" / "pagefind-entry.json").stat().st_ino

    write_sources(project, "zebraword")
    second = build(project, DEFER)
    assert "zebraword" in (site / PAGE).read_text(encoding="utf-8")
    # The same files (hard links of the previous site's), still about the old text.
    assert (site / "pagefind" / "pagefind-entry.json").stat().st_ino == entry
    assert b"alphaword" in indexed_words(site / "pagefind")
    assert second.pending_search is not None
    assert second.pending_search.site_dir == site.absolute()

    # A plain build of the same sources is not skipped as up to date: it indexes the site.
    third = build(project)
    assert not third.skipped and third.pending_search is None
    words = indexed_words(site / "pagefind")
    assert b"zebraword" in words and b"alphaword" not in words
    assert build(project).skipped  # and is up to date from then on


def test_search_off_leaves_nothing_pending(project: Path) -> None:
    write_tree(project, STORY.format(word="alphaword"))
    build(project)
    write_tree(project, "-- sahelbrief.yaml --\nsearch: false\n")
    result = build(project, DEFER)
    assert result.pending_search is None
    assert not (project / "site" / "pagefind").exists()


def test_swap_in_replaces_the_bundle_only_on_the_tree_it_was_made_from(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "pagefind").mkdir(parents=True)
    (site / "pagefind" / "made-from").write_text("old")
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    (fresh / "made-from").write_text("new")
    indexed = live_stamp(site)
    (site / "index.html").write_text("another build's page")  # the live tree changed
    assert not swap_in(site, "pagefind", fresh, indexed)
    assert (site / "pagefind" / "made-from").read_text() == "old"
    assert swap_in(site, "pagefind", fresh, live_stamp(site))
    assert (site / "pagefind" / "made-from").read_text() == "new"
    assert not fresh.exists()


def test_the_spare_copy_keeps_the_live_bundle_it_has_and_takes_a_fresh_one(
    project: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The staging folder is the site before last (write.py): after two deferred builds it
    holds the very bundle files the live site shares, and they are kept, not linked again."""
    linked: list[str] = []
    link = os.link

    def counting(source: Any, target: Any, **kwargs: Any) -> None:
        if f"{os.sep}pagefind{os.sep}" in str(source):
            linked.append(str(source))
        link(source, target, **kwargs)

    monkeypatch.setattr(os, "link", counting)
    site = project / "site"
    for word in ("alphaword", "betaword"):  # indexed, then carried over (linked)
        write_sources(project, word)
        build(project, DEFER)
    assert linked
    linked.clear()
    write_sources(project, "gammaword")
    build(project, DEFER)
    assert linked == []  # the spare copy already had the live bundle
    assert b"alphaword" in indexed_words(site / "pagefind")

    fresh = tmp_path / "fresh"  # what the preview's background refresh swaps in
    fresh.mkdir()
    (fresh / "made-from").write_text("the refresh")
    assert swap_in(site, "pagefind", fresh, live_stamp(site))
    write_sources(project, "deltaword")
    build(project, DEFER)
    assert linked == [str(site.resolve() / "pagefind" / "made-from")]
    assert sorted(p.name for p in (site / "pagefind").iterdir()) == ["made-from"]
    write_sources(project, "epsilonword")
    build(project, DEFER)  # the spare copy's bundle is the old one: replaced by links again
    assert (site / "pagefind" / "made-from").read_text() == "the refresh"
    assert not list(site.glob(".pagefind*"))  # the partial copy was renamed into place
