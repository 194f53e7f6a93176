"""Split a document's body along its headings: one chunk per section, with its heading path."""

from __future__ import annotations

import re
import unicodedata

from bot.knowledge.model import Chunk, Document

HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
INTRO = "intro"


def slugify(text: str) -> str:
    """A URL-style anchor for a heading, keeping only ASCII letters and digits."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "section"


def sections(body: str, first_line: int = 1) -> list[tuple[tuple[str, ...], str, int]]:
    """Return (heading path, text, line) per section; a level-1 heading is the title."""
    out: list[tuple[tuple[str, ...], str, int]] = []
    stack: list[tuple[int, str]] = []
    buf: list[str] = []
    start = first_line
    in_fence = False

    def flush() -> None:
        text = "\n".join(buf).strip()
        out.append((tuple(h for _, h in stack), text, start))

    for offset, line in enumerate(body.splitlines()):
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
        match = None if in_fence else HEADING.match(line)
        if match and len(match.group(1)) > 1:
            flush()
            level = len(match.group(1))
            stack = [(lvl, h) for lvl, h in stack if lvl < level]
            stack.append((level, match.group(2).strip()))
            buf, start = [], first_line + offset
        elif not match:
            buf.append(line)
    flush()
    return out


def chunk_document(doc: Document) -> list[Chunk]:
    """Chunks of one document; sections with no text (pure parents) produce none."""
    chunks: list[Chunk] = []
    seen: dict[str, int] = {}
    for path, text, line in sections(doc.body, doc.body_line):
        if not text:
            continue
        anchor = slugify(path[-1]) if path else INTRO
        seen[anchor] = seen.get(anchor, 0) + 1
        if seen[anchor] > 1:
            anchor = f"{anchor}-{seen[anchor]}"
        chunks.append(
            Chunk(
                id=f"{doc.id}#{anchor}",
                doc_id=doc.id,
                path=str(doc.path),
                lang=doc.meta.lang,
                title=doc.meta.title,
                heading_path=path,
                anchor=anchor,
                text=text,
                line=line,
                topics=tuple(doc.meta.topics),
            )
        )
    return chunks
