"""The preview's background indexer on its own, with a stand-in for Pagefind (a shell script
that notes its process id, waits for a gate file, then writes a bundle recording which site it
indexed): the latest request wins, an outdated run is stopped or its bundle refused, one run at
a time, failures keep the previous bundle."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sahelbrief.pipeline import PendingIndex
from sahelbrief.pipeline.search import Pagefind
from sahelbrief.serve.indexer import SearchIndexer

FAKE_PAGEFIND = """#!/bin/sh
echo $$ >> "{log}"
while [ ! -e "{gate}" ]; do sleep 0.02; done
[ -e "{fail}" ] && {{ echo "boom: the index could not be written" >&2; exit 1; }}
mkdir -p "$4" && cp "$2/version" "$4/made-from"
"""


class Bench:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.site = root / "site"
        self.gate = root / "gate"
        self.fail = root / "fail"
        self.log = root / "pids"
        self.log.touch()
        script = root / "fake-pagefind"
        script.write_text(FAKE_PAGEFIND.format(log=self.log, gate=self.gate, fail=self.fail))
        script.chmod(0o755)
        self.pending = PendingIndex(self.site, Pagefind(script, "en"))
        self.publish("v1")

    def publish(self, version: str) -> None:
        """What a build does: a new tree swapped in, carrying the old bundle."""
        fresh = self.root / "next"
        fresh.mkdir()
        (fresh / "version").write_text(version)
        (fresh / "pagefind").mkdir()
        (fresh / "pagefind" / "made-from").write_text("old")
        if self.site.exists():
            self.site.rename(self.root / "previous")
        fresh.rename(self.site)

    def bundle(self) -> str:
        return (self.site / "pagefind" / "made-from").read_text()

    def started(self, count: int) -> list[int]:
        deadline = time.monotonic() + 30
        while len(pids := [int(n) for n in self.log.read_text().split()]) < count:
            assert time.monotonic() < deadline, f"{count} runs did not start"
            time.sleep(0.01)
        return pids


def running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def bench(tmp_path: Path) -> Bench:
    return Bench(tmp_path)


@pytest.fixture
def indexer() -> Iterator[SearchIndexer]:
    indexer = SearchIndexer()
    yield indexer
    indexer.close()


def test_a_newer_request_stops_the_run_under_way(bench: Bench, indexer: SearchIndexer) -> None:
    indexer.request(bench.pending)
    first = bench.started(1)[0]
    bench.publish("v2")
    indexer.request(bench.pending)
    second = bench.started(2)[1]
    # One run at a time: the first was stopped (and reaped) before the second began.
    assert not running(first)
    assert running(second)
    bench.gate.touch()
    assert indexer.wait_idle(30)
    assert indexer.refreshed == 1
    assert bench.bundle() == "v2"
    assert len(bench.started(2)) == 2
    assert not bench.pending.scratch.exists()


def test_a_request_with_nothing_to_index_stops_the_run_under_way(
    bench: Bench, indexer: SearchIndexer
) -> None:
    indexer.request(bench.pending)
    first = bench.started(1)[0]
    indexer.request(None)  # e.g. a build that indexed before its swap, or search turned off
    assert indexer.wait_idle(30)
    assert not running(first)
    assert indexer.refreshed == 0
    assert bench.bundle() == "old"


def test_a_bundle_made_from_a_site_no_longer_live_is_refused_and_redone(
    bench: Bench, indexer: SearchIndexer
) -> None:
    indexer.request(bench.pending)
    bench.started(1)
    # Another tree is published while the run is under way, with no request (yet) about it.
    bench.publish("v2")
    bench.gate.touch()
    assert indexer.wait_idle(30)
    # The v1 bundle was never swapped in; the run was done again over the live site.
    assert len(bench.started(2)) == 2
    assert indexer.refreshed == 1
    assert bench.bundle() == "v2"


def test_a_failure_is_reported_and_keeps_the_previous_bundle(
    bench: Bench, indexer: SearchIndexer, caplog: pytest.LogCaptureFixture
) -> None:
    bench.fail.touch()
    bench.gate.touch()
    with caplog.at_level(logging.ERROR, logger="sahelbrief.serve.indexer"):
        indexer.request(bench.pending)
        assert indexer.wait_idle(30)
    assert indexer.refreshed == 0
    assert bench.bundle() == "old"
    assert "Pagefind failed: boom: the index could not be written" in caplog.text
    # The next request is served as usual.
    bench.fail.unlink()
    indexer.request(bench.pending)
    assert indexer.wait_idle(30)
    assert bench.bundle() == "v1"


def test_close_stops_pagefind_and_removes_the_scratch_folder(bench: Bench) -> None:
    indexer = SearchIndexer()
    indexer.request(bench.pending)
    pid = bench.started(1)[0]
    indexer.close()
    assert not running(pid)
    assert not bench.pending.scratch.exists()
    assert bench.bundle() == "old"


def state(pid: int) -> str:
    """The process's state letter from /proc: "T" when stopped."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]


def settled_state(pid: int, wanted: str, timeout: float = 5.0) -> str:
    """The state letter once it is `wanted`, or as it is after `timeout` seconds: a signal is
    delivered asynchronously, so a loaded machine may show the old state for a moment."""
    deadline = time.monotonic() + timeout
    while (now := state(pid)) != wanted and time.monotonic() < deadline:
        time.sleep(0.01)
    return now


def test_a_rebuild_pauses_the_run_under_way_then_lets_it_finish(
    bench: Bench, indexer: SearchIndexer
) -> None:
    indexer.request(bench.pending)
    pid = bench.started(1)[0]
    with indexer.paused():  # a build that fails: nothing newer is requested
        assert settled_state(pid, "T") == "T"
        bench.gate.touch()
        time.sleep(0.2)
        assert running(pid)  # stopped: it cannot see the gate
    assert indexer.wait_idle(30)
    assert bench.bundle() == "v1"


def test_a_paused_run_superseded_by_the_rebuild_ends(bench: Bench, indexer: SearchIndexer) -> None:
    indexer.request(bench.pending)
    first = bench.started(1)[0]
    with indexer.paused():
        bench.publish("v2")
        indexer.request(bench.pending)  # what a successful rebuild does, before it returns
    second = bench.started(2)[1]
    deadline = time.monotonic() + 30
    while running(first):
        assert time.monotonic() < deadline, "the superseded run was left stopped"
        time.sleep(0.01)
    bench.gate.touch()
    assert indexer.wait_idle(30)
    assert running(second) is False
    assert bench.bundle() == "v2"
