"""Unit tests for the parts of the dedupe stage: keys, the join, furniture, boilerplate,
clustering, and the seed project's exact result."""

from __future__ import annotations

import itertools
import os
import random
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sahelbrief.config import DedupConfig
from sahelbrief.model import Ref
from sahelbrief.pipeline.dedupe import dedupe, near, tokens
from sahelbrief.pipeline.dedupe.cluster import UnionFind, stories
from sahelbrief.pipeline.dedupe.furniture import has_boilerplate_marker, is_furniture
from sahelbrief.pipeline.dedupe.guard import number_values
from sahelbrief.pipeline.dedupe.near import NearIndex, least_shared, prefix_length
from sahelbrief.pipeline.dedupe.tokens import fold, folded, names, strip_dateline
from sahelbrief.pipeline.read import read_sources
from tests.unit.dedupe.helpers import article, removals

ROOT = Path(__file__).resolve().parents[3]
FILLER = "Officials in the capital gave no further details about the incident on the road."


def test_fold_keeps_digits_and_drops_case_accents_punctuation() -> None:
    assert fold("Ménaka: 12 soldats « tués »") == "menaka 12 soldats tues"
    assert fold("killed 12") != fold("killed 21")
    assert fold("l’armée") == fold("l'armee")


def test_dateline_is_ignored_for_near_matching_only() -> None:
    text = "BAMAKO, Mali, March 3 (Reuters) — The junta said on Monday it would hold talks."
    assert folded(strip_dateline(text)).split()[:3] == [b"the", b"junta", b"said"]
    assert fold(text).startswith("bamako mali")


def test_names_are_capitalised_words_inside_a_sentence() -> None:
    found = names("The army said gunmen attacked Dori. Residents fled to Djibo and Ouagadougou.")
    assert found == {"dori", "djibo", "ouagadougou"}


@given(st.text(alphabet="aZÉé1 \t\n'’-_.", max_size=40), st.integers(0, 5))
def test_names_find_a_capital_then_look_before_it_as_a_lookbehind_would(
    text: str, pos: int
) -> None:
    lookbehind = re.compile(r"(?<=[\s'’-])[A-ZÀ-ÖØ-Ý][\w'’-]*")
    assert tokens._CAPITALISED.findall(text, pos) == lookbehind.findall(text, pos)


def test_number_values_read_number_words_but_not_articles() -> None:
    assert number_values(["twelve", "12", "douze", "un", "one"]) == Counter({"12": 3})


