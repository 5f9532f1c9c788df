"""Evaluation set for paragraph deduplication, built from real news text, and its scorer.

Text: the Lee background corpus (300 Australian Broadcasting Corporation news-mail articles,
2001-2002; Lee, Pincombe & Welsh 2005, "An empirical evaluation of models of text document
similarity"), shipped in the gensim wheel on PyPI as gensim/test/test_data/lee_background.cor
(gensim is LGPL-2.1). Articles are cut into paragraphs of two or three sentences; duplicates of
every kind sahelbrief must catch and hard negatives of every kind it must never merge are planted
with a fixed seed, and the ground truth is written beside them.

    python benchmarks/dedup_eval.py write tests/data/dedup-eval.json   # the small CI set
    python benchmarks/dedup_eval.py run --base 290                     # the larger run

Both commands fetch the corpus with `pip download --no-deps gensim` unless --corpus is given.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

SEED = 20261125
CORPUS_MEMBER = "gensim/test/test_data/lee_background.cor"
PROVENANCE = (
    "Paragraph text from the Lee background corpus (ABC news-mail articles, 2001-2002; Lee, "
    "Pincombe & Welsh 2005), as shipped in the gensim 4.4.0 wheel on PyPI "
    "(gensim/test/test_data/lee_background.cor; gensim is LGPL-2.1). Duplicates, hard negatives, "
    "boilerplate and furniture planted by benchmarks/dedup_eval.py with seed 20261125."
)

_SENTENCE = re.compile(r"(?<=[.!?\"])\s+(?=[A-Z\"])")


# -- corpus ---------------------------------------------------------------------------------
def fetch_corpus(path: Path | None) -> list[str]:
    if path is None:
        folder = Path(tempfile.mkdtemp(prefix="lee-"))
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "gensim", "-d", folder],
            check=True,
        )
        wheel = next(folder.glob("gensim-*.whl"))
        with zipfile.ZipFile(wheel) as archive:
            text = archive.read(CORPUS_MEMBER).decode("utf-8")
    else:
        text = path.read_text(encoding="utf-8")
    return distinct([line.strip() for line in text.splitlines() if line.strip()])


def distinct(docs: list[str]) -> list[str]:
    """The corpus repeats some stories (the same ABC item filed twice): keep the first of each,
    and drop any document sharing a sentence with an earlier one, so that the only duplicates
    in the set are the planted ones."""
    seen: set[str] = set()
    kept = []
    for doc in docs:
        keys = {" ".join(re.findall(r"\w+", s.lower())) for s in _SENTENCE.split(doc)}
        keys = {k for k in keys if len(k.split()) >= 5}
        if not keys & seen:
            kept.append(doc)
        seen |= keys
    return kept


def paragraphs(doc: str) -> list[str]:
    """Two or three sentences per paragraph, as a wire story is laid out."""
    sentences = _SENTENCE.split(doc)
    out: list[str] = []
    i = 0
    while i < len(sentences):
        take = 3 if len(" ".join(sentences[i : i + 2]).split()) < 40 else 2
        out.append(" ".join(sentences[i : i + take]))
        i += take
    if len(out) > 1 and len(out[-1].split()) < 12:
        last = out.pop()
        out[-1] += " " + last
    return out


# -- light edits: a copy that repeats the paragraph --------------------------------------------
_SPELLING = {
    "organisation": "organization",
    "organisations": "organizations",
    "defence": "defense",
    "centre": "center",
    "labour": "labor",
    "programme": "program",
    "favour": "favor",
    "neighbouring": "neighboring",
    "travelled": "traveled",
    "recognised": "recognized",
    "criticised": "criticized",
    "realised": "realized",
    "authorities'": "authorities'",
    "apologised": "apologized",
    "emphasised": "emphasized",
    "organised": "organized",
    "analysed": "analyzed",
    "offence": "offense",
    "licence": "license",
    "behaviour": "behavior",
    "honour": "honor",
}
_ADVERBS = ("also", "now", "still", "recently", "currently", "however", "meanwhile")


def _sub_once(pattern: str, repl: str, text: str) -> str | None:
    new, n = re.subn(pattern, repl, text, count=1)
    return new if n else None


def typography(text: str) -> str | None:
    new = text.replace("'", "’").replace(' "', " “").replace('" ', "” ").replace(", ", " ,  ")
    return new if new != text else text + " "


def reporting(text: str) -> str | None:
    return _sub_once(r"\bsaid\b", "says", text) or _sub_once(r"\bsays\b", "said", text)


def adverb(text: str) -> str | None:
    for word in _ADVERBS:
        dropped = _sub_once(rf" {word}\b", "", text)
        if dropped:
            return dropped
    return _sub_once(r"\b(has|have|is|are|was|were|will)\b", r"\1 also", text)


def spelling(text: str) -> str | None:
    new = text
    for british, american in _SPELLING.items():
        new = re.sub(rf"\b{british}\b", american, new)
    return new if new != text else None


def typo(text: str) -> str | None:
    for match in re.finditer(r"\b[a-z]{8,}\b", text):
        word = match.group()
        swapped = word[:3] + word[4] + word[3] + word[5:]
        if swapped != word:
            return text[: match.start()] + swapped + text[match.end() :]
    return None


def trimmed(text: str) -> str | None:
    sentences = _SENTENCE.split(text)
    return " ".join(sentences[:-1]) if len(sentences) >= 3 else None


def dateline(text: str) -> str | None:
    return "CANBERRA, Dec 3 (AAP) — " + text


_ATTRIBUTED = re.compile(r"([A-Z][^.!?]*?), ((?:[A-Za-z'’]+ ){1,3}(?:said|says))\.")
_ATTRIBUTING = re.compile(
    r"((?:[A-Z][A-Za-z'’]* ){1,4}(?:said|says)) "
    r"(?!(?:that|on|in|at|yesterday|today|last) )([a-z][^.!?]*)\."
)
_PLAIN_STARTS = {"The", "A", "An", "It", "He", "She", "They", "There", "This", "These", "Some"}


def attribution(text: str) -> str | None:
    """A one-sentence report's attribution moved to its other end: "X, police said." becomes
    "Police said X.", and "Police say X." becomes "X, police say." (the guard lets only such
    a phrase move, from end to end)."""
    text = text.strip()
    if match := _ATTRIBUTED.fullmatch(text):
        body, who = match.groups()
        return f"{who[0].upper()}{who[1:]} {_inside(body)}."
    if match := _ATTRIBUTING.fullmatch(text):
        who, body = match.groups()
        return f"{body[0].upper()}{body[1:]}, {_inside(who)}."
    return None


def _inside(words: str) -> str:
    """`words`, no longer at the start of the sentence: "The army" -> "the army" (a name
    keeps its capital)."""
    first, _, rest = words.partition(" ")
    return f"{first.lower()} {rest}" if first in _PLAIN_STARTS else words


def combined(text: str) -> str | None:
    step = reporting(text) or text
    return adverb(step) or step if step != text else None


LIGHT: dict[str, Callable[[str], str | None]] = {
    "verbatim": lambda t: t,
    "typography": typography,
    "reporting-verb": reporting,
    "adverb": adverb,
    "spelling": spelling,
    "typo": typo,
    "trimmed": trimmed,
    "dateline": dateline,
    "combined": combined,
}


# -- fact changes: a look-alike that must be kept ------------------------------------------
_NUMBER_WORDS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MONTHS = "January February March April June July August September October November December"
_PLACES = ["Dori", "Djibo", "Gao", "Kidal", "Menaka", "Agadez", "Tillaberi", "Mopti"]
_ANTONYMS = [
    ("rose", "fell"),
    ("increase", "decrease"),
    ("more", "less"),
    ("north", "south"),
    ("higher", "lower"),
    ("east", "west"),
    ("before", "after"),
    ("won", "lost"),
    ("up", "down"),
    ("increased", "decreased"),
]
_NOT_NAMES = {"The", "Mr", "Mrs", "Ms", "Dr", "He", "She", "It", "They", "But", "In", "A"}


def number(text: str) -> str | None:
    match = re.search(r"\b\d+\b", text)
    if not match:
        return None
    digits = match.group()
    changed = digits[::-1] if len(set(digits)) > 1 else str(int(digits) + 3)
    return text[: match.start()] + changed + text[match.end() :]


def number_word(text: str) -> str | None:
    for i, word in enumerate(_NUMBER_WORDS):
        other = _NUMBER_WORDS[(i + 2) % len(_NUMBER_WORDS)]
        new = _sub_once(rf"\b{word}\b", other, text)
        if new:
            return new
    return None


def weekday(text: str) -> str | None:
    for i, day in enumerate(_WEEKDAYS):
        new = _sub_once(rf"\b{day}\b", _WEEKDAYS[(i + 3) % 7], text)
        if new:
            return new
    return None


def month(text: str) -> str | None:
    months = _MONTHS.split()
    for i, name in enumerate(months):
        new = _sub_once(rf"\b{name}\b", months[(i + 4) % len(months)], text)
        if new:
            return new
    return None


def place(text: str) -> str | None:
    for match in re.finditer(r"(?<=[a-z,] )([A-Z][a-z]{3,})\b", text):
        if match.group() not in _NOT_NAMES:
            other = _PLACES[len(match.group()) % len(_PLACES)]
            return text[: match.start()] + other + text[match.end() :]
    return None


def negation(text: str) -> str | None:
    return _sub_once(r"\b(has|is|will|was|did|could|would)\b(?! not)", r"\1 not", text)


def antonym(text: str) -> str | None:
    for a, b in _ANTONYMS:
        new = _sub_once(rf"\b{a}\b", b, text) or _sub_once(rf"\b{b}\b", a, text)
        if new:
            return new
    return None


def hedge(text: str) -> str | None:
    return _sub_once(r"\b(has|have|was|were)\b", r"\1 reportedly", text)


def qualifier(text: str) -> str | None:
    return _sub_once(r"(?<!least )(?<!about )\b(\d+)\b", r"at least \1", text)


FACTS: dict[str, Callable[[str], str | None]] = {
    "number": number,
    "number-word": number_word,
    "weekday": weekday,
    "month": month,
    "place": place,
    "negation": negation,
    "antonym": antonym,
    "hedge": hedge,
    "qualifier": qualifier,
}

BOILERPLATE = [
    "© 2001 ABC News Online. All rights reserved. This material may not be republished.",
    "Get the day's top stories in your inbox every morning: subscribe to our newsletter at "
    "www.example.org/newsletter and follow us on Twitter.",
]
FURNITURE = ["Read more", "Advertisement", "Photo : AFP", "Lire aussi : Le Mali et ses voisins"]
SHORT_FACT = "The border remains closed."


# -- planting -------------------------------------------------------------------------------
class Planter:
    def __init__(self, docs: list[str], base: int, rng: random.Random) -> None:
        self.rng = rng
        self.base = [paragraphs(d) for d in docs[:base]]
        self.filler = [p for d in docs[base:] for p in paragraphs(d)]
        rng.shuffle(self.filler)
        self.articles: list[dict[str, Any]] = []
        self.used: set[tuple[int, int, Callable[[str], str | None]]] = set()
        self.truth: dict[str, list[Any]] = {
            "duplicates": [],
            "hard_negatives": [],
            "boilerplate": [],
            "furniture": [],
            "short_facts": [],
            "stories": [],
            "not_stories": [],
        }

    def article(self, texts: list[str], day: int) -> dict[str, Any]:
        source = f"seeds/{len(self.articles):04d}.txt"
        date = dt.date(2026, 1, 1) + dt.timedelta(days=day)
        title = f"Story {len(self.articles)}"
        rows = [{"line": 1, "role": "title", "text": title}]
        rows += [{"line": i + 2, "role": "body", "text": t} for i, t in enumerate(texts)]
        article = {"source": source, "date": date.isoformat(), "paragraphs": rows}
        self.articles.append(article)
        return article

    def filler_texts(self, count: int) -> list[str]:
        return [self.filler.pop() for _ in range(count)]

    def pick(self, make: Callable[[str], str | None]) -> tuple[int, int, str, str]:
        """A random base paragraph that `make` can change, with its changed text."""
        choices = [(a, k) for a, paras in enumerate(self.base) for k in range(len(paras))]
        self.rng.shuffle(choices)
        for a, k in choices:
            if (a, k, make) in self.used:
                continue
            original = self.base[a][k]
            changed = make(original)
            if (changed is not None and changed != original) or make is LIGHT["verbatim"]:
                # Each paragraph planted once: two identical plants would repeat each other.
                self.used.add((a, k, make))
                return a, k, original, changed or original
        raise ValueError("no paragraph fits")


def ref(article: dict[str, Any], index: int) -> list[Any]:
    return [article["source"], article["paragraphs"][index]["line"]]


def plant(docs: list[str], base: int, scale: int = 1) -> dict[str, Any]:
    rng = random.Random(SEED)
    p = Planter(docs, base, rng)
    truth = p.truth
    originals = [p.article(list(paras), i) for i, paras in enumerate(p.base)]
    day = len(originals)
    light, facts = list(LIGHT), list(FACTS)

    # Within one article: a paragraph pasted again (edited), or re-stated with a changed fact.
    for n in range(min(len(originals), 30 * scale)):
        article = originals[n]
        first = rng.randrange(len(article["paragraphs"]) - 1) + 1
        text = article["paragraphs"][first]["text"]
        group, table = ("duplicates", LIGHT) if n % 3 else ("hard_negatives", FACTS)
        kinds = [k for k in table if table[k](text) not in (None, text) or k == "verbatim"]
        kind = kinds[n % len(kinds)]
        p.used.add((n, first - 1, table[kind]))
        line = len(article["paragraphs"]) + 1
        article["paragraphs"].append({"line": line, "role": "body", "text": table[kind](text)})
        key = "copy" if group == "duplicates" else "variant"
        truth[group].append(
            {
                key: [article["source"], line],
                "original": [article["source"], first + 1],
                "kind": kind,
            }
        )

    # Syndicated copies: every paragraph lightly edited, a dateline, one paragraph split.
    for n in range(8 * scale):
        a = rng.randrange(len(p.base))
        texts, sources = [], []
        for k, text in enumerate(p.base[a]):
            kind = "dateline" if k == 0 else light[(n + k) % len(light)]
            edited = LIGHT[kind](text) or text
            parts = _SENTENCE.split(edited)
            if k == 1 and len(parts) >= 2:
                texts += [" ".join(parts[: len(parts) // 2]), " ".join(parts[len(parts) // 2 :])]
                sources += [(k, "split"), (k, "split")]
            else:
                texts.append(edited)
                sources.append((k, kind))
        copy = p.article(texts, day)
        day += 1
        for i, (k, kind) in enumerate(sources):
            truth["duplicates"].append(
                {"copy": ref(copy, i + 1), "original": ref(originals[a], k + 1), "kind": kind}
            )
        truth["stories"].append({"copy": copy["source"], "story": originals[a]["source"]})

    # Updated stories: unchanged paragraphs, one fact changed, one paragraph added.
    for n in range(6 * scale):
        a, k, _, changed = p.pick(FACTS[facts[n % len(facts)]])
        texts = list(p.base[a])
        texts[k] = changed
        update = p.article([*texts, *p.filler_texts(1)], day)
        day += 1
        for i in range(len(p.base[a])):
            entry = {"original": ref(originals[a], i + 1)}
            if i == k:
                truth["hard_negatives"].append(
                    {"variant": ref(update, i + 1), **entry, "kind": facts[n % len(facts)]}
                )
            else:
                truth["duplicates"].append({"copy": ref(update, i + 1), **entry, "kind": "update"})
        truth["not_stories"].append({"article": update["source"], "other": originals[a]["source"]})

    # A background paragraph repeated in another article, lightly edited.
    for n in range(30 * scale):
        kind = light[n % len(light)]
        a, k, _, changed = p.pick(LIGHT[kind])
        texts = p.filler_texts(2)
        at = rng.randrange(len(texts) + 1)
        texts.insert(at, changed)
        other = p.article(texts, day)
        day += 1
        truth["duplicates"].append(
            {"copy": ref(other, at + 1), "original": ref(originals[a], k + 1), "kind": kind}
        )

    # Look-alikes whose facts differ, in another article.
    for n in range(45 * scale):
        kind = facts[n % len(facts)]
        a, k, _, changed = p.pick(FACTS[kind])
        texts = p.filler_texts(2)
        at = rng.randrange(len(texts) + 1)
        texts.insert(at, changed)
        other = p.article(texts, day)
        day += 1
        truth["hard_negatives"].append(
            {"variant": ref(other, at + 1), "original": ref(originals[a], k + 1), "kind": kind}
        )

    # A one-sentence report re-filed with its attribution moved to the other end ("X, police
    # said." / "Police said X."), in another article. Such reports are few in the corpus: those
    # of the original articles first, then some of the rest, each in an original of its own.
    wanted = 4 * scale
    for a, k in [(a, k) for a, paras in enumerate(p.base) for k in range(len(paras))]:
        if wanted and attribution(p.base[a][k]):
            moved = p.article([str(attribution(p.base[a][k])), *p.filler_texts(1)], day)
            day, wanted = day + 1, wanted - 1
            truth["duplicates"].append(
                {"copy": ref(moved, 1), "original": ref(originals[a], k + 1), "kind": "attribution"}
            )
    for text in [t for t in p.filler if attribution(t)][:wanted]:
        p.filler.remove(text)
        original = p.article([*p.filler_texts(1), text], day)
        moved = p.article([str(attribution(text)), *p.filler_texts(1)], day + 1)
        day += 2
        truth["duplicates"].append(
            {"copy": ref(moved, 1), "original": ref(original, 2), "kind": "attribution"}
        )

    # Boilerplate in many articles, furniture and a short fact in some.
    for n, article in enumerate(p.articles):
        rows = article["paragraphs"]
        if n % 9 == 0:
            text = BOILERPLATE[n // 9 % 2]
            rows.append({"line": len(rows) + 1, "role": "body", "text": text})
            truth["boilerplate"].append([article["source"], len(rows)])
        if n % 7 == 3:
            text = FURNITURE[n // 7 % len(FURNITURE)]
            rows.insert(2, {"line": 0, "role": "body", "text": text})
            for i, row in enumerate(rows):
                row["line"] = i + 1
            _shift(truth, article["source"], 3)
            truth["furniture"].append([article["source"], 3])
        if n % 40 == 5:
            rows.append({"line": len(rows) + 1, "role": "body", "text": SHORT_FACT})
            truth["short_facts"].append([article["source"], len(rows)])
    return {"provenance": PROVENANCE, "seed": SEED, "articles": p.articles, "truth": truth}


def _shift(truth: dict[str, list[Any]], source: str, from_line: int) -> None:
    """A line was inserted at `from_line`: move the truth's references below it down one."""

    def move(r: list[Any]) -> None:
        if r[0] == source and r[1] >= from_line:
            r[1] += 1

    for group in ("duplicates", "hard_negatives"):
        for row in truth[group]:
            for value in row.values():
                if isinstance(value, list):
                    move(value)
    for r in truth["boilerplate"]:
        move(r)


