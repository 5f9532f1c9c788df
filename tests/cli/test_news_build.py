"""The build's "now": SOURCE_DATE_EPOCH decides what is future-dated, expired and latest."""

from __future__ import annotations

from pathlib import Path

import pytest

from sahelbrief.cli import main
from tests.conftest import tree_bytes, write_tree

PROJECT = """
-- content/2026-11-20-old.md --
---
title: Old story
expires: 2026-11-25
---
Mali.
-- content/2026-11-24-today.md --
---
title: Story of the day
---
Niger.
-- content/2026-11-26-embargo.md --
---
title: Embargoed story
---
Chad.
"""
NOV_24 = "1795478400"  # 2026-11-24 00:00 UTC
NOV_26 = "1795651200"  # 2026-11-26 00:00 UTC


def build_at(
    project: Path, out: Path, epoch: str, monkeypatch: pytest.MonkeyPatch, *flags: str
) -> dict[str, bytes]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    assert main(["build", str(project), "-o", str(out), "-q", *flags]) == 0
    return tree_bytes(out)


def test_future_dated_stories_wait_for_their_day(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(project, PROJECT)
    early = build_at(project, tmp_path / "a", NOV_24, monkeypatch)
    assert "articles/embargoed-story/index.html" not in early
    assert b"Story of the day" in early["index.html"]
    late = build_at(project, tmp_path / "b", NOV_26, monkeypatch)
    assert "articles/embargoed-story/index.html" in late
    assert b"Embargoed story" in late["index.html"]  # now the latest edition
    drafts = build_at(project, tmp_path / "c", NOV_24, monkeypatch, "--drafts")
    assert "articles/embargoed-story/index.html" in drafts


def test_expiry_follows_the_same_clock(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(project, PROJECT)
    before = build_at(project, tmp_path / "a", NOV_24, monkeypatch)
    after = build_at(project, tmp_path / "b", NOV_26, monkeypatch)
    assert b"Old story" in before["archive/2026/11/index.html"]
    assert b"Old story" not in after["archive/2026/11/index.html"]
    assert "articles/old-story/index.html" in after  # unlisted, not deleted


def test_same_epoch_same_bytes(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(project, PROJECT)
    first = build_at(project, tmp_path / "a", NOV_24, monkeypatch)
    second = build_at(project, tmp_path / "b", NOV_24, monkeypatch)
    assert first == second
