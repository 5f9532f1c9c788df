from __future__ import annotations

from pathlib import Path

import pytest

from sahelbrief.errors import BuildFailed
from sahelbrief.pipeline import BuildOptions, build
from sahelbrief.pipeline.render import load_templates
from tests.conftest import write_tree

SEED = "-- seeds/a.txt --\nHeadline here\nA paragraph. Another one.\n"


def test_a_project_template_overrides_the_theme_file_by_file(project: Path) -> None:
    write_tree(
        project,
        SEED
        + "-- templates/404.html --\n"
        + '{% extends "base.html" %}{% block main %}<p>Gone fishing</p>{% endblock %}\n',
    )
    build(project)
    assert "Gone fishing" in (project / "site/404.html").read_text()
    assert "Headline here" in (project / "site/index.html").read_text()  # still the theme's


def test_a_project_stylesheet_replaces_the_theme_stylesheet(project: Path) -> None:
    write_tree(project, SEED + "-- templates/assets/style.css --\nbody { color: red; }\n")
    build(project)
    sheets = list((project / "site/assets").glob("style.*.css"))
    assert len(sheets) == 1 and sheets[0].read_text() == "body { color: red; }\n"
    assert f'href="/assets/{sheets[0].name}"' in (project / "site/index.html").read_text()


@pytest.mark.parametrize(
    ("template", "line", "message"),
    [
        ("{% block main %}\n{% if %}\n{% endblock %}", 3, "template syntax"),
        ("{% block main %}\n\n{{ missing.name }}\n{% endblock %}", 4, "'missing' is undefined"),
    ],
)
def test_template_errors_name_the_template_and_line(
    project: Path, template: str, line: int, message: str
) -> None:
    write_tree(
        project, SEED + '-- templates/edition.html --\n{% extends "base.html" %}\n' + template
    )
    with pytest.raises(BuildFailed) as caught:
        build(project, BuildOptions())
    error = caught.value.errors[0]
    assert caught.value.stage == "render"
    assert error.path == "templates/edition.html"
    assert error.line == line
    assert message in error.message
    assert not (project / "site").exists()


def test_a_template_sees_the_globals_with_its_own_over_them(tmp_path: Path) -> None:
    # Each template copies the environment's globals when loaded (render() sets them first).
    env = load_templates(tmp_path)
    env.globals["place"] = "Gao"
    assert env.from_string("{{ place }}").render() == "Gao"
    own = env.from_string("{{ place }}", globals={"place": "Mopti"})
    assert own.render() == "Mopti"
    assert env.globals["place"] == "Gao"  # a template's own globals stay its own
