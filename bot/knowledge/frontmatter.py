"""Split a markdown file into YAML front matter and body, mapping errors to line numbers."""

from __future__ import annotations

import re
from typing import Any

import yaml

FENCE = "---"


class FrontMatterError(ValueError):
    """The front matter is missing or is not valid YAML."""

    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line


def split(text: str) -> tuple[str, str, int]:
    """Return (yaml text, body, line number where the body starts), 1-based lines."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != FENCE:
        raise FrontMatterError(1, "file must start with '---' and YAML front matter")
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() == FENCE:
            return "\n".join(lines[1 : number - 1]), "\n".join(lines[number:]), number + 1
    raise FrontMatterError(1, "front matter is not closed by a '---' line")


def parse_yaml(yaml_text: str) -> dict[str, Any]:
    """Parse the front matter; line numbers in errors count from the file's first line."""
    try:
        data = yaml.safe_load(yaml_text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise FrontMatterError(line, f"invalid YAML: {problem}") from exc
    if data is None:
        raise FrontMatterError(2, "front matter is empty")
    if not isinstance(data, dict):
        raise FrontMatterError(2, "front matter must be a mapping of fields")
    return data


def locate(yaml_text: str, loc: tuple[int | str, ...]) -> int | None:
    """Best-effort line (in the file) of a field path such as ('sources', 1, 'url')."""
    lines = yaml_text.splitlines()
    if not loc or not isinstance(loc[0], str):
        return None
    key = re.compile(rf"^{re.escape(loc[0])}\s*:")
    start = next((i for i, line in enumerate(lines) if key.match(line)), None)
    if start is None:
        return None
    found = start
    rest = loc[1:]
    if rest and isinstance(rest[0], int):
        items = [i for i in range(start + 1, len(lines)) if lines[i].lstrip().startswith("- ")]
        items = [i for i in items if not _left_block(lines, start, i)]
        if rest[0] < len(items):
            found = items[rest[0]]
            rest = rest[1:]
    if rest and isinstance(rest[0], str):
        sub = re.compile(rf"^\s*(?:-\s+)?{re.escape(rest[0])}\s*:")
        for i in range(found, len(lines)):
            if sub.match(lines[i]):
                return i + 2
            if i > found and not lines[i].startswith((" ", "-", "\t")):
                break
    return found + 2


def _left_block(lines: list[str], start: int, index: int) -> bool:
    """True when a top-level key appears between the block's key and ``index``."""
    return any(
        lines[j] and not lines[j].startswith((" ", "-", "\t", "#"))
        for j in range(start + 1, index)
    )
