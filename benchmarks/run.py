"""Time sahelbrief against Pelican and Hugo on the same generated corpus, side by side.

    python benchmarks/run.py [--articles 5000] [--repeat 3] [--growth 1000,2000,5000,10000]
                             [--pelican /tmp/pelican-venv/bin/pelican]

Every figure is a whole process timed from outside (start-up and imports included); the runs
of the tools are interleaved (sahelbrief, Pelican, Hugo, sahelbrief, ...) so that a neighbour's
load on this shared machine falls on all of them, and the table shows medians, the spread,
CPU seconds (user + sys of the process tree) and peak memory (the largest resident set of one
process of the tree). Pelican runs from its own throwaway venv (`python -m venv /tmp/pelican-venv
&& /tmp/pelican-venv/bin/pip install pelican markdown`); Hugo when `hugo` is on PATH (Debian's
`apt-get install hugo`). A peer that is missing is reported as such, not skipped silently.

Scenarios at --articles N:
  sahelbrief cold          no cache, no previous site (both moved aside before each run:
                           outputs are deleted at the end, see Aside)
  sahelbrief cold, 1 proc  the same with --jobs 1
  sahelbrief warm          a second build with nothing changed
  sahelbrief 1 edit        one paragraph appended to one article, then a build (the first
                           after a cold build, and in steady state: after another edit), of
                           a story in the middle of the archive, and of the newest story
  Pelican cold             --ignore-cache, fresh output folder
  Pelican cached, 1 edit   CACHE_CONTENT + LOAD_CONTENT_CACHE, one article edited
  Hugo cold (2 cores / 1)  fresh output folder; `taskset -c 0` for one core
Then sahelbrief cold and one edit at each --growth size (one run each: ms per article, and the
peak memory of the cold build).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_corpus import generate

SAHELBRIEF = [sys.executable, "-m", "sahelbrief"]


@dataclass
class Runs:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    peak_mib: list[float] = field(default_factory=list)

    def add(self, wall: float, cpu: float, peak: float) -> None:
        self.wall.append(wall)
        self.cpu.append(cpu)
        self.peak_mib.append(peak)

    @property
    def median(self) -> float:
        return statistics.median(self.wall)


# Every tool runs as installed, with its compiled modules cached (this machine sets
# PYTHONDONTWRITEBYTECODE, which would recompile sahelbrief's modules on every run).
_AS_INSTALLED = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(command: Sequence[str], cwd: Path, env: dict[str, str] | None = None) -> Runs:
    """Run `command` once; wall seconds, CPU seconds and peak RSS (MiB) of its process tree."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**_AS_INSTALLED, **(env or {})},
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{stderr}")
    runs = Runs()
    runs.add(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)
    return runs


def corpus(work: Path, articles: int) -> Path:
    """The generated corpus of `articles`, made again when the generator changed (the folder's
    name carries a digest of gen_corpus.py)."""
    generator = hashlib.sha256((Path(__file__).parent / "gen_corpus.py").read_bytes())
    root = work / f"corpus-{articles}-{generator.hexdigest()[:12]}"
    if not (root / "sahelbrief" / "sahelbrief.yaml").exists():
        print(f"generating {articles} articles in {root} ...", flush=True)
        generate(root, articles)
        # Sources written just now are "racily clean" for a build within 2 s: age them, as
        # a real archive is.
        old = time.time_ns() - 3600 * 10**9
        for path in root.rglob("*"):
            os.utime(path, ns=(old, old))
    return root


