"""What every page's head tells machines (render/head.py): the story's JSON-LD is made when a
template asks for it."""

from __future__ import annotations

from collections.abc import Callable

import jinja2
import pytest
from markupsafe import Markup

from sahelbrief.pipeline.render.head import Head


def _head(structure: Callable[[], Markup]) -> Head:
    return Head("https://x.org/a/", None, "A story", "article", "en", (), structure=structure)


def test_the_json_ld_is_made_once_and_only_when_asked_for() -> None:
    made: list[int] = []

    def structure() -> Markup:
        made.append(1)
        return Markup("<script></script>")

    head = _head(structure)
    assert made == []
    assert head.structured == head.structured == "<script></script>"
    assert made == [1]


def test_a_fault_making_the_json_ld_is_not_taken_for_a_missing_attribute() -> None:
    # Jinja reads an AttributeError from a property as "no such attribute": the template error
    # would then send the theme's author looking for a typo that is not there.
    def broken() -> Markup:
        raise AttributeError("'NoneType' object has no attribute 'name'")

    template = jinja2.Environment(undefined=jinja2.StrictUndefined).from_string(
        "{{ meta.structured }}"
    )
    with pytest.raises(RuntimeError, match="making the JSON-LD: 'NoneType'"):
        template.render(meta=_head(broken))