# -- scoring --------------------------------------------------------------------------------
def score(data: dict[str, Any], articles: Any) -> dict[str, Any]:
    """Precision and recall of paragraph merges against the truth; hard-negative merges."""
    removed = {
        (a.source, p.line): p.removal
        for a in articles
        for p in a.paragraphs
        if p.removal is not None
    }
    merges = {
        key: (r.duplicate_of.source, r.duplicate_of.line)
        for key, r in removed.items()
        if r.reason in ("exact", "near") and r.duplicate_of is not None
    }
    truth = data["truth"]
    # A copy may repeat another copy of the same original: any member of the group will do.
    group: dict[tuple[str, int], tuple[str, int]] = {}

    def root(item: tuple[str, int]) -> tuple[str, int]:
        while group.get(item, item) != item:
            item = group[item]
        return item

    for d in truth["duplicates"]:
        group[root(tuple(d["copy"]))] = root(tuple(d["original"]))
    same = {k for k, v in merges.items() if root(k) == root(v)}
    pairs = {tuple(d["copy"]): d for d in truth["duplicates"]}
    # Found: the copy went, or the original went for the fuller copy (within one article).
    found = {c for c, d in pairs.items() if c in same or merges.get(tuple(d["original"])) == c}
    correct = len(same)
    negatives = [
        h
        for h in truth["hard_negatives"]
        if tuple(h["variant"]) in removed
        or root(merges.get(tuple(h["original"]), ("", 0))) == root(tuple(h["variant"]))
    ]
    by_kind: Counter[str] = Counter(d["kind"] for d in truth["duplicates"])
    found_kind: Counter[str] = Counter(pairs[p]["kind"] for p in found)
    merged = {a.source: a.merged_into for a in articles}
    return {
        "precision": correct / len(merges) if merges else 1.0,
        "recall": len(found) / len(pairs) if pairs else 1.0,
        "merges": len(merges),
        "true_pairs": len(pairs),
        "hard_negatives": len(truth["hard_negatives"]),
        "hard_negative_merges": negatives,
        "recall_by_kind": {k: round(found_kind[k] / n, 3) for k, n in sorted(by_kind.items())},
        "missed": [pairs[p] for p in pairs if p not in found],
        "wrong": [(k, v) for k, v in merges.items() if k not in same],
        "boilerplate_found": sum(
            1
            for s, line in truth["boilerplate"]
            if (s, line) in removed and removed[(s, line)].reason == "boilerplate"
        ),
        "furniture_found": sum(
            1
            for s, line in truth["furniture"]
            if (s, line) in removed and removed[(s, line)].reason == "furniture"
        ),
        "short_facts_kept": sum(1 for s, line in truth["short_facts"] if (s, line) not in removed),
        "stories_merged": sum(1 for s in truth["stories"] if merged[s["copy"]] == s["story"]),
        "updates_merged": sum(1 for s in truth["not_stories"] if merged[s["article"]]),
    }


