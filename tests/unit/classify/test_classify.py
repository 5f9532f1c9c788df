from __future__ import annotations

import dataclasses

from sahelbrief.config import Config
from sahelbrief.model import Article, Paragraph, Removal
from sahelbrief.pipeline.classify import ClassifySettings, classify, findings

SETTINGS = ClassifySettings.of(
    Config(
        topics=(("Wagner Group", ("Wagner",)), ("Gold and mining", ("gold", "mine d'or"))),
        lead_paragraphs=2,
    )
)


def story(*body: str, **extra: object) -> Article:
    article = Article(
        source="seeds/a.txt",
        format="seed",
        title="Army retakes base",
        title_line=1,
        paragraphs=tuple(Paragraph(n + 2, "body", text) for n, text in enumerate(body)),
        slug="a",
    )
    return dataclasses.replace(article, **extra)  # type: ignore[arg-type]


def test_detection_reads_only_the_lead() -> None:
    article = story(
        "The army of Mali retook the base on Monday, officials said.",
        "It had been held by fighters for two months.",
        "In a passing mention, Wagner and gold mines in Niger were named.",
    )
    (found,) = classify([article], SETTINGS)
    assert found.countries == ("ML",)
    assert found.topics == ()


def test_headline_summary_and_dek_count_as_lead() -> None:
    article = story(
        "Body.",
        title="Wagner leaves",
        summary="Le Tchad et le Niger.",
        dek="Gold prices rose.",
    )
    (found,) = classify([article], SETTINGS)
    assert found.topics == ("Wagner Group", "Gold and mining")
    assert found.countries == ("TD", "NE")


def test_removed_paragraphs_do_not_count() -> None:
    article = story("Mali.", "Niger.", "Chad.")
    first, *rest = article.paragraphs
    gone = dataclasses.replace(
        article, paragraphs=(dataclasses.replace(first, removal=Removal("exact repeat")), *rest)
    )
    assert classify([article], SETTINGS)[0].countries == ("ML", "NE")
    # With the first paragraph removed as a repeat, the lead is the next two kept ones.
    assert classify([gone], SETTINGS)[0].countries == ("NE", "TD")


def test_front_matter_wins_over_detection() -> None:
    article = story(
        "Wagner troops in Mali.",
        topics=("wagner", "Fisheries"),
        countries=("SN",),
        language="fr",
    )
    (found,) = classify([article], SETTINGS)
    assert found.topics == ("Wagner Group", "Fisheries")
    assert found.countries == ("SN",)
    assert found.language == "fr"


def test_language_is_detected_else_the_sites() -> None:
    french = story("L'armée a repris la base selon les autorités du pays.")
    unclear = story("Bamako.")
    found = classify([french, unclear], dataclasses.replace(SETTINGS, language="en"))
    assert [a.language for a in found] == ["fr", "en"]


def test_pages_are_not_tagged() -> None:
    about = story("Mali and Wagner.", kind="page")
    (found,) = classify([about], SETTINGS)
    assert found.topics == () and found.countries == () and found.language == "en"


def test_findings_made_early_are_used_only_for_articles_that_read_the_same() -> None:
    read = story("Wagner fighters left Mali on Monday.", "Gold prices rose.")
    early = findings([read], SETTINGS)  # in the background, on the article as read
    (same,) = classify([read], SETTINGS, early)
    assert same == classify([read], SETTINGS)[0]
    assert same.topics == ("Wagner Group", "Gold and mining") and same.countries == ("ML",)
    # Dedupe removed the lead paragraph: the early findings no longer apply.
    removed = dataclasses.replace(read.paragraphs[0], removal=Removal("exact"))
    deduped = dataclasses.replace(read, paragraphs=(removed, *read.paragraphs[1:]))
    (fresh,) = classify([deduped], SETTINGS, early)
    assert fresh == classify([deduped], SETTINGS)[0]
    assert fresh.topics == ("Gold and mining",) and fresh.countries == ()
    # An early finding is used as given (so a wrong one shows that it was used).
    planted = {key: dataclasses.replace(f, topics=("planted",)) for key, f in early.items()}
    assert classify([read], SETTINGS, planted)[0].topics == ("planted",)
