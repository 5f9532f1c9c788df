"""Mistyped arguments: a usage error naming the option and what it takes (exit 2, as argparse
does for every usage error), never an internal error; failures of commands that publish
nothing do not speak of the previous site."""

from __future__ import annotations

from pathlib import Path

import pytest

from sahelbrief.cli import main
from tests.conftest import write_tree


def _usage_error(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as exited:
        main(list(argv))
    assert exited.value.code == 2
    return capsys.readouterr().err


@pytest.mark.parametrize("port", ["99999", "-1", "http"])
def test_a_port_out_of_range_is_a_usage_error(
    project: Path, capsys: pytest.CaptureFixture[str], port: str
) -> None:
    err = _usage_error(capsys, "serve", str(project), "--port", port)
    assert "argument --port" in err and "0 to 65535" in err
    assert "internal error" not in err


@pytest.mark.parametrize("day", ["2026-13-01", "yesterday"])
def test_an_impossible_date_for_a_new_story_is_a_usage_error(
    project: Path, capsys: pytest.CaptureFixture[str], day: str
) -> None:
    err = _usage_error(capsys, "new", "Headline", "-C", str(project), "--date", day)
    assert f"argument --date: {day!r} is not a date written YYYY-MM-DD" in err
    assert not (project / "content").exists()


def test_a_failed_dedup_does_not_speak_of_a_site(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_tree(project, "-- content/a.md --\n---\ntitle: [unclosed\n---\nText.\n")
    assert main(["dedup", str(project)]) == 1
    err = capsys.readouterr().err
    assert "content/a.md:2" in err
    assert "dedup failed in the read stage: 1 error." in err
    assert "site" not in err


def test_a_failed_build_says_the_previous_site_is_left(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_tree(project, "-- content/a.md --\n---\ntitle: [unclosed\n---\nText.\n")
    assert main(["build", str(project)]) == 1
    err = capsys.readouterr().err
    assert "Build failed in the read stage: 1 error; the previous site was left as it was." in err
