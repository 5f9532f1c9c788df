"""Generate a realistic news corpus for the benchmarks, in three formats at once.

    python benchmarks/gen_corpus.py OUT_DIR --articles 5000 [--seed 1]

OUT_DIR/sahelbrief/  seeds/*.txt (one in five articles, raw text) + content/*.md (front matter)
OUT_DIR/pelican/     content/*.md with Pelican metadata, pelicanconf.py
OUT_DIR/hugo/        content/posts/*.md, hugo.toml and a minimal layout

Articles have 8-20 paragraphs (~6 kB) of Zipf-distributed words, a title, a date, 1-3 of 7
topics; about one in ten repeats its last paragraphs and about one in eight carries a wire
boilerplate paragraph shared across the site, so the dedupe stage has real work. As in a
newsroom's own pieces, half the articles have a paragraph with emphasis and a link, and a third
of the Markdown ones a subheading. Output is deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import random
import shutil
from pathlib import Path

VOCABULARY = (
    "the government officials said on Tuesday that the border crossing would reopen after "
    "months of talks between Niger and Benin traders lorries customs convoy Bamako Niamey "
    "Ouagadougou Ndjamena Gao Timbuktu Agadez Mopti junta election ministry humanitarian "
    "agencies reported displaced families drought harvest millet sorghum prices market fuel "
    "shortage security forces patrol attack village regional bloc ECOWAS sanctions transition "
    "council spokesman statement radio broadcast schools reopened clinics water wells herders "
    "farmers dispute rainfall season river flood road bridge gold mine workers strike union "
    "wages teachers students protest capital police curfew aid delivery corridor negotiations"
)
WORDS = VOCABULARY.split()
# News text is Zipf-distributed: a few words are everywhere, most are rare (names, places,
# figures). The words above are the commonest ranks; made-up words of two to four syllables
# are the long tail. (Uniform draws from the 150 words above, as in the first version, made
# every paragraph share 3-grams with every other, which no newsroom's text does.)
_SYLLABLES = [c + v for c in "bdkmnrstwz" for v in "aeiou"]
_TAIL = 25_000
TOPICS = ("security", "politics", "economy", "humanitarian", "climate", "health", "education")
CATEGORIES = ("Mali", "Niger", "Burkina Faso", "Chad")
BOILERPLATE = (
    "This dispatch was compiled from wire reports and local radio; figures could not be "
    "independently verified by the desk at the time of publication."
)


class Vocabulary:
    def __init__(self, rng: random.Random) -> None:
        made_up = {"".join(rng.choices(_SYLLABLES, k=rng.randint(2, 4))) for _ in range(_TAIL)}
        self.words = WORDS + sorted(made_up - set(WORDS))
        self.cumulative = list(
            itertools.accumulate(1 / rank for rank in range(1, len(self.words) + 1))
        )

    def draw(self, rng: random.Random, count: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self.cumulative, k=count)


def sentence(rng: random.Random, vocabulary: Vocabulary) -> str:
    words = vocabulary.draw(rng, rng.randint(9, 18))
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def paragraph(rng: random.Random, vocabulary: Vocabulary) -> str:
    return " ".join(sentence(rng, vocabulary) for _ in range(rng.randint(3, 5)))


def article(rng: random.Random, vocabulary: Vocabulary, number: int) -> dict[str, object]:
    title_words = vocabulary.draw(rng, rng.randint(5, 9))
    title = " ".join(title_words).capitalize() + f" {number}"
    date = dt.date(2024, 1, 1) + dt.timedelta(days=number % 700)
    paragraphs = [paragraph(rng, vocabulary) for _ in range(rng.randint(8, 20))]
    if rng.random() < 0.5:
        marked = rng.randrange(len(paragraphs))
        first, rest = paragraphs[marked].split(" ", 1)
        paragraphs[marked] = f"*{first}* {rest} ([source](https://example.org/wire/{number}))"
    subheading = rng.randint(2, len(paragraphs) - 2) if rng.random() < 1 / 3 else 0
    heading = " ".join(vocabulary.draw(rng, rng.randint(3, 6))).capitalize()
    if rng.random() < 0.10:
        paragraphs += paragraphs[-rng.randint(1, 2) :]
    if rng.random() < 0.12:
        paragraphs.insert(rng.randint(1, len(paragraphs)), BOILERPLATE)
    return {
        "number": number,
        "title": title,
        "date": date,
        "topics": rng.sample(TOPICS, rng.randint(1, 3)),
        "category": CATEGORIES[number % len(CATEGORIES)],
        "dek": sentence(rng, vocabulary),
        "paragraphs": paragraphs,
        "subheading": (subheading, heading),
    }


def markdown_body(item: dict[str, object]) -> str:
    """The article's paragraphs as Markdown, with its subheading if it has one."""
    paragraphs = list(item["paragraphs"])  # type: ignore[call-overload]
    subheading = item["subheading"]
    assert isinstance(subheading, tuple)
    where, heading = subheading
    if where:
        paragraphs.insert(where, f"## {heading}")
    return "\n\n".join(paragraphs)


