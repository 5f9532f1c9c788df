from __future__ import annotations

from sahelbrief.pipeline.classify.topics import TopicFinder

GAZETTEER = (
    ("Wagner Group", ("Wagner", "groupe Wagner")),
    ("Coups", ("coup", "coups", "coup d'état", "putsch")),
    ("Islamic State Sahel", ("ISSP", "Islamic State Sahel")),
    ("Elections", ("election", "élections")),
)


def test_terms_match_whole_words_ignoring_case_accents_and_punctuation() -> None:
    finder = TopicFinder(GAZETTEER)
    assert finder.find(["Le COUP D’ETAT de juillet"]) == ("Coups",)
    assert finder.find(["Les elections de dimanche"]) == ("Elections",)
    assert finder.find(["A coupling of wagons", "the Wagnerian opera"]) == ()


def test_topics_come_in_order_of_first_mention_and_once() -> None:
    finder = TopicFinder(GAZETTEER)
    texts = ["After the putsch, Wagner arrived", "another coup; Wagner again"]
    assert finder.find(texts) == ("Coups", "Wagner Group")


def test_the_topic_name_itself_is_a_term() -> None:
    assert TopicFinder(GAZETTEER).find(["Islamic State Sahel claims attack"]) == (
        "Islamic State Sahel",
    )


def test_front_matter_names_take_the_gazetteer_spelling() -> None:
    finder = TopicFinder(GAZETTEER)
    assert finder.canonical("wagner group") == "Wagner Group"
    assert finder.canonical("Fisheries") == "Fisheries"


def test_an_empty_gazetteer_finds_nothing() -> None:
    assert TopicFinder(()).find(["coup"]) == ()
