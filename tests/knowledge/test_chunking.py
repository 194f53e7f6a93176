"""Chunks follow headings and keep their heading path."""

from __future__ import annotations

from pathlib import Path

from bot.knowledge import load_knowledge
from bot.knowledge.chunking import slugify
from tests.knowledge.helpers import front, new_folder, write

BODY = """# Title

Intro paragraph.

## Opening a shop

How to open.

### Documents needed

KTP and NIB.

## Opening a shop

A second section with the same heading.

```
## not a heading inside code
```
"""


def test_sections_follow_headings(tmp_path: Path) -> None:
    root = new_folder(tmp_path / "k")
    write(root, "en/doc.md", front("doc-en") + BODY)
    chunks = load_knowledge(root).chunks()
    assert [c.anchor for c in chunks] == [
        "intro",
        "opening-a-shop",
        "documents-needed",
        "opening-a-shop-2",
    ]
    docs = chunks[2]
    assert docs.heading_path == ("Opening a shop", "Documents needed")
    assert docs.id == "doc-en#documents-needed"
    assert docs.text == "KTP and NIB."
    assert docs.embedding_text().startswith("Title of doc-en. Opening a shop > Documents needed.")
    assert "not a heading inside code" in chunks[3].text
    assert chunks[1].line == 17  # line of the heading in the file


def test_slugify_keeps_ascii_and_digits() -> None:
    assert (
        slugify("Pajak 0,5% (PMK 37/2025) — cara hitung?") == "pajak-0-5-pmk-37-2025-cara-hitung"
    )
    assert slugify("✨") == "section"
