"""A small project, and a running preview of it on a free port."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sahelbrief.pipeline import build
from sahelbrief.serve import Preview, ServeOptions
from tests.serve.preview_client import Client, make_project


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


@pytest.fixture
def preview(project: Path) -> Iterator[Preview]:
    # No watcher: these tests trigger rebuilds themselves, so nothing depends on event timing.
    with Preview(project, build, ServeOptions(port=0, watch=False)) as running:
        yield running


@pytest.fixture
def client(preview: Preview) -> Client:
    return Client(preview.url)