def to_articles(data: dict[str, Any]) -> list[Any]:
    from sahelbrief.model import Article, Paragraph

    return [
        Article(
            source=a["source"],
            format="seed",
            title=a["paragraphs"][0]["text"],
            title_line=1,
            paragraphs=tuple(Paragraph(p["line"], p["role"], p["text"]) for p in a["paragraphs"]),
            slug=a["source"].rsplit("/", 1)[-1].removesuffix(".txt"),
            date=dt.date.fromisoformat(a["date"]),
        )
        for a in data["articles"]
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["write", "run"])
    parser.add_argument("output", nargs="?", type=Path)
    parser.add_argument("--corpus", type=Path, help="lee_background.cor (default: pip download)")
    parser.add_argument("--base", type=int, default=60, help="articles used as originals")
    parser.add_argument("--scale", type=int, default=1, help="multiply the planted cases")
    args = parser.parse_args(argv)
    data = plant(fetch_corpus(args.corpus), args.base, args.scale)
    if args.command == "write":
        args.output.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", "utf-8")
        print(f"{len(data['articles'])} articles written to {args.output}")
        return 0
    from sahelbrief.pipeline.dedupe import dedupe

    articles = to_articles(data)
    began = time.perf_counter()
    result = dedupe(articles)
    seconds = time.perf_counter() - began
    report = score(data, result.articles)
    paragraphs = sum(len(a.paragraphs) for a in articles)
    print(f"{len(articles)} articles, {paragraphs} paragraphs, dedupe {seconds:.2f} s")
    for key in ("precision", "recall", "merges", "true_pairs", "hard_negatives"):
        print(f"  {key}: {report[key]}")
    print(f"  hard-negative merges: {len(report['hard_negative_merges'])}")
    print(f"  recall by kind: {report['recall_by_kind']}")
    for key in ("boilerplate_found", "furniture_found", "short_facts_kept"):
        print(f"  {key}: {report[key]}")
    print(f"  stories merged: {report['stories_merged']}/{len(data['truth']['stories'])}")
    print(f"  updates merged (must be 0): {report['updates_merged']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
