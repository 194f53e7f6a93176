"""Build small knowledge folders for tests."""

from __future__ import annotations

import shutil
from pathlib import Path
from textwrap import dedent

from bot.settings import PROJECT_ROOT


def front(doc_id: str, lang: str = "en", translation: str | None = None, **extra: str) -> str:
    lines = [
        "---",
        f"id: {doc_id}",
        f"title: Title of {doc_id}",
        f"lang: {lang}",
        *([f"translation: {translation}"] if translation else []),
        "topics: [regulation]",
        "sources:",
        "  - title: A source",
        "    url: https://example.org/source",
        "    date: 2023-10-04",
        "updated: 2026-11-25",
        "review_by: 2027-05-25",
        *(f"{k}: {v}" for k, v in extra.items()),
        "---",
    ]
    return "\n".join(lines) + "\n"


def write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dedent(text) if not text.startswith("---") else text, encoding="utf-8")
    return path


def new_folder(root: Path) -> Path:
    """An empty knowledge folder with the real topic vocabulary."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(PROJECT_ROOT / "knowledge" / "topics.yaml", root / "topics.yaml")
    return root
