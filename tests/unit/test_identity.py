"""ByIdentity: what a build derived from an object, found again by the very object only."""

from __future__ import annotations

from sahelbrief.identity import ByIdentity
from sahelbrief.model import Paragraph


def test_found_again_for_the_same_object_only() -> None:
    memo: ByIdentity[Paragraph, str] = ByIdentity()
    one = Paragraph(1, "body", "Niamey.")
    equal = Paragraph(1, "body", "Niamey.")
    made: list[Paragraph] = []

    def derive(p: Paragraph) -> str:
        made.append(p)
        return p.text.upper()

    assert memo.get(one, derive) == "NIAMEY."
    assert memo.get(one, derive) == "NIAMEY."
    assert memo.find(equal) is None  # equal is not enough: it is another object
    assert made == [one]


def test_what_the_last_build_used_is_kept_older_goes() -> None:
    memo: ByIdentity[Paragraph, str] = ByIdentity()
    used, unused = Paragraph(1, "body", "Dori."), Paragraph(2, "body", "Djibo.")
    memo.put(used, "a")
    memo.put(unused, "b")
    memo.begin()  # build 2 uses only `used`
    assert memo.find(used) == "a"
    memo.begin()  # build 3
    assert memo.find(used) == "a"
    assert memo.find(unused) is None


def test_stable_keeps_the_last_builds_equal_value() -> None:
    memo: ByIdentity[Paragraph, Paragraph] = ByIdentity()
    source = Paragraph(1, "body", "Gao.")
    first = memo.stable(source, Paragraph(1, "body", "Gao.", None))
    memo.begin()
    again = memo.stable(source, Paragraph(1, "body", "Gao.", None))
    assert again is first  # equal: the object of the last build
    memo.begin()
    changed = Paragraph(1, "body", "Kidal.")
    assert memo.stable(source, changed) is changed  # different: the new value
