"""The preview hands its settled heap back to the collector (sahelbrief/heap.py): when idle
(serve/watch.py, tested there) and, for an editor who never pauses, every few builds."""

from __future__ import annotations

from pathlib import Path

import pytest

from sahelbrief.pipeline import build
from sahelbrief.serve import Preview, ServeOptions, runner


def test_a_full_collection_every_few_builds(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    thawed: list[bool] = []
    monkeypatch.setattr(runner.heap, "thaw", lambda collect: thawed.append(collect))
    monkeypatch.setattr(runner, "COLLECT_EVERY", 3)
    with Preview(project, build, ServeOptions(port=0, watch=False)) as preview:
        for _ in range(5):  # with the first build: six
            assert preview.rebuild()
        assert preview.builds == 6
    assert thawed == [True, True]
