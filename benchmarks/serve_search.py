"""What deferring the search index saves a preview rebuild, stage by stage.

Generates a site of N articles (default 1,000, as benchmarks/serve_latency.py does), builds it
once, then edits one article again and again, rebuilding alternately as `sahelbrief build` does
(Pagefind before the swap) and as `sahelbrief serve` does (BuildOptions.defer_search: the
previous bundle carried over, Pagefind run afterwards, as the preview's indexer runs it). Prints
the median time of each stage for both, side by side, and the background Pagefind run.

    python benchmarks/serve_search.py [--articles 1000] [--edits 5]

Not a test: timings depend on the machine; the ratio is the figure to read.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from benchmarks.serve_latency import article, generate  # noqa: E402

from sahelbrief.pipeline import BuildOptions, build  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=5)
    args = parser.parse_args()
    print(
        f"{args.articles} articles, one edited {args.edits} times per mode "
        f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs):",
        flush=True,
    )
    with tempfile.TemporaryDirectory() as temp:
        project = Path(temp)
        heads = generate(project, args.articles, "content")
        target = args.articles // 2
        source = project / "content" / f"{target:04d}.md"
        build(project)  # start-up build, and warm caches
        stages: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
        background: list[float] = []
        rng = random.Random(7)
        for number in range(args.edits * 2):
            mode = "deferred" if number % 2 else "before swap"
            _, body = article(target, f"EDIT-{number}", rng)
            source.write_text(heads[target] + body, encoding="utf-8")
            result = build(project, BuildOptions(defer_search=mode == "deferred"))
            for name, seconds in result.timings:
                stages[name][mode].append(seconds)
            stages["total"][mode].append(result.seconds)
            pending = result.pending_search
            if pending is not None:
                began = time.perf_counter()
                subprocess.run(pending.command(project / "bundle"), check=True)
                background.append(time.perf_counter() - began)
                subprocess.run(["rm", "-rf", str(project / "bundle")], check=True)
        print(f"{'stage':14s} {'before swap':>12s} {'deferred':>12s}")
        for name, modes in stages.items():
            before, deferred = (statistics.median(modes[m] or [0.0]) for m in stages["total"])
            print(f"{name:14s} {before * 1000:9.0f} ms {deferred * 1000:9.0f} ms")
        total = stages["total"]
        ratio = statistics.median(total["before swap"]) / statistics.median(total["deferred"])
        print(f"rebuild, before swap / deferred: {ratio:.2f}x")
        if background:
            print(f"background Pagefind run: median {statistics.median(background) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
