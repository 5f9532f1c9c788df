"""The Pagefind step: runs on the staged site before the swap; when Pagefind is missing or
fails, the build fails clearly and the published site is left as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from sahelbrief.errors import BuildFailed
from sahelbrief.pipeline import BuildOptions, build
from tests.conftest import tree_bytes, write_tree

PROJECT = """
-- sahelbrief.yaml --
base_url: https://example.org/brief/
-- content/2026-11-20-gaya.md --
---
title: Niger reopens the Gaya crossing
date: 2026-11-20
---
Trucks crossed into Benin at Gaya on Tuesday for the first time in months.
"""


def test_the_index_is_built_inside_the_published_site(project: Path) -> None:
    write_tree(project, PROJECT)
    build(project)
    bundle = project / "site" / "pagefind"
    assert (bundle / "pagefind.js").is_file()
    assert list((bundle / "index").glob("*.pf_index"))
    # Only the story page is indexed (listings would repeat every story).
    entry = (bundle / "pagefind-entry.json").read_text(encoding="utf-8")
    assert '"page_count":1' in entry.replace(" ", "")


def test_search_false_builds_neither_index_nor_search_page(project: Path) -> None:
    write_tree(project, PROJECT + "-- sahelbrief.yaml --\nsearch: false\n")
    build(project)
    assert not (project / "site" / "pagefind").exists()
    assert not (project / "site" / "search").exists()
    assert 'role="search"' not in (project / "site" / "index.html").read_text(encoding="utf-8")


def test_missing_pagefind_fails_clearly_and_keeps_the_old_site(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(project, PROJECT)
    build(project)
    before = tree_bytes(project / "site")
    monkeypatch.setattr("pagefind.service.get_executable", lambda: None)
    with pytest.raises(BuildFailed) as caught:
        build(project, BuildOptions())
    assert caught.value.stage == "search"
    assert "pip install 'pagefind[extended]'" in str(caught.value.errors[0])
    assert tree_bytes(project / "site") == before
    assert [p.name for p in project.iterdir() if p.name.startswith(".site.")] in (
        [],
        [".site.lock"],
    )


def test_a_failing_pagefind_is_reported(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(project, PROJECT)
    fake = project / "fake-pagefind"
    fake.write_text("#!/bin/sh\necho 'Error: out of cheese' >&2\nexit 3\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setattr("pagefind.service.get_executable", lambda: fake)
    with pytest.raises(BuildFailed) as caught:
        build(project, BuildOptions())
    assert "Pagefind failed: Error: out of cheese" in str(caught.value.errors[0])
    assert not (project / "site").exists()
