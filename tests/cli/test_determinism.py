"""Two builds of the same sources are byte-identical, whatever order the file system lists the
files in: the listing is shuffled in-process, and copies of the project are made in opposite
orders."""

from __future__ import annotations

import os
import random
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

import pytest
from hardening import make_project, run_build, tree_hash

SOURCES: dict[str, str] = {
    # Same derived slug three times: which one gets "-2" must not depend on listing order.
    "seeds/b-twin.txt": "Niger reopens the Benin border crossing\nA second account.\n",
    "seeds/a-twin.txt": "Niger reopens the Benin border crossing\nA third account.\n",
    # The same paragraph in undated sources: which copy is kept must not depend on it either.
    "seeds/z-repeat.txt": "Repeat story\nThe same words in two undated files.\n",
    "seeds/m-repeat.txt": "Another story\nThe same words in two undated files.\n",
    "content/2026/11/b.md": "---\ntitle: B page\nkind: page\n---\nText B.\n",
    "content/2026/11/a.md": "---\ntitle: A page\nkind: page\n---\nText A.\n",
    "content/2026/10/c.md": "---\ntitle: C story\ndate: 2026-10-01\n---\nText C.\n",
    "static/img/z.txt": "z",
    "static/img/a.txt": "a",
    "static/humans.txt": "Sahel desk\n",
    # A full address, so feeds, sitemaps and the search index are built and compared too.
    "sahelbrief.yaml": "base_url: https://brief.example.org/\n",
}


class _Listing:
    """What os.scandir returns, with the entries in a chosen order."""

    def __init__(self, entries: list[os.DirEntry[str]]) -> None:
        self._entries = entries

    def __iter__(self) -> Iterator[os.DirEntry[str]]:
        return iter(self._entries)

    def __enter__(self) -> _Listing:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None

    def close(self) -> None:
        return None


def _reorder(monkeypatch: pytest.MonkeyPatch, order: Callable[[list[Any]], None]) -> list[str]:
    """Make every folder listing come in `order`; returns the folders listed so far."""
    real_scandir, real_listdir = os.scandir, os.listdir
    listed: list[str] = []

    def scandir(path: Any = ".") -> _Listing:
        with real_scandir(path) as listing:
            entries = list(listing)
        listed.append(str(path))
        order(entries)
        return _Listing(entries)

    def listdir(path: Any = ".") -> list[Any]:
        names = real_listdir(path)
        order(names)
        return names

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(os, "listdir", listdir)
    return listed


def _site_bytes(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


@pytest.mark.parametrize("order", ["reversed", "shuffled"])
def test_listing_order_does_not_change_a_byte(
    order: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project(tmp_path / "project", dict(SOURCES))
    assert run_build(capsys, project).code == 0
    plain = _site_bytes(project / "site")
    assert "articles/niger-reopens-the-benin-border-crossing-3/index.html" in plain
    assert {"rss.xml", "feed.xml", "sitemap.xml"} <= set(plain)
    assert any(name.startswith("pagefind/") for name in plain)

    rng = random.Random(3)
    listed = _reorder(
        monkeypatch, (lambda items: items.reverse()) if order == "reversed" else rng.shuffle
    )
    assert run_build(capsys, project).code == 0
    monkeypatch.undo()
    assert {"seeds", "content", "2026", "img"} <= {Path(p).name for p in listed}
    assert _site_bytes(project / "site") == plain


def test_copies_made_in_opposite_orders_build_identically(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sources = make_project(tmp_path / "sources", dict(SOURCES))
    files = sorted(p for p in sources.rglob("*") if p.is_file())
    hashes = []
    for name, ordered in (("forward", files), ("backward", files[::-1])):
        copy = tmp_path / name
        for path in ordered:
            target = copy / path.relative_to(sources)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        report = tmp_path / f"{name}.json"
        assert run_build(capsys, copy, "--report", str(report)).code == 0
        hashes.append((tree_hash(copy / "site"), report.read_bytes()))
    assert hashes[0] == hashes[1]


def test_two_builds_are_byte_identical(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path / "project", dict(SOURCES))
    assert run_build(capsys, project).code == 0
    first = tree_hash(project / "site")
    assert run_build(capsys, project).code == 0
    assert tree_hash(project / "site") == first
