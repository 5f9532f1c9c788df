"""Run the atheris fuzzer of the readers for a fixed number of iterations, from the checked-in
corpus, with a fixed seed: any crash, hang (-timeout) or memory blow-up (-rss_limit_mb) fails."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
RUNS = 10_000


@pytest.mark.slow
def test_readers_survive_fuzzing(tmp_path: Path) -> None:
    work = tmp_path / "corpus"
    shutil.copytree(HERE / "corpus", work)
    done = subprocess.run(
        [
            sys.executable,
            str(HERE / "fuzz_readers.py"),
            f"-runs={RUNS}",
            "-seed=1",
            "-max_len=4096",
            "-timeout=10",
            "-rss_limit_mb=2048",
            f"-artifact_prefix={tmp_path}/",  # a crashing input is saved here, not in the cwd
            str(work),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"Done {RUNS} runs" in done.stderr, done.stderr[-3000:]


def test_corpus_is_checked_in() -> None:
    names = {p.name for p in (HERE / "corpus").iterdir()}
    assert {"yaml-alias.md", "utf16.txt", "png.txt", "html.md"} <= names
