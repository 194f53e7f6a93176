"""User-facing text and LLM prompts, loaded from ``prompts/<lang>/`` files.

``*.yaml`` files hold named templates (``answer.yaml`` -> keys ``answer.refusal`` ...); each
``*.md`` file is one template named after its stem (``llm_system.md`` -> ``llm_system``).
Templates use ``str.format`` fields.
"""

from __future__ import annotations

import string
from pathlib import Path
from typing import Any

import yaml

LANGS = ("id", "en")


class PromptError(KeyError):
    """A template is missing or was given the wrong variables."""


class PromptBook:
    """All templates of all languages, read once from a folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._templates: dict[str, dict[str, Any]] = {lang: {} for lang in LANGS}
        for lang in LANGS:
            folder = root / lang
            if not folder.is_dir():
                raise PromptError(f"prompts folder {folder} is missing")
            for path in sorted(folder.iterdir()):
                self._load(lang, path)

    def _load(self, lang: str, path: Path) -> None:
        if path.suffix == ".md":
            self._templates[lang][path.stem] = path.read_text(encoding="utf-8")
        elif path.suffix in {".yaml", ".yml"}:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            for key, value in data.items():
                self._templates[lang][f"{path.stem}.{key}"] = value

    def keys(self, lang: str) -> set[str]:
        return set(self._templates[lang])

    def raw(self, lang: str, key: str) -> Any:
        """The template as stored (a string, or a list/mapping for structured entries)."""
        try:
            return self._templates[lang][key]
        except KeyError as exc:
            raise PromptError(f"no template {key!r} for language {lang!r}") from exc

    def text(self, lang: str, key: str, **values: Any) -> str:
        """The template filled in; every field must be given and nothing extra."""
        template = self.raw(lang, key)
        if not isinstance(template, str):
            raise PromptError(f"template {key!r} is not text")
        expected = fields(template)
        if expected != set(values):
            raise PromptError(f"{key!r} needs {sorted(expected)}, got {sorted(values)}")
        return template.format(**values)

    def month_date(self, lang: str, value: Any) -> str:
        """A date written the way the language writes it (``25 November 2026``)."""
        months = self.raw(lang, "common.months")
        return f"{value.day} {months[value.month - 1]} {value.year}"


def fields(template: str) -> set[str]:
    """The ``str.format`` field names used in a template."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
