"""The preview publishes an edit without waiting for Pagefind, serves the previous search bundle
meanwhile (never none), and swaps the fresh one in once Pagefind is done.

Pagefind is wrapped in a gate that holds it until the test opens it, so "the page is served
before the index is refreshed" is a fact of the test, not a race."""

from __future__ import annotations

import importlib
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sahelbrief.pipeline import build
from sahelbrief.serve import Preview, ServeOptions
from tests.conftest import indexed_words
from tests.serve.preview_client import ARTICLE, Client, make_project

search = importlib.import_module("sahelbrief.pipeline.search")

ARTICLE_URL = "/articles/niger-reopens-the-benin-border/"
ENTRY_URL = "/pagefind/pagefind-entry.json"


@pytest.fixture
def gate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A file whose presence lets Pagefind run (the real one, behind a wrapper that first notes
    its process id in `gate-open.pids`); open at first."""
    gate = tmp_path / "gate-open"
    gate.touch()
    wrapper = tmp_path / "gated-pagefind"
    real = search.pagefind_executable()
    wrapper.write_text(
        f'#!/bin/sh\necho $$ >> "{gate}.pids"\n'
        f'while [ ! -e "{gate}" ]; do sleep 0.02; done\nexec "{real}" "$@"\n'
    )
    wrapper.chmod(0o755)
    monkeypatch.setattr(search, "pagefind_executable", lambda: wrapper)
    # Should the preview wait for Pagefind again, its build fails fast instead of hanging.
    monkeypatch.setattr(search, "TIMEOUT_SECONDS", 5)
    return gate


@pytest.fixture
def gated_preview(tmp_path: Path, gate: Path) -> Iterator[Preview]:
    project = make_project(tmp_path / "project", marker="alphaword")
    with Preview(project, build, ServeOptions(port=0, watch=False)) as running:
        yield running


def test_an_edit_is_served_before_its_index_then_the_index_follows(
    gated_preview: Preview, gate: Path
) -> None:
    preview, client = gated_preview, Client(gated_preview.url)
    bundle = preview.site_dir / "pagefind"
    # The first build had no bundle to carry over: it indexed before publishing.
    assert b"alphaword" in indexed_words(bundle)
    assert preview.search is not None and preview.search.refreshed == 0

    gate.unlink()  # Pagefind now waits: only the deferred index can be waiting on it
    (preview.project / "content" / "niger-border.md").write_text(ARTICLE.format(marker="zebraword"))
    assert preview.rebuild()
    status, page = client.get(ARTICLE_URL)
    assert status == 200 and b"zebraword" in page
    # Published with the previous bundle, which is still served, whole.
    assert client.get(ENTRY_URL)[0] == 200
    words = indexed_words(bundle)
    assert b"alphaword" in words and b"zebraword" not in words
    assert not preview.search.wait_idle(0.2)  # the refresh is held at the gate

    gate.touch()
    deadline = time.monotonic() + 60
    while preview.search.refreshed == 0:
        # Never a moment without a bundle (the fresh one is swapped in as one folder).
        assert client.get(ENTRY_URL)[0] == 200
        assert time.monotonic() < deadline, "the index was not refreshed"
        time.sleep(0.01)
    words = indexed_words(bundle)
    assert b"zebraword" in words and b"alphaword" not in words
    assert client.get(ENTRY_URL)[0] == 200
    assert preview.search.wait_idle(10)
    assert not preview.site_dir.with_name(".site.search").exists()


def started(gate: Path, count: int) -> list[int]:
    """The process ids of the first `count` gated Pagefind runs, once they have started."""
    deadline = time.monotonic() + 30
    while True:
        pids = [int(n) for n in gate.with_name(gate.name + ".pids").read_text().split()]
        if len(pids) >= count:
            return pids
        assert time.monotonic() < deadline, f"{count} Pagefind runs did not start"
        time.sleep(0.01)


def gone(pid: int) -> bool:
    """Whether process `pid` ends (and is reaped) within a few seconds."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.01)
    return False


def test_a_newer_edit_supersedes_the_index_under_way(gated_preview: Preview, gate: Path) -> None:
    preview = gated_preview
    assert preview.search is not None
    source = preview.project / "content" / "niger-border.md"
    gate.unlink()
    source.write_text(ARTICLE.format(marker="betaword"))
    assert preview.rebuild()
    first = started(gate, 2)[1]  # the start-up build's run, then the one for "betaword"
    source.write_text(ARTICLE.format(marker="gammaword"))
    assert preview.rebuild()
    assert gone(first)  # stopped while still held at the gate
    started(gate, 3)
    gate.touch()
    assert preview.search.wait_idle(60)
    # Only the latest site's index was swapped in.
    assert preview.search.refreshed == 1
    words = indexed_words(preview.site_dir / "pagefind")
    assert b"gammaword" in words and b"betaword" not in words


def test_closing_stops_a_waiting_pagefind(tmp_path: Path, gate: Path) -> None:
    project = make_project(tmp_path / "project")
    with Preview(project, build, ServeOptions(port=0, watch=False)) as preview:
        folder = preview.site_dir.parent
        gate.unlink()
        (project / "content" / "niger-border.md").write_text(ARTICLE.format(marker="other"))
        assert preview.rebuild()
        waiting = started(gate, 2)[1]
    # Leaving did not wait for the gate: Pagefind was stopped, and nothing is left behind.
    assert gone(waiting)
    assert not any(t.name == "sahelbrief-search" for t in threading.enumerate())
    assert not folder.exists()
