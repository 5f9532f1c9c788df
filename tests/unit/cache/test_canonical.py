"""Cache keys and page digests depend on an article's content, not on which of its strings
happen to be one shared object (a dedupe pass resumed from the cache shares them differently
from a pass run from scratch, and the first edit after a cold build rendered most of the site
again)."""

from __future__ import annotations

import pickle

from sahelbrief import canonical
from sahelbrief.model import Article, Paragraph


def _article(title: str, first: str) -> Article:
    return Article(
        source="content/2026-11-20-gaya.md",
        format="markdown",
        title=title,
        title_line=1,
        paragraphs=(Paragraph(1, "title", first), Paragraph(3, "body", "Trucks crossed.")),
        slug="gaya",
    )


def test_equal_articles_sharing_strings_differently_have_one_digest() -> None:
    text = "".join(["Niger reopens ", "the Gaya crossing"])
    copy = "".join(["Niger reopens the ", "Gaya crossing"])
    shared, apart = _article(text, text), _article(text, copy)
    assert shared == apart
    # What the digests were made of: pickle writes the shared string once, then refers to it.
    assert pickle.dumps(shared, pickle.HIGHEST_PROTOCOL) != pickle.dumps(
        apart, pickle.HIGHEST_PROTOCOL
    )
    assert canonical.dumps(shared) == canonical.dumps(apart)
    assert canonical.digest(shared) == canonical.digest(apart)  # what the page digests use


def test_different_articles_have_different_digests() -> None:
    assert canonical.digest(_article("Gaya", "Gaya")) != canonical.digest(_article("Gaya", "Dori"))


def test_a_classified_field_counts_as_changed_unless_it_pickles_the_same() -> None:
    """The classify cache keeps the fields classify changed and the digest of its result: a
    field equal to the input's but pickled otherwise (True for 1) must be kept too, or the
    article made again from the fields would not have the stored digest."""
    from sahelbrief.cache import _same

    language = "".join(["f", "r"])
    assert _same(language, "fr")  # equal strings, other objects
    assert _same(("sahel",), ("sahel",))
    assert not _same(True, 1)
    assert not _same((1,), (1.0,))
