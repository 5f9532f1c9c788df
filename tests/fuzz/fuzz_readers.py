"""Fuzz the read stage with atheris (libFuzzer, coverage-guided): for any bytes, decoding and
reading as a seed and as Markdown must give an Article or raise SahelbriefError; anything else
(another exception, a hang past -timeout, memory past -rss_limit_mb) is a crash. The Markdown
body is also converted and sanitised the way the render stage does.

    python tests/fuzz/fuzz_readers.py -runs=20000 WORK_CORPUS tests/fuzz/corpus

libFuzzer writes the new inputs it finds into the first corpus folder: pass a scratch copy
there, and copy interesting finds back into tests/fuzz/corpus by hand.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["sahelbrief", "yaml"]):
    from sahelbrief.errors import SahelbriefError
    from sahelbrief.model import Article
    from sahelbrief.pipeline.read.decode import decode
    from sahelbrief.pipeline.read.markdown import read_markdown
    from sahelbrief.pipeline.read.seed import read_seed
    from sahelbrief.pipeline.render import markup


def test_one_input(data: bytes) -> None:
    try:
        lines = decode(data, "seeds/fuzz.txt")
    except SahelbriefError:
        return
    for reader in (read_seed, read_markdown):
        try:
            article: Article = reader(lines, "content/fuzz.md")
        except SahelbriefError:
            continue
        text = "\n\n".join(p.text for p in article.paragraphs)
        if reader is read_markdown:
            markup.block(text)
        else:
            for paragraph in article.paragraphs:
                markup.inline(paragraph.text)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
