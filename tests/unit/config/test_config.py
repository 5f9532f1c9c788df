from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from sahelbrief.config import Config, load_config
from sahelbrief.errors import BuildFailed, ConfigError


def test_defaults_without_a_config_file(project: Path) -> None:
    config = load_config(project)
    assert dataclasses.replace(config, topics=()) == Config()
    assert dict(config.topics)["Africa Corps"][0] == "Africa Corps"  # the theme's gazetteer
    assert config.base_path == "/"


def test_values_and_base_url_override(project: Path) -> None:
    (project / "sahelbrief.yaml").write_text(
        "title: Brief\nlanguage: fr\nper_page: 5\nbase_url: https://example.org/a/\n"
    )
    config = load_config(project, base_url="https://example.org/brief/")
    assert (config.title, config.language, config.per_page) == ("Brief", "fr", 5)
    assert config.base_path == "/brief/"
    assert config.absolute("/articles/x/") == "/brief/articles/x/"


def test_every_problem_is_reported_with_key_and_line(project: Path) -> None:
    (project / "sahelbrief.yaml").write_text(
        "title: ok\nper_page: many\ncolour: blue\ntimezone: Mars/Olympus\npermalink: /{id}/\n"
    )
    with pytest.raises(BuildFailed) as caught:
        load_config(project)
    found = {(e.line, e.message.split(":")[0]) for e in caught.value.errors}
    assert found == {(2, "per_page"), (3, "colour"), (4, "timezone"), (5, "permalink")}
    assert all(e.path == "sahelbrief.yaml" for e in caught.value.errors)


def test_yaml_syntax_error(project: Path) -> None:
    (project / "sahelbrief.yaml").write_text("title: [oops\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(project)


def test_not_a_mapping(project: Path) -> None:
    (project / "sahelbrief.yaml").write_text("- a\n- b\n")
    with pytest.raises(ConfigError, match="mapping"):
        load_config(project)


@pytest.mark.parametrize("url", ["ftp://x.org/", "https://x.org/?q=1", "https://", "brief/"])
def test_bad_base_urls(project: Path, url: str) -> None:
    (project / "sahelbrief.yaml").write_text(f"title: T\nbase_url: {url!r}\n")
    with pytest.raises(BuildFailed, match="config") as caught:
        load_config(project)
    [error] = caught.value.errors
    assert (error.path, error.line) == ("sahelbrief.yaml", 2)


@pytest.mark.parametrize("url", ["ftp://x y/", "brief/", "sahel.example.org"])
def test_a_bad_base_url_option_is_blamed_on_the_option(project: Path, url: str) -> None:
    (project / "sahelbrief.yaml").write_text("title: T\nbase_url: https://ok.example/\n")
    with pytest.raises(BuildFailed, match="config") as caught:
        load_config(project, base_url=url)
    [error] = caught.value.errors
    assert (error.path, error.line) == ("--base-url", None)
    assert str(error).startswith("--base-url: must be an http(s) URL")


@pytest.mark.parametrize(
    ("host", "meant"),
    [
        ("sahel.example.org", "https://sahel.example.org/"),
        ("sahel.example.org/brief/", "https://sahel.example.org/brief/"),
        ("www.example.org?x=1", "https://www.example.org/"),
        ("localhost:8080", "https://localhost:8080/"),
    ],
)
def test_a_host_name_without_its_scheme_is_refused_with_the_url_meant(
    project: Path, host: str, meant: str
) -> None:
    # Taken for a path, it built a site whose every link went to /sahel.example.org/...
    (project / "sahelbrief.yaml").write_text(f"base_url: {host!r}\n")
    with pytest.raises(BuildFailed) as caught:
        load_config(project)
    assert caught.value.errors[0].message.endswith(f"; did you mean {meant}?")
