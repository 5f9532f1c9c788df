"""Safe YAML mappings that remember the line of each top-level key, for error messages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from sahelbrief.errors import SahelbriefError


@dataclass(frozen=True)
class YamlMapping:
    values: dict[str, Any]
    lines: dict[str, int]

    def line(self, key: str) -> int | None:
        return self.lines.get(key)


def load_mapping(text: str, path: str, first_line: int = 1) -> YamlMapping:
    """Parse `text` with PyYAML's safe loader; `first_line` is the file line `text` starts on."""
    loader = yaml.SafeLoader(text)
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
        lines = {
            str(key.value): key.start_mark.line + first_line
            for key, _ in node.value
            if isinstance(key, yaml.ScalarNode)
        }
        # Keys of a nested section ("dedup: {scope: ...}") as "dedup.scope", for messages.
        lines.update(
            {
                f"{key.value}.{sub.value}": sub.start_mark.line + first_line
                for key, value in node.value
                if isinstance(key, yaml.ScalarNode) and isinstance(value, yaml.MappingNode)
                for sub, _ in value.value
                if isinstance(sub, yaml.ScalarNode)
            }
        )
        values = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark else first_line
        raise SahelbriefError(f"not valid YAML: {exc.problem or exc.context}", path, line) from exc
    except yaml.YAMLError as exc:
        raise SahelbriefError(f"not valid YAML: {exc}", path, first_line) from exc
    finally:
        loader.dispose()
    return YamlMapping({str(k): v for k, v in values.items()}, lines)
