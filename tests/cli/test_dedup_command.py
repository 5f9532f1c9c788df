"""`sahelbrief dedup`: prints what a build would remove and why, and builds nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from sahelbrief.cli import main
from tests.cli.dedup_project import write_project


def test_prints_a_table_per_article_and_builds_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    project = write_project(tmp_path)
    assert main(["dedup", str(project)]) == 0
    out = capsys.readouterr().out
    assert not (project / "site").exists()
    assert "== seeds/2026-03-02-copy.txt  (a copy of the story seeds/2026-03-01-wire.txt" in out
    assert "== seeds/2026-03-01-wire.txt" not in out  # nothing removed there
    # A near-duplicate is shown side by side with the paragraph it repeats.
    assert "removed" in out and "| kept: seeds/2026-03-01-wire.txt:5" in out
    assert "MENAKA, Mali (AFP)" in out
    # A look-alike kept apart says which fact differs.
    assert "kept apart from seeds/2026-03-01-wire.txt:5" in out and "number '15'" in out
    assert out.rstrip().endswith("kept apart because a fact differs.")
    assert "6 of 19 paragraphs would be removed (5 exact, 1 near)" in out


def test_all_lists_kept_paragraphs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = write_project(tmp_path)
    assert main(["dedup", "--all", str(project)]) == 0
    assert "== seeds/2026-03-01-wire.txt" in capsys.readouterr().out


def test_config_errors_are_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "sahelbrief.yaml").write_text("dedup:\n  scope: world\n", "utf-8")
    assert main(["dedup", str(tmp_path)]) == 1
    assert 'sahelbrief.yaml:2: dedup.scope: must be "site" or "article"' in capsys.readouterr().err
