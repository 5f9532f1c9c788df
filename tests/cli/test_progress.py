"""Progress output: a bar on a terminal, a few plain lines otherwise, nothing with -q or for a
small site; the summary line last."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from sahelbrief.cli import main
from sahelbrief.progress import MIN_TOTAL, ProgressBar


def test_a_terminal_gets_one_bar_redrawn_in_place_then_cleared() -> None:
    stream = io.StringIO()
    bar = ProgressBar(stream, tty=True)
    for done in range(0, 1001, 50):
        bar("markdown", done, 1000)
    bar.close()
    text = stream.getvalue()
    assert "\n" not in text
    assert text.count("\r") >= 20
    assert "markdown  [##############################] 1000/1000" in text
    assert text.endswith("\r\033[K")


def test_not_a_terminal_gets_a_line_every_quarter() -> None:
    stream = io.StringIO()
    bar = ProgressBar(stream, tty=False)
    for done in range(1001):
        bar("pages", done, 1000)
    bar.close()
    assert stream.getvalue().splitlines() == [
        "pages: 0/1000 (0%)",
        "pages: 250/1000 (25%)",
        "pages: 500/1000 (50%)",
        "pages: 750/1000 (75%)",
        "pages: 1000/1000 (100%)",
    ]


def test_a_small_site_shows_no_progress() -> None:
    stream = io.StringIO()
    bar = ProgressBar(stream, tty=True)
    for done in range(MIN_TOTAL):
        bar("pages", done, MIN_TOTAL - 1)
    bar.close()
    assert stream.getvalue() == ""


@pytest.fixture
def big_project(project: Path) -> Path:
    (project / "seeds").mkdir()
    for n in range(MIN_TOTAL + 5):
        (project / "seeds" / f"2026-01-01-{n:04d}.txt").write_text(
            f"Wire story number {n}\nIt happened {n} times.\n", encoding="utf-8"
        )
    return project


def test_a_large_build_prints_progress_lines_then_the_summary(
    big_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", str(big_project), "--no-cache", "-j", "1"]) == 0
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert any(line.startswith("markdown: ") for line in lines)
    assert re.fullmatch(r"pages: (\d+)/\1 \(100%\)", lines[-1])
    assert captured.out.startswith(f"Built {MIN_TOTAL + 5} articles")
    assert not (big_project / ".sahelbrief-cache").exists()


def test_quiet_prints_no_progress(big_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(big_project), "-q", "-j", "1"]) == 0
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", "")
    assert (big_project / ".sahelbrief-cache").is_dir()


def test_verbose_shows_each_stage_time_and_a_skipped_rebuild(
    big_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["build", str(big_project), "-q"])
    capsys.readouterr()
    assert main(["build", str(big_project), "-v"]) == 0
    err = capsys.readouterr().err
    assert "  check " in err
    assert "unchanged kept" in err or "nothing changed since the last build" in err


def test_jobs_must_be_positive(big_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(big_project), "-j", "0"]) == 1
    assert "--jobs must be at least 1" in capsys.readouterr().err
