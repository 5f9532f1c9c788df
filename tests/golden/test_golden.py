"""Whole-site golden tests: a project is built and every output file is compared with the
expected tree checked in beside it. After an intended change of output, regenerate with
`pytest tests/golden --regen-golden` and review the diff."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from sahelbrief.pipeline import BuildOptions, build
from tests.conftest import tree_bytes

HERE = Path(__file__).parent
# "Now" is fixed so future dates, expiry and the latest edition never depend on the clock.
TODAY = dt.date(2026, 11, 25)
CASES = {
    "newsroom-root": ("newsroom", BuildOptions(today=TODAY)),
    "newsroom-subpath": (
        "newsroom",
        BuildOptions(base_url="https://example.org/brief/", today=TODAY),
    ),
    "newsroom-drafts": ("newsroom", BuildOptions(drafts=True, today=TODAY)),
    # A French site with editions, an editor's note, corrections, an expired and a future story.
    "briefing-root": ("briefing", BuildOptions(today=TODAY)),
    "briefing-subpath": (
        "briefing",
        BuildOptions(base_url="https://example.org/breve/", today=TODAY),
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_site_matches_golden(case: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    project_name, options = CASES[case]
    out = tmp_path / "site"
    result = build(HERE / "projects" / project_name, dataclasses.replace(options, out_dir=out))
    produced = tree_bytes(out)
    produced["report.json"] = (
        json.dumps(result.report, indent=2, ensure_ascii=False) + "\n"
    ).encode()
    expected_dir = HERE / "expected" / case
    if request.config.getoption("--regen-golden"):
        shutil.rmtree(expected_dir, ignore_errors=True)
        for name, data in produced.items():
            (expected_dir / name).parent.mkdir(parents=True, exist_ok=True)
            (expected_dir / name).write_bytes(data)
    expected = tree_bytes(expected_dir)
    assert sorted(produced) == sorted(expected)
    for name in expected:
        assert produced[name].decode() == expected[name].decode(), name
