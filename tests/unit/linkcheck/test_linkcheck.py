from __future__ import annotations

from pathlib import Path

from sahelbrief.linkcheck import check_site
from tests.conftest import write_tree

SITE = """
-- index.html --
<!DOCTYPE html><html><head><link rel="canonical" href="https://example.org/brief/"></head>
<body id="top">
<a href="/brief/a/">ok</a>
<a href="/brief/a/#sec">ok anchor</a>
<a href="a/#missing">bad anchor</a>
<a href="/brief/gone/">missing page</a>
<a href="/elsewhere/">outside</a>
<a href="https://example.org/brief/nothere.xml">absolute, missing</a>
<a href="https://other.example/">external</a>
<a href="#top">self</a>
<img src="/brief/img.png" alt="">
</body></html>
-- a/index.html --
<!DOCTYPE html><html><body><h2 id="sec">S</h2><a href="../#top">up</a></body></html>
-- img.png --
x
"""


def test_finds_missing_pages_anchors_and_links_outside_the_base(tmp_path: Path) -> None:
    write_tree(tmp_path, SITE)
    report = check_site(tmp_path, "https://example.org/brief/")
    assert report.pages == 2
    assert report.links == 10
    problems = {(b.link.page, b.link.line, b.link.target): b.problem for b in report.broken}
    assert problems == {
        ("index.html", 5, "a/#missing"): 'no element with id="missing" on a/index.html',
        ("index.html", 6, "/brief/gone/"): "no such page or file in the built site",
        ("index.html", 7, "/elsewhere/"): "points outside the site's base path /brief/",
        (
            "index.html",
            8,
            "https://example.org/brief/nothere.xml",
        ): "no such page or file in the built site",
    }


def test_with_a_path_base_url_absolute_links_are_left_alone(tmp_path: Path) -> None:
    write_tree(tmp_path, SITE)
    report = check_site(tmp_path, "/brief/")
    assert len(report.broken) == 3