def test_prefix_filter_finds_every_pair_above_the_threshold(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The join is exact, its least-shared bound included: brute force over random sets finds
    no pair it missed. (The caps are not: on sets of 60 elements every element is a stock
    phrase, so they are lifted here.)"""
    monkeypatch.setattr(near, "MAX_POSTINGS", 1 << 30)
    monkeypatch.setattr(near, "MAX_CANDIDATES", 1 << 30)
    rng = random.Random(7)
    sets = []
    for _ in range(300):
        base = rng.sample(range(60), rng.randrange(8, 30))
        sets.append(set(base) | {rng.randrange(1000) for _ in range(rng.randrange(4))})
    index = NearIndex(0.5)
    found = set()
    for i, grams in enumerate(sets):
        for j in index.probe(index.prefix(sorted(grams)), len(grams)):
            found.add((j, i))
        index.add(i, index.prefix(sorted(grams)), len(grams))
    for (i, a), (j, b) in itertools.combinations(enumerate(sets), 2):
        if len(a & b) / len(a | b) >= 0.5:
            assert (i, j) in found


def test_least_shared_is_what_pairs_above_the_threshold_share_in_their_prefixes() -> None:
    rng = random.Random(3)
    tight = 0
    for _ in range(3000):
        universe = rng.sample(range(1000), 120)
        x = set(rng.sample(universe, rng.randrange(1, 70)))
        y = set(rng.sample(sorted(x), rng.randrange(len(x) + 1)))
        y |= set(rng.sample(universe, rng.randrange(30)))
        if not y or len(x & y) / len(x | y) < 0.5:
            continue
        shared = set(sorted(x)[: prefix_length(len(x), 0.5)])
        shared &= set(sorted(y)[: prefix_length(len(y), 0.5)])
        assert len(shared) >= least_shared(len(x), len(y), 0.5)
        tight += len(shared) == least_shared(len(x), len(y), 0.5)
    assert tight  # the bound is reached: it is no lower than it must be
    assert least_shared(60, 60, 0.5) == 11  # what a chance 3-gram in common does not reach


def test_prefix_length() -> None:
    assert prefix_length(10, 0.5) == 6
    assert prefix_length(58, 0.5) == 30


@pytest.mark.parametrize(
    "line",
    [
        "Read more",
        "Advertisement",
        "Photo : AFP",
        "Lire aussi : Le Mali et ses voisins",
        "Publicité",
    ],
)
def test_furniture(line: str) -> None:
    assert is_furniture(line)


@pytest.mark.parametrize(
    "line",
    [
        "Photo exhibition opens in Bamako",
        "Read the report in full before the vote, the minister told parliament on Monday.",
        "Advertisement revenue of state television fell by a third last year.",
    ],
)
def test_not_furniture(line: str) -> None:
    assert not is_furniture(line)


def test_furniture_lines_are_never_duplicates_of_one_another() -> None:
    result = dedupe([article("a.txt", "Photo : AFP", FILLER, "Photo : AFP")])
    assert removals(result.articles) == {
        ("a.txt", 2): ("furniture", None),
        ("a.txt", 4): ("furniture", None),
    }


def test_markdown_furniture_lookalikes_are_left_to_the_editor() -> None:
    result = dedupe([article("a.md", "Read more", FILLER, fmt="markdown")])
    assert removals(result.articles) == {}


def test_copyright_line_in_many_articles_is_boilerplate_everywhere() -> None:
    line = "© {year} Sahel Wire. All rights reserved."
    articles = [
        article(f"{i}.txt", f"{FILLER} Report {i}.", line.format(year=2020 + i), day=i)
        for i in range(1, 7)
    ]
    removed = removals(dedupe(articles).articles)
    assert {k: v[0] for k, v in removed.items()} == {
        (f"{i}.txt", 3): "boilerplate" for i in range(1, 7)
    }
    assert has_boilerplate_marker(line)


def test_frequent_fact_line_is_kept_once_not_lost() -> None:
    fact = "The border with Burkina Faso has been closed since the coup in July 2023."
    articles = [article(f"{i}.txt", f"{FILLER} Report {i}.", fact, day=i) for i in range(1, 7)]
    removed = removals(dedupe(articles).articles)
    assert ("1.txt", 3) not in removed
    assert removed[("6.txt", 3)] == ("boilerplate", Ref("1.txt", 3))


def test_boilerplate_threshold_is_configurable() -> None:
    line = "Subscribe to our newsletter for the day's top stories from the Sahel."
    articles = [article(f"{i}.txt", f"{FILLER} {i}.", line, day=i) for i in range(1, 4)]
    # Below the threshold it is an ordinary repeat: kept first, a note in the later articles.
    assert {v[0] for v in removals(dedupe(articles).articles).values()} == {"exact"}
    removed = removals(dedupe(articles, DedupConfig(boilerplate_min_articles=3)).articles)
    assert {v[0] for v in removed.values()} == {"boilerplate"} and len(removed) == 3


def test_union_find_roots_at_the_earliest() -> None:
    union = UnionFind(4)
    union.union(3, 1)
    union.union(2, 3)
    assert [union.find(i) for i in range(4)] == [0, 1, 1, 1]


def test_stories_join_copies_but_not_conflicting_pairs() -> None:
    matches = Counter({(1, 0): 3, (2, 0): 3, (3, 0): 1})
    assert stories([3, 3, 3, 4], matches, [(2, 0)], 0.6) == [0, 0, 2, 3]


def test_near_dedupe_can_be_switched_off() -> None:
    a = "Gunmen killed 12 soldiers in an attack on a military post near the town, the army said."
    b = "Gunmen killed 12 soldiers in an attack on a military post near the town, the army says."
    assert removals(dedupe([article("a.txt", a), article("b.txt", b, day=2)]).articles)
    off = DedupConfig(near=False)
    assert not removals(dedupe([article("a.txt", a), article("b.txt", b, day=2)], off).articles)


def test_seed_comes_out_exactly_as_before() -> None:
    """Title once, summary, dek, three body paragraphs and the editor's note once each; the
    repeated title and the three pasted-again paragraphs removed as exact repeats."""
    sources = read_sources(ROOT)
    seed = next(a for a in dedupe(sources.articles).articles if a.source.startswith("seeds/"))
    kept = [(p.line, p.role) for p in seed.paragraphs if p.kept]
    assert kept == [
        (1, "summary"),
        (2, "title"),
        (5, "dek"),
        (6, "body"),
        (7, "body"),
        (8, "body"),
        (9, "note"),
    ]
    gone = {
        p.line: (p.removal.reason, p.removal.duplicate_of) for p in seed.paragraphs if p.removal
    }
    source = seed.source
    assert gone == {
        4: ("exact", Ref(source, 2)),
        10: ("exact", Ref(source, 7)),
        11: ("exact", Ref(source, 8)),
        12: ("exact", Ref(source, 9)),
    }


def test_decisions_do_not_depend_on_the_hash_seed_or_input_order() -> None:
    script = (
        "import json, sys; sys.path.insert(0, 'benchmarks'); import dedup_eval as e;"
        "from sahelbrief.pipeline.dedupe import dedupe;"
        "d = json.load(open('tests/data/dedup-eval.json'));"
        "a = e.to_articles(d)[::-1];"
        "r = dedupe(a);"
        "print(sorted((x.source, p.line, repr(p.removal))"
        " for x in r.articles for p in x.paragraphs))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(outputs) == 1
