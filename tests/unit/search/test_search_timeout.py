"""A stuck indexer must not hang an unattended build: it is stopped and the build fails."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from sahelbrief.config import Config
from sahelbrief.errors import BuildFailed

search = importlib.import_module("sahelbrief.pipeline.search")


def test_pagefind_that_never_finishes_is_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stuck = tmp_path / "pagefind"
    stuck.write_text("#!/bin/sh\nexec sleep 600\n")
    stuck.chmod(0o755)
    monkeypatch.setattr(search, "pagefind_executable", lambda: stuck)
    monkeypatch.setattr(search, "TIMEOUT_SECONDS", 1)
    (tmp_path / "site").mkdir()
    with pytest.raises(BuildFailed) as failed:
        search.index_site(tmp_path / "site", Config())
    assert "Pagefind did not finish in 1 s; the site was left as it was" in str(
        failed.value.errors[0]
    )
