"""Safe YAML mappings that remember the line of each top-level key, for error messages.

Front matter comes from outside the newsroom, so the YAML is hostile until checked: only PyYAML's
safe loader is used (no Python objects), and the composed node graph is measured before any value
is built, so aliases nested to expand into billions of values (a "YAML bomb") or aliases that
refer to themselves are refused at once instead of eating the machine's memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from sahelbrief.errors import SahelbriefError

# Far more values than any front matter or config has, far fewer than a YAML bomb expands to.
MAX_VALUES = 10_000
# libyaml's parser when PyYAML was built with it (its wheels are), with PyYAML's safe
# constructor either way: the same values, marks and errors, at a fraction of the time (front
# matter was 16% of a cold build with the pure-Python parser).
_TOO_DEEP = "not valid YAML: nested too deeply; use at most a few levels of lists and mappings"
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class YamlMapping:
    values: dict[str, Any]
    lines: dict[str, int]

    def line(self, key: str) -> int | None:
        return self.lines.get(key)


def load_mapping(text: str, path: str, first_line: int = 1) -> YamlMapping:
    """Parse `text` with PyYAML's safe loader; `first_line` is the file line `text` starts on."""
    try:
        # The pure-Python reader scans for control characters at once, libyaml's as it parses.
        loader = _SafeLoader(text)
    except yaml.reader.ReaderError as exc:
        raise _bad_character(exc, text, path, first_line) from exc
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlMapping({}, {})
        if not isinstance(node, yaml.MappingNode):
            raise SahelbriefError(
                "must be a mapping of keys to values (key: value lines)",
                path,
                node.start_mark.line + first_line,
            )
        _check_size(node, path, first_line)
        values, lines = _construct(loader, node, path, first_line)
    except RecursionError as exc:
        raise SahelbriefError(_TOO_DEEP, path, first_line) from exc
    except yaml.reader.ReaderError as exc:
        raise _bad_character(exc, text, path, first_line) from exc
    except yaml.MarkedYAMLError as exc:
        if "nesting depth" in str(exc.problem):  # libyaml's limit, before Python's stack's
            line = first_line + (exc.problem_mark.line if exc.problem_mark else 0)
            raise SahelbriefError(_TOO_DEEP, path, line) from exc
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and mark and mark.index >= len(text.rstrip()):
            mark = exc.context_mark  # "[unclosed" is reported where it opens, not at the end
        line = mark.line + first_line if mark else first_line
        raise SahelbriefError(f"not valid YAML: {exc.problem or exc.context}", path, line) from exc
    except yaml.YAMLError as exc:
        raise SahelbriefError(f"not valid YAML: {exc}", path, first_line) from exc
    finally:
        loader.dispose()
    return YamlMapping(values, lines)


def _bad_character(
    error: yaml.reader.ReaderError, text: str, path: str, first_line: int
) -> SahelbriefError:
    line = first_line + text.count("\n", 0, max(error.position, 0))
    return SahelbriefError(
        f"not valid YAML: the character U+{error.character:04X} is not allowed; remove it",
        path,
        line,
    )


def _construct(
    loader: yaml.SafeLoader, node: yaml.MappingNode, path: str, first_line: int
) -> tuple[dict[str, Any], dict[str, int]]:
    """Build the mapping key by key, so a value that cannot be built is reported on its line."""
    loader.flatten_mapping(node)  # "<<" merge keys
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + first_line
        try:
            key = str(loader.construct_object(key_node, deep=True))
            value = loader.construct_object(value_node, deep=True)
        except (ValueError, TypeError, OverflowError) as exc:
            # "date: 2026-13-45" looks like a timestamp to the resolver, then date() refuses it.
            name = key_node.value if isinstance(key_node, yaml.ScalarNode) else "a key"
            raise SahelbriefError(f"{name}: not a valid value: {exc}", path, line) from exc
        if key in lines:
            raise SahelbriefError(
                f"has the key {key!r} twice (lines {lines[key]} and {line}); keep one", path, line
            )
        lines[key] = line
        values[key] = value
        # Keys of a nested section ("dedup: {scope: ...}") as "dedup.scope", for messages.
        if isinstance(value_node, yaml.MappingNode):
            for sub, _ in value_node.value:
                if isinstance(sub, yaml.ScalarNode):
                    lines.setdefault(f"{key}.{sub.value}", sub.start_mark.line + first_line)
    return values, lines


def _check_size(root: yaml.Node, path: str, first_line: int) -> None:
    """Count the values `root` expands to, following aliases, without building any of them;
    refuse a graph that is too big or that contains itself. Iterative, so depth costs no stack."""
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        children = _children(node)
        if finished:
            on_path.discard(id(node))
            sizes[id(node)] = 1 + sum(sizes[id(child)] for child in children)
            if sizes[id(node)] > MAX_VALUES:
                raise SahelbriefError(
                    f"expands to more than {MAX_VALUES} values (aliases nested inside aliases, "
                    'a "YAML bomb"); write the values out instead of using aliases',
                    path,
                    node.start_mark.line + first_line,
                )
            continue
        if id(node) in sizes:
            continue
        on_path.add(id(node))
        stack.append((node, True))
        for child in children:
            if id(child) in on_path:
                raise SahelbriefError(
                    "contains an alias that refers to the value holding it; write the values out",
                    path,
                    child.start_mark.line + first_line,
                )
            if id(child) not in sizes:
                stack.append((child, False))


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []
