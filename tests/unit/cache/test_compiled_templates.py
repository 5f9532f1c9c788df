"""Compiled templates kept between builds: reused, recompiled when the template changes, and
never run when the file is damaged."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from sahelbrief.cache.templates import CompiledTemplates
from sahelbrief.pipeline.render import load_templates


def _render(project: Path, cache: Path, compiles: list[str]) -> str:
    env = load_templates(project, CompiledTemplates(cache, "program-1"))
    original = env.compile

    def counting(source: str, name: str | None = None, filename: str | None = None) -> object:
        compiles.append(str(name))
        return original(source, name, filename)

    env.compile = counting  # type: ignore[method-assign,assignment]
    return env.get_template("hello.html").render(who="Gao")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "hello.html").write_text("Hello {{ who }}!")
    return tmp_path


def test_a_second_environment_runs_the_stored_code(project: Path, tmp_path: Path) -> None:
    compiles: list[str] = []
    assert _render(project, tmp_path / "cache", compiles) == "Hello Gao!"
    assert _render(project, tmp_path / "cache", compiles) == "Hello Gao!"
    assert compiles == ["hello.html"]


def test_an_edited_template_is_compiled_again(project: Path, tmp_path: Path) -> None:
    compiles: list[str] = []
    _render(project, tmp_path / "cache", compiles)
    (project / "templates" / "hello.html").write_text("Bonjour {{ who }} !")
    assert _render(project, tmp_path / "cache", compiles) == "Bonjour Gao !"
    assert compiles == ["hello.html", "hello.html"]


@pytest.mark.parametrize("damage", [b"", b"garbage", None])
def test_a_damaged_or_foreign_file_is_compiled_again(
    project: Path, tmp_path: Path, damage: bytes | None
) -> None:
    compiles: list[str] = []
    _render(project, tmp_path / "cache", compiles)
    (stored,) = (tmp_path / "cache").iterdir()
    if damage is None:  # a flipped byte in the compiled code: the checksum no longer matches
        data = bytearray(stored.read_bytes())
        data[-5] ^= 0xFF
        stored.write_bytes(bytes(data))
    else:
        stored.write_bytes(damage)
    assert _render(project, tmp_path / "cache", compiles) == "Hello Gao!"
    assert compiles == ["hello.html", "hello.html"]
    env = load_templates(project, CompiledTemplates(tmp_path / "cache", "program-2"))
    assert env.get_template("hello.html").render(who="Kidal") == "Hello Kidal!"


def test_without_a_cache_nothing_is_stored(project: Path) -> None:
    env = load_templates(project)
    assert env.bytecode_cache is None
    assert isinstance(env.get_template("hello.html"), jinja2.Template)
