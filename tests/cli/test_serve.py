"""`sahelbrief serve` as a user runs it: prints its URL, serves, stops cleanly on Ctrl-C."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO, write_tree

PROJECT = """
-- content/2026-11-20-border.md --
---
title: Niger reopens the border
---
Trucks cross again.
"""


@pytest.fixture
def temp(tmp_path: Path) -> Path:
    folder = tmp_path / "tmp"
    folder.mkdir()
    return folder


def start(project: Path, temp: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "sahelbrief", "serve", str(project), "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        # TMPDIR is where the preview builds: the test checks it is left empty.
        env={**os.environ, "PYTHONPATH": str(REPO / "src"), "TMPDIR": str(temp)},
        # Ctrl-C as in a terminal, even when the suite runs as a background job (whose shell
        # ignores SIGINT for its children, and Python then keeps ignoring it).
        preexec_fn=_default_sigint,
    )


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    yield write_tree(tmp_path / "project", PROJECT)


def test_prints_its_url_serves_and_stops_cleanly(project: Path, temp: Path) -> None:
    process = start(project, temp)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert "Serving" in line
        url = line.split(" at ", 1)[1].split()[0]
        assert url.startswith("http://127.0.0.1:") and not url.endswith(":0/")
        assert list(temp.iterdir())  # the build folder exists while serving
        with urllib.request.urlopen(url + "articles/niger-reopens-the-border/", timeout=10) as r:
            assert b"Trucks cross again." in r.read()
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 0
    assert "Stopped." in err
    assert list(temp.iterdir()) == []


def test_sigterm_also_cleans_up(project: Path, temp: Path) -> None:
    process = start(project, temp)
    try:
        assert process.stdout is not None
        assert "Serving" in process.stdout.readline()
        process.terminate()
        process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 0
    assert list(temp.iterdir()) == []


def test_binding_every_interface_warns(project: Path, temp: Path) -> None:
    process = start(project, temp, "--host", "0.0.0.0")
    try:
        assert process.stdout is not None
        assert "http://localhost:" in process.stdout.readline()
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
    finally:
        process.kill()
    assert "Warning: serving on 0.0.0.0" in err


def test_a_port_in_use_is_an_error(project: Path, temp: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "sahelbrief", "serve", str(project), "--port", str(port)],
            capture_output=True,
            text=True,
            cwd=REPO,
            env={**os.environ, "PYTHONPATH": str(REPO / "src"), "TMPDIR": str(temp)},
            timeout=60,
        )
    assert result.returncode == 1
    assert f"Error: cannot listen on 127.0.0.1:{port}" in result.stderr
    assert list(temp.iterdir()) == []