class Aside:
    """Where the outputs of earlier runs go instead of being deleted, until the benchmark ends.
    On this machine's ext4 (no journal), a file made within a few minutes of many others being
    deleted costs several times as much: making an inode, the kernel steps over each recently
    deleted one, reading its deletion time (perf: `recently_deleted`, from `find_inode_bit`,
    70% of the kernel's time). Deleting the last output before each cold build put that cost on
    whichever tool had deleted the most: a sahelbrief project's site and spare copy are 56,000
    files and folders, Hugo's output about 12,000."""

    def __init__(self, work: Path) -> None:
        self.root = work / "aside"
        if self.root.exists():
            print(f"deleting {self.root}, left by an interrupted run", flush=True)
            shutil.rmtree(self.root)
        self.count = 0

    def __call__(self, *paths: Path) -> None:
        for path in paths:
            if path.exists() or path.is_symlink():
                self.count += 1
                folder = self.root / str(self.count)
                folder.mkdir(parents=True)
                path.rename(folder / path.name)

    def empty(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


class Edit:
    """Appends a paragraph to one article per call, alternating between two articles."""

    def __init__(self, *paths: Path) -> None:
        self.paths = paths
        self.count = 0

    def __call__(self) -> None:
        path = self.paths[self.count % len(self.paths)]
        self.count += 1
        with path.open("a", encoding="utf-8") as handle:
            handle.write(f"\n\nA correction was appended, number {self.count}.\n")


def sahelbrief_project(root: Path) -> Path:
    return root / "sahelbrief"


def clean_sahelbrief(project: Path, aside: Aside) -> None:
    aside(project / "site", project / ".site.spare", project / ".sahelbrief-cache")


def bench(args: argparse.Namespace, aside: Aside) -> None:
    work: Path = args.work
    root = corpus(work, args.articles)
    project = sahelbrief_project(root)
    content = sorted((project / "content").glob("*.md"))
    edit = Edit(content[len(content) // 2], content[-1])
    latest = Edit(content[-1])  # the newest story: a newsroom's usual edit
    pelican_dir = root / "pelican"
    pelican_edit = Edit(*sorted((pelican_dir / "content").glob("*.md"))[-2:])
    hugo_dir = root / "hugo"
    hugo = shutil.which("hugo")
    pelican = args.pelican if Path(args.pelican).exists() else None
    results: dict[str, Runs] = {}

    def record(name: str, runs: Runs) -> None:
        results.setdefault(name, Runs()).add(runs.wall[0], runs.cpu[0], runs.peak_mib[0])
        print(f"  {name:<34} {runs.wall[0]:7.2f} s", flush=True)

    build = [*SAHELBRIEF, "build", "-q", "."]
    pelican_cmd = [str(pelican), "content", "-o", "out", "-s", "pelicanconf.py", "-q"]
    cache_flags = ["-e", "CACHE_CONTENT=true", "LOAD_CONTENT_CACHE=true"]
    hugo_cmd = [str(hugo), "--quiet", "-d", "out"]

    def after_another(edit: Edit) -> None:
        """`edit`, built, then `edit` again: the build timed next is a steady-state edit."""
        edit()
        timed(build, project)
        edit()

    steps: list[tuple[str, Callable[[], None], Callable[[], Runs]]] = [
        (
            "sahelbrief cold",
            lambda: clean_sahelbrief(project, aside),
            lambda: timed(build, project),
        ),
        (
            "sahelbrief cold, 1 process",
            lambda: clean_sahelbrief(project, aside),
            lambda: timed([*build, "--jobs", "1"], project),
        ),
        ("sahelbrief warm, no change", lambda: None, lambda: timed(build, project)),
        # The first build after a cold one also makes the spare copy of the site (all files).
        ("sahelbrief 1 edit, first after cold", edit, lambda: timed(build, project)),
        # Steady state, as in a newsroom or `serve`: the builds before were edits too. The
        # edit timed is of a story in the middle of the archive.
        ("sahelbrief 1 edit", lambda: after_another(edit), lambda: timed(build, project)),
        # The same, of the newest story (the pass decides one article; its memory is kept).
        (
            "sahelbrief 1 edit, latest story",
            lambda: after_another(latest),
            lambda: timed(build, project),
        ),
    ]
    if pelican:
        steps += [
            (
                "Pelican cold",
                lambda: aside(pelican_dir / "out", pelican_dir / "cache"),
                lambda: timed([*pelican_cmd, "--ignore-cache"], pelican_dir),
            ),
            (
                "Pelican cached, 1 edit",
                pelican_edit,
                lambda: timed([*pelican_cmd, *cache_flags], pelican_dir),
            ),
        ]
    if hugo:
        steps += [
            (
                "Hugo cold, 2 cores",
                lambda: aside(hugo_dir / "out", hugo_dir / "resources"),
                lambda: timed(hugo_cmd, hugo_dir),
            ),
            (
                "Hugo cold, 1 core",
                lambda: aside(hugo_dir / "out", hugo_dir / "resources"),
                lambda: timed(["taskset", "-c", "0", *hugo_cmd], hugo_dir),
            ),
        ]
    # A warm-up round (not counted) fills the page cache and Pelican's content cache.
    print(f"warm-up at {args.articles} articles", flush=True)
    for _, prepare, run in steps:
        prepare()
        run()
    for round_number in range(args.repeat):
        print(f"round {round_number + 1}/{args.repeat}", flush=True)
        for name, prepare, run in steps:
            prepare()
            record(name, run())

    growth: list[tuple[int, float, float, float]] = []
    for size in args.growth:
        project_n = sahelbrief_project(corpus(work, size))
        clean_sahelbrief(project_n, aside)
        cold = timed(build, project_n)
        timed(build, project_n)
        Edit(sorted((project_n / "content").glob("*.md"))[-1])()
        edited = timed(build, project_n)
        growth.append((size, cold.wall[0], edited.wall[0], cold.peak_mib[0]))
        print(f"  growth {size:>6}: cold {cold.wall[0]:6.2f} s, 1 edit {edited.wall[0]:5.2f} s")

    print_table(args, results, growth, pelican is not None, hugo is not None)


def print_table(
    args: argparse.Namespace,
    results: dict[str, Runs],
    growth: list[tuple[int, float, float, float]],
    has_pelican: bool,
    has_hugo: bool,
) -> None:
    load = Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else []
    print()
    print(
        f"## {args.articles} articles, {args.repeat} counted runs each (median), "
        f"{os.cpu_count()} CPUs, load average {' '.join(load)}"
    )
    print()
    print("| scenario | median wall s | min-max | cpu s | peak MiB |")
    print("|---|---:|---:|---:|---:|")
    for name, runs in results.items():
        print(
            f"| {name} | {runs.median:.2f} | {min(runs.wall):.2f}-{max(runs.wall):.2f} "
            f"| {statistics.median(runs.cpu):.2f} | {max(runs.peak_mib):.0f} |"
        )
    if not has_pelican:
        print(f"\nPelican: not found at {args.pelican}; no Pelican figures.")
    if not has_hugo:
        print("\nHugo: `hugo` is not on PATH; no Hugo figures.")
    print()
    print("| ratio | value | target |")
    print("|---|---:|---|")

    def ratio(label: str, top: str, bottom: str, target: str) -> None:
        if top in results and bottom in results:
            value = results[top].median / results[bottom].median
            print(f"| {label} | {value:.2f}x | {target} |")

    ratio("Pelican cold / sahelbrief cold", "Pelican cold", "sahelbrief cold", ">= 4x")
    ratio("Hugo cold (2 cores) / sahelbrief cold", "Hugo cold, 2 cores", "sahelbrief cold", ">= 1x")
    ratio(
        "Hugo cold (1 core) / sahelbrief cold, 1 process",
        "Hugo cold, 1 core",
        "sahelbrief cold, 1 process",
        "-",
    )
    ratio(
        "Pelican cached edit / sahelbrief edit", "Pelican cached, 1 edit", "sahelbrief 1 edit", "-"
    )
    warm = results["sahelbrief warm, no change"].median
    edit = results["sahelbrief 1 edit"].median
    print(f"| sahelbrief warm, no change | {warm:.2f} s | < 0.4 s |")
    print(f"| sahelbrief 1 edit | {edit:.2f} s | < 0.5 s |")
    if "sahelbrief 1 edit, latest story" in results:
        latest = results["sahelbrief 1 edit, latest story"].median
        print(f"| sahelbrief 1 edit, latest story | {latest:.2f} s | < 0.5 s |")
    if growth:
        print()
        print("| articles | cold s | cold ms/article | 1 edit s | cold peak MiB |")
        print("|---:|---:|---:|---:|---:|")
        for size, cold, edited, peak in growth:
            print(f"| {size} | {cold:.2f} | {1000 * cold / size:.2f} | {edited:.2f} | {peak:.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--growth",
        type=lambda text: [int(n) for n in text.split(",") if n],
        default=[1000, 2000, 5000, 10000],
        help="sizes for the growth table (comma-separated; empty for none)",
    )
    parser.add_argument("--pelican", default="/tmp/pelican-venv/bin/pelican")
    parser.add_argument("--work", type=Path, default=Path("/tmp/sahelbrief-bench"))
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    aside = Aside(args.work)
    try:
        bench(args, aside)
    finally:
        aside.empty()


if __name__ == "__main__":
    main()
