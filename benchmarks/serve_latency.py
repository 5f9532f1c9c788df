"""Edit-to-screen latency of `sahelbrief serve`, measured in a real headless Chromium.

Generates a site of N articles (default 1,000), starts `sahelbrief serve` on a free port, opens
one article, then edits that article's Markdown again and again. For each edit it records the
time from the file write to the moment the open page shows the new text: the page reports, from
DOMContentLoaded, the wall-clock time at which its body first contains the edit's marker.

With `--mkdocs PATH` (the `mkdocs` command of any install, e.g. a throwaway venv with
`pip install mkdocs`) the same project is also served by `mkdocs serve` and measured the same
way, side by side, and the ratio is printed.

    python benchmarks/serve_latency.py [--articles 1000] [--edits 12] [--mkdocs /tmp/v/bin/mkdocs]

Not a test: timings depend on the machine. Uses Debian's Chromium through Playwright,
launched as the browser tests launch it.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from tests.browser.conftest import CHROMIUM_ARGS, chromium_path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_corpus import Vocabulary  # noqa: E402

# Zipf-distributed news words, as in the other benchmarks (uniform draws from a couple of dozen
# words, as first written here, made every paragraph a look-alike of every other).
VOCABULARY = Vocabulary(random.Random(1))
# Runs in every document the page loads: report when the body shows a marker.
REPORTER = """
document.addEventListener("DOMContentLoaded", () => {
  const found = document.body.innerText.match(/EDIT-[0-9]+-[0-9a-f]+/);
  window.benchSeen(found ? found[0] : "", Date.now());
});
"""


@dataclass(frozen=True)
class Server:
    name: str
    page_url: str
    source: Path


def paragraph(rng: random.Random, n: int) -> str:
    return " ".join(VOCABULARY.draw(rng, n)).capitalize() + "."


def article(index: int, marker: str, rng: random.Random) -> tuple[str, str]:
    """(front matter, body) of article `index`; the body's first paragraph carries `marker`."""
    title = f"Story {index}: " + " ".join(VOCABULARY.draw(rng, 5))
    date = f"2025-{index % 12 + 1:02d}-{index % 28 + 1:02d}"  # all in the past: published
    head = (
        f'---\ntitle: "{title}"\nslug: story-{index:04d}\ndate: {date}\n'
        f"summary: Summary of story {index}.\n---\n\n"
    )
    body = "\n\n".join([f"Latest: {marker}", *(paragraph(rng, 60) for _ in range(6))]) + "\n"
    return head, body


def generate(root: Path, count: int, folder: str) -> dict[int, str]:
    """Write `count` articles under root/folder; return each one's front matter."""
    rng = random.Random(20261125)
    (root / folder).mkdir(parents=True)
    heads = {}
    for index in range(count):
        head, body = article(index, "original text", rng)
        heads[index] = head
        (root / folder / f"{index:04d}.md").write_text(head + body, encoding="utf-8")
    return heads


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def sahelbrief(project: Path, target: int) -> Iterator[Server]:
    log = (project / "serve.log").open("w", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "sahelbrief", "serve", str(project), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO / "src")},
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().split(" at ", 1)[1].split()[0]
        source = project / "content" / f"{target:04d}.md"
        yield Server("sahelbrief serve", f"{url}articles/story-{target:04d}/", source)
    finally:
        process.terminate()
        process.wait(30)
        log.close()


def build_seconds(project: Path) -> list[float]:
    """The rebuild times `sahelbrief serve` logged ("Built in 1.23 s"), start-up build first."""
    lines = (project / "serve.log").read_text(encoding="utf-8").splitlines()
    return [float(line.split()[2]) for line in lines if line.startswith("Built in ")]


@contextmanager
def mkdocs(command: str, project: Path, target: int) -> Iterator[Server]:
    (project / "mkdocs.yml").write_text("site_name: Sahel Brief\n", encoding="utf-8")
    port = free_port()
    process = subprocess.Popen(
        [command, "serve", "--dev-addr", f"127.0.0.1:{port}", "-q"],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/"
        wait_for(url, 300)
        yield Server("mkdocs serve", f"{url}{target:04d}/", project / "docs" / f"{target:04d}.md")
    finally:
        process.terminate()
        process.wait(30)


def wait_for(url: str, seconds: float) -> None:
    """Until the server answers at all (an HTTP error status counts: it is up)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def measure(page: Page, server: Server, head: str, edits: int) -> list[float]:
    seen: dict[str, float] = {}
    page.expose_function("benchSeen", lambda marker, at: seen.setdefault(marker, at / 1000))
    page.add_init_script(REPORTER)
    page.goto(server.page_url)
    rng = random.Random(7)
    latencies = []
    for number in range(edits + 1):
        marker = f"EDIT-{number}-{rng.getrandbits(32):08x}"
        body = "\n\n".join([f"Latest: {marker}", *(paragraph(rng, 60) for _ in range(6))])
        written = time.time()
        server.source.write_text(head + body + "\n", encoding="utf-8")
        until(page, lambda m=marker: m in seen, 30)  # type: ignore[misc]
        if number:  # the first edit warms caches and the page's channel
            latencies.append(seen[marker] - written)
        page.wait_for_timeout(400)  # let the server go idle before the next edit
    return latencies


def until(page: Page, condition: Callable[[], bool], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the page never showed the edit")
        page.wait_for_timeout(5)  # lets Playwright deliver the page's report


def report(name: str, latencies: list[float]) -> float:
    ms = sorted(x * 1000 for x in latencies)
    median = statistics.median(ms)
    print(
        f"{name:18s} n {len(ms):3d}  median {median:7.0f} ms  best {ms[0]:7.0f} ms  "
        f"worst {ms[-1]:7.0f} ms",
        flush=True,
    )
    return median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=12)
    parser.add_argument("--mkdocs", metavar="PATH", help="also measure this mkdocs command")
    args = parser.parse_args()
    target = args.articles // 2
    print(
        f"{args.articles} articles, one edited {args.edits} times, write -> page shows it "
        f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs):",
        flush=True,
    )
    with tempfile.TemporaryDirectory() as temp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        ours = Path(temp) / "sahelbrief"
        heads = generate(ours, args.articles, "content")
        with sahelbrief(ours, target) as server:
            ours_ms = report(
                server.name, measure(browser.new_page(), server, heads[target], args.edits)
            )
        # Skip the start-up build and the warm-up edit's rebuild, as the latencies do.
        report("  of which build", build_seconds(ours)[2:])
        if args.mkdocs:
            peer = Path(temp) / "mkdocs"
            heads = generate(peer, args.articles, "docs")
            with mkdocs(args.mkdocs, peer, target) as server:
                peer_ms = report(
                    server.name, measure(browser.new_page(), server, heads[target], args.edits)
                )
            print(f"mkdocs serve / sahelbrief serve, median: {peer_ms / ours_ms:.1f}x")
        browser.close()


if __name__ == "__main__":
    main()