def write_sahelbrief(root: Path, items: list[dict[str, object]]) -> None:
    (root / "seeds").mkdir(parents=True)
    (root / "content").mkdir(parents=True)
    # Feeds and sitemaps need a full base URL (Pelican and Hugo write feeds too); no search
    # index, as the peers build none (Pagefind re-indexes every page on every build).
    (root / "sahelbrief.yaml").write_text(
        'title: "Sahel Brief (benchmark)"\nbase_url: "https://example.org/"\nsearch: false\n',
        encoding="utf-8",
    )
    for item in items:
        name = f"{item['date']}-{item['number']:05d}"
        paragraphs = item["paragraphs"]
        assert isinstance(paragraphs, list)
        if int(str(item["number"])) % 5 == 0:
            lines = [str(item["title"]), str(item["dek"]), *paragraphs]
            (root / "seeds" / f"{name}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
            continue
        front = (
            f'---\ntitle: "{item["title"]}"\ndate: {item["date"]}\n'
            f'dek: "{item["dek"]}"\ntopics: [{", ".join(item["topics"])}]\n---\n\n'  # type: ignore[arg-type]
        )
        body = markdown_body(item)
        (root / "content" / f"{name}.md").write_text(front + body + "\n", encoding="utf-8")


PELICANCONF = """\
AUTHOR = "Desk"
SITENAME = "Sahel Brief (benchmark)"
SITEURL = ""
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = 10
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"
TAG_FEED_ATOM = "feeds/tag.{slug}.atom.xml"
FEED_MAX_ITEMS = 20
RELATIVE_URLS = False
"""


def write_pelican(root: Path, items: list[dict[str, object]]) -> None:
    (root / "content").mkdir(parents=True)
    (root / "pelicanconf.py").write_text(PELICANCONF, encoding="utf-8")
    for item in items:
        meta = (
            f"Title: {item['title']}\nDate: {item['date']}\n"
            f"Category: {item['category']}\nTags: {', '.join(item['topics'])}\n"  # type: ignore[arg-type]
            f"Summary: {item['dek']}\n\n"
        )
        body = markdown_body(item)
        path = root / "content" / f"{item['date']}-{item['number']:05d}.md"
        path.write_text(meta + body + "\n", encoding="utf-8")


HUGO_CONFIG = """\
baseURL = "http://example.org/"
title = "Sahel Brief (benchmark)"
disableKinds = ["sitemap", "robotsTXT"]
[pagination]
pagerSize = 10
paginate = 10
[taxonomies]
tag = "tags"
category = "categories"
[outputs]
home = ["HTML", "RSS"]
section = ["HTML", "RSS"]
taxonomy = ["HTML", "RSS"]
term = ["HTML", "RSS"]
[services.rss]
limit = 20
"""
HUGO_BASEOF = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{{ .Title }} | {{ site.Title }}</title></head>
<body><header><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main></body></html>
"""
HUGO_SINGLE = """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time>
<p>{{ .Params.dek }}</p>{{ .Content }}
<p>{{ range .Params.tags }}<a href="{{ "tags/" | relURL }}{{ . | urlize }}/">{{ . }}</a>
{{ end }}</p>
</article>{{ end }}
"""
HUGO_LIST = """{{ define "main" }}<h1>{{ .Title }}</h1>
{{ range .Paginator.Pages }}<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<p>{{ .Params.dek }}</p></article>{{ end }}
{{ with .Paginator.Next }}<a href="{{ .URL }}">Older</a>{{ end }}{{ end }}
"""


def write_hugo(root: Path, items: list[dict[str, object]]) -> None:
    (root / "content" / "posts").mkdir(parents=True)
    layouts = root / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (root / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    (layouts / "baseof.html").write_text(HUGO_BASEOF, encoding="utf-8")
    (layouts / "single.html").write_text(HUGO_SINGLE, encoding="utf-8")
    (layouts / "list.html").write_text(HUGO_LIST, encoding="utf-8")
    for item in items:
        topics = ", ".join(f'"{t}"' for t in item["topics"])  # type: ignore[attr-defined]
        front = (
            f'---\ntitle: "{item["title"]}"\ndate: {item["date"]}\ndek: "{item["dek"]}"\n'
            f'tags: [{topics}]\ncategories: ["{item["category"]}"]\n---\n\n'
        )
        body = markdown_body(item)
        path = root / "content" / "posts" / f"{item['date']}-{item['number']:05d}.md"
        path.write_text(front + body + "\n", encoding="utf-8")


def generate(out: Path, articles: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    vocabulary = Vocabulary(rng)
    items = [article(rng, vocabulary, n) for n in range(articles)]
    if out.exists():
        shutil.rmtree(out)
    write_sahelbrief(out / "sahelbrief", items)
    write_pelican(out / "pelican", items)
    write_hugo(out / "hugo", items)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.out, args.articles, args.seed)


if __name__ == "__main__":
    main()
