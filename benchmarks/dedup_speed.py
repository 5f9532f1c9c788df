"""Speed and memory of the whole dedupe stage on one core.

A synthetic site of N articles x 15 paragraphs (Zipf-distributed words with names and numbers,
about 60 words a paragraph), in which 10% of the paragraphs are light edits of an earlier one
and 2% are fact-changed look-alikes (a number changed). Each size runs in a fresh process:

    python benchmarks/dedup_speed.py                 # 1,000 / 2,500 / 5,000 / 10,000 articles
    python benchmarks/dedup_speed.py --articles 10000 --profile

Each size runs three times (`--repeat`), the sizes taking turns. It prints, for the fastest
run of each size, paragraphs per second of CPU time (the process's own: the machine is shared),
the slowest run's seconds beside it, microseconds per paragraph, the growth against the smallest
size, and the peak memory (ru_maxrss of the process, and tracemalloc's peak during dedupe in a
separate run), side by side with a peer run of exact matching only on the same corpus; then
the CPU time of a rebuild after one edit, resuming the pass from the edited article: of the
latest story, of the story in the middle of the site (copying the decisions of the articles
after it that the edit does not concern), and of a story of the middle that was in the former
word-rank sample (ranks were counted on one article in 16, and an edit of one of them decided
everything again; ranks are now fixed by the words alone, so it resumes like any other).
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import datetime as dt
import json
import pstats
import random
import resource
import subprocess
import sys
import time
import tracemalloc
from typing import Any

SEED = 20261124
PARAGRAPHS = 15
_SYLLABLES = [c + v for c in "bdkmnrstwz" for v in "aeiou"]


def corpus(articles: int) -> list[object]:
    from sahelbrief.model import Article, Paragraph

    rng = random.Random(SEED)
    vocab = sorted({"".join(rng.choices(_SYLLABLES, k=rng.randint(1, 4))) for _ in range(60000)})
    rng.shuffle(vocab)
    weights = [1 / (rank + 1) for rank in range(len(vocab))]
    cumulative = list(_accumulate(weights))
    names = [w.capitalize() for w in vocab[5000:7000]]

    def paragraph() -> str:
        words = rng.choices(vocab, cum_weights=cumulative, k=rng.randint(40, 80))
        for _ in range(3):
            words[rng.randrange(len(words))] = rng.choice(names)
        words[rng.randrange(len(words))] = str(rng.randint(2, 500))
        return " ".join(words).capitalize() + "."

    texts: list[str] = []
    result = []
    for a in range(articles):
        paragraphs = []
        for k in range(PARAGRAPHS):
            roll = rng.random()
            if texts and roll < 0.10:
                words = rng.choice(texts).split()
                i = rng.randrange(1, len(words) - 1)
                edit = rng.random()
                if edit < 0.4:
                    del words[i]  # a word dropped
                elif edit < 0.8:
                    words.insert(i, "also")  # a word added
                else:
                    words[i] = words[i] + "s"  # a spelling change
                text = " ".join(words)
            elif texts and roll < 0.12:
                text = _change_number(rng.choice(texts), rng)
            else:
                text = paragraph()
            texts.append(text)
            paragraphs.append(Paragraph(k + 2, "body", text))
        result.append(
            Article(
                source=f"seeds/{a:06d}.txt",
                format="seed",
                title=f"Story {a}",
                title_line=1,
                paragraphs=(Paragraph(1, "title", f"Story {a}"), *paragraphs),
                slug=f"story-{a}",
                date=dt.date(2026, 1, 1) + dt.timedelta(days=a // 50),
            )
        )
    return result


def _accumulate(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


def _change_number(text: str, rng: random.Random) -> str:
    words = text.split()
    for i, word in enumerate(words):
        if word.isdigit():
            words[i] = str(int(word) + rng.randint(1, 9))
            return " ".join(words)
    return text + " 7"


def measure(articles: int, mode: str) -> dict[str, float]:
    """One size in this process: seconds, paragraphs/s and peak memory."""
    from sahelbrief.config import DedupConfig
    from sahelbrief.pipeline.dedupe import dedupe
    from sahelbrief.pipeline.dedupe.memory import Memory

    data = corpus(articles)
    paragraphs = articles * PARAGRAPHS  # body paragraphs; the titles come free
    config = DedupConfig(near=mode == "full")
    memory = Memory()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    began, cpu = time.perf_counter(), time.process_time()
    result = dedupe(data, config, memory=memory)  # type: ignore[arg-type]
    # CPU time of this one process: the machine is shared, so wall time includes waiting.
    seconds, wall = time.process_time() - cpu, time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    removed = sum(1 for a in result.articles for p in a.paragraphs if p.removal)
    # A rebuild after one edit, resuming the pass (pipeline/dedupe/memory.py): of the latest
    # story (the common case in a newsroom), then of the story in the middle of the archive
    # (both outside the former word-rank sample), then of one of that sample (the same
    # articles as before, for comparison: an edit of those decided everything again).
    resumed = []
    outside = [i for i, a in enumerate(data) if not _formerly_sampled(a)]
    inside = [i for i, a in enumerate(data) if _formerly_sampled(a)]
    for target in (outside[-1], outside[len(outside) // 2], inside[len(inside) // 2]):
        data[target] = _edited(data[target])
        cpu = time.process_time()
        dedupe(data, config, memory=memory)  # type: ignore[arg-type]
        resumed.append(time.process_time() - cpu)
    return {
        "resume_latest": resumed[0],
        "resume_middle": resumed[1],
        "resume_formerly_sampled": resumed[2],
        "articles": articles,
        "paragraphs": paragraphs,
        "seconds": seconds,
        "wall": wall,
        "per_second": paragraphs / seconds,
        "us_per_paragraph": seconds / paragraphs * 1e6,
        "rss_before_mib": before,
        "rss_peak_mib": peak,
        "removed": removed,
        "lookalikes": len(result.lookalikes),
    }


def _formerly_sampled(article: Any) -> bool:
    """Whether the article was in the sample word ranks were counted on until they were fixed
    by the words alone (its path hashed to 0 modulo 16)."""
    import xxhash

    return bool(xxhash.xxh32_intdigest(article.source.encode("utf-8", "surrogateescape")) % 16 == 0)


def _edited(article: Any) -> Any:
    last = article.paragraphs[-1]
    edited = dataclasses.replace(last, text=last.text + " Updated.")
    return dataclasses.replace(article, paragraphs=(*article.paragraphs[:-1], edited))


def traced(articles: int) -> float:
    """tracemalloc's peak (MiB) of Python allocations during dedupe alone."""
    from sahelbrief.pipeline.dedupe import dedupe

    data = corpus(articles)
    tracemalloc.start()
    dedupe(data)  # type: ignore[arg-type]
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def _child(args: list[str]) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", *args], check=True, capture_output=True, text=True
    ).stdout
    return dict(json.loads(out))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, nargs="*", default=[1000, 2500, 5000, 10000])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each size (default 3)")
    parser.add_argument("--profile", action="store_true", help="cProfile the largest size")
    parser.add_argument("--tracemalloc", action="store_true", help="also trace the largest size")
    parser.add_argument("--child", nargs=2, metavar=("ARTICLES", "MODE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    args.articles = sorted(set(args.articles))  # growth is against the smallest size
    if args.child:
        count, mode = int(args.child[0]), args.child[1]
        if mode == "traced":
            print(json.dumps({"traced_peak_mib": traced(count)}))
        else:
            print(json.dumps(measure(count, mode)))
        return 0
    if args.profile:
        data = corpus(max(args.articles))
        from sahelbrief.pipeline.dedupe import dedupe

        profiler = cProfile.Profile()
        profiler.runcall(dedupe, data)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        return 0
    # Every size runs `repeat` times, the sizes taking turns, so that a slower hour of this
    # shared machine slows each size alike; a row is its size's fastest run (the one least
    # slowed by other work), with the slowest run's seconds beside it.
    runs: dict[int, list[dict[str, float]]] = {count: [] for count in args.articles}
    peers: dict[int, list[dict[str, float]]] = {count: [] for count in args.articles}
    for _ in range(args.repeat):
        for count in args.articles:
            runs[count].append(_child([str(count), "full"]))
            peers[count].append(_child([str(count), "exact"]))
    print(
        f"{'paragraphs':>10} {'full s':>8} {'slowest':>8} {'full p/s':>9} {'us/p':>6} "
        f"{'growth':>7} {'peak MiB':>9} {'exact s':>8} {'exact p/s':>9} {'full/exact':>10} "
        f"{'removed':>8} {'edit latest s':>13} {'edit middle s':>13} {'edit ex-sample s':>16}"
    )
    rows = []
    for count in args.articles:
        full = min(runs[count], key=lambda run: run["seconds"])
        exact = min(peers[count], key=lambda run: run["seconds"])
        slowest = max(run["seconds"] for run in runs[count])
        rows.append(full)
        growth = full["seconds"] / rows[0]["seconds"]
        print(
            f"{full['paragraphs']:>10,.0f} {full['seconds']:>8.2f} {slowest:>8.2f} "
            f"{full['per_second']:>9,.0f} "
            f"{full['us_per_paragraph']:>6.1f} {growth:>6.1f}x {full['rss_peak_mib']:>9.0f} "
            f"{exact['seconds']:>8.2f} {exact['per_second']:>9,.0f} "
            f"{full['seconds'] / exact['seconds']:>9.1f}x {full['removed']:>8,.0f} "
            f"{full['resume_latest']:>13.3f} {full['resume_middle']:>13.3f} "
            f"{full['resume_formerly_sampled']:>16.3f}"
        )
    size = rows[-1]["paragraphs"] / rows[0]["paragraphs"]
    print(
        f"{size:.0f}x the paragraphs took "
        f"{rows[-1]['seconds'] / rows[0]['seconds']:.1f}x the time (fastest of {args.repeat} "
        f"runs each); peak RSS {rows[-1]['rss_peak_mib']:.0f} MiB (before dedupe "
        f"{rows[-1]['rss_before_mib']:.0f} MiB)"
    )
    if args.tracemalloc:
        traced_peak = _child([str(max(args.articles)), "traced"])["traced_peak_mib"]
        print(f"tracemalloc peak during dedupe alone: {traced_peak:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
