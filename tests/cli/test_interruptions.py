"""A build killed at any moment, or two builds at once, never leave a half-written or mixed site:
site/ is always exactly the old site or exactly the new one, and the next build cleans up."""

from __future__ import annotations

import fcntl
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hardening import leftovers, make_project, tree_hash

KILLS = 20
SEED = 7


def _write_sources(project: Path, version: str, articles: int = 150) -> None:
    """A project whose every output page differs between versions "A" and "B" (the site title is
    on every page), so a mix of the two would match neither."""
    (project / "sahelbrief.yaml").write_text(f"title: Brief {version}\nper_page: 10\n")
    for n in range(articles):
        paragraphs = [
            f"Paragraph {p} of story {n}: the convoy left Gao at dawn ({version}), officials said."
            for p in range(40)
        ]
        text = f"Story {n} from the Sahel\n" + "\n".join(paragraphs) + "\n"
        (project / "seeds" / f"2026-11-{n % 28 + 1:02d}-story-{n:03d}.txt").write_text(text)


def _build(project: Path, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "sahelbrief", "build", str(project), "-q", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _finish(process: subprocess.Popen[bytes]) -> tuple[int, str]:
    _, err = process.communicate(timeout=120)
    return process.returncode, err.decode()


@pytest.fixture
def versions(tmp_path: Path) -> tuple[Path, dict[str, str], float]:
    """A project built at version A, the tree hashes of both versions' sites, and how long a
    build takes here (the slower of two)."""
    project = make_project(tmp_path / "project")
    hashes = {}
    duration = 0.0
    for version in ("B", "A"):
        _write_sources(project, version)
        began = time.monotonic()
        assert _finish(_build(project)) == (0, "")
        duration = max(duration, time.monotonic() - began)
        hashes[version] = tree_hash(project / "site")
    assert hashes["A"] != hashes["B"]
    return project, hashes, duration


@pytest.mark.slow
def test_sigkill_at_random_moments_leaves_old_or_new_site(
    versions: tuple[Path, dict[str, str], float],
) -> None:
    project, hashes, duration = versions
    by_hash = {h: v for v, h in hashes.items()}
    rng = random.Random(SEED)
    outcomes = []
    for _ in range(KILLS):
        current = by_hash[tree_hash(project / "site")]
        target = "B" if current == "A" else "A"
        _write_sources(project, target)
        process = _build(project)
        # Up to twice a build's time: the machine is shared, and builds vary that much.
        time.sleep(rng.uniform(0, duration * 2))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        after = tree_hash(project / "site")
        assert after in by_hash, "site/ is neither the old nor the new site"
        outcomes.append((by_hash[after] == target, bool(leftovers(project))))
    print(
        f"kills: {len(outcomes)}, swapped: {sum(s for s, _ in outcomes)}, "
        f"left a staging folder: {sum(left for _, left in outcomes)}"
    )
    # At least one kill landed before the swap and one after, or the test proved nothing.
    assert any(s for s, _ in outcomes) and not all(s for s, _ in outcomes)

    current = by_hash[tree_hash(project / "site")]
    _write_sources(project, current)
    assert _finish(_build(project)) == (0, "")
    assert tree_hash(project / "site") == hashes[current]
    assert leftovers(project) == []


@pytest.mark.slow
def test_two_builds_at_once_never_mix(versions: tuple[Path, dict[str, str], float]) -> None:
    project, hashes, _ = versions
    _write_sources(project, "B")
    first, second = _build(project), _build(project)
    results = [_finish(first), _finish(second)]
    assert [code for code, _ in results] == [0, 0], results
    assert tree_hash(project / "site") == hashes["B"]
    assert leftovers(project) == []


def test_second_build_waits_for_the_lock(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    lock = (project / ".site.lock").open("a")
    fcntl.flock(lock, fcntl.LOCK_EX)
    process = subprocess.Popen(
        [sys.executable, "-m", "sahelbrief", "build", str(project)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        lines = []
        for _ in range(20):  # other warnings may come first; the build blocks after this one
            lines.append(process.stderr.readline())
            if "another build is writing" in lines[-1] or not lines[-1]:
                break
        assert "waiting for it to finish" in lines[-1], lines
        assert process.poll() is None
        assert not (project / "site").exists()
    finally:
        fcntl.flock(lock, fcntl.LOCK_UN)
        lock.close()
    out, _ = process.communicate(timeout=60)
    assert process.returncode == 0
    assert "Built 1 article" in out
    assert (project / "site/index.html").is_file()


def test_lock_of_a_killed_build_is_not_stale(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, sys, time; f = open(sys.argv[1], 'a'); fcntl.flock(f, fcntl.LOCK_EX); "
            "print('locked', flush=True); time.sleep(600)",
            str(project / ".site.lock"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait(timeout=10)
    done = subprocess.run(
        [sys.executable, "-m", "sahelbrief", "build", str(project)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "waiting" not in done.stderr


@pytest.mark.slow
def test_sigterm_unwinds_and_removes_the_staging_folder(
    versions: tuple[Path, dict[str, str], float],
) -> None:
    project, hashes, _ = versions
    _write_sources(project, "B")
    process = _build(project)
    for _ in range(2000):  # wait (at most ~20 s) until the build is writing its staging folder
        if leftovers(project) or process.poll() is not None:
            break
        time.sleep(0.01)
    assert process.poll() is None, "the build finished before it could be stopped"
    process.send_signal(signal.SIGTERM)
    code, err = _finish(process)
    assert code == 130
    assert "Interrupted; the previous site was left as it was." in err
    assert leftovers(project) == []
    assert tree_hash(project / "site") == hashes["A"]


def test_build_waiting_for_the_lock_reads_the_sources_after_it(tmp_path: Path) -> None:
    """The lock is taken before the sources are read: a build that had to wait publishes the
    sources as they are when it gets the lock, never older ones over a newer site."""
    project = make_project(tmp_path / "project")
    story = project / "seeds/story.txt"
    story.write_text("Old headline\nOld text.\n")
    lock = (project / ".site.lock").open("a")
    fcntl.flock(lock, fcntl.LOCK_EX)
    process = subprocess.Popen(
        [sys.executable, "-m", "sahelbrief", "build", str(project)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        lines = []
        for _ in range(20):
            lines.append(process.stderr.readline())
            if "another build is writing" in lines[-1] or not lines[-1]:
                break
        assert "waiting for it to finish" in lines[-1], lines
        story.write_text("New headline\nNew text.\n")
    finally:
        fcntl.flock(lock, fcntl.LOCK_UN)
        lock.close()
    process.communicate(timeout=60)
    assert process.returncode == 0
    assert (project / "site/articles/new-headline/index.html").is_file()
    assert not (project / "site/articles/old-headline").exists()
