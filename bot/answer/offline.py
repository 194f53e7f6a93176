"""The offline answer: the best matching section, cleaned and trimmed. No text is invented."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.answer.models import Turn
from bot.retrieval.hybrid import Hit, Section

LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")
EMPHASIS = re.compile(r"(\*\*|__|\*|`)")
SENTENCE_END = re.compile(r"(?<=[.!?:])\s|\n")


@dataclass
class Composition:
    """What a composer produced: the text and the sections it rests on."""

    text: str
    sections: list[Section]
    mode: str = "offline"
    events: list[str] = field(default_factory=list)


def clean_markdown(text: str) -> str:
    """Markdown to plain text a chat app shows well: links keep their text, bullets become •."""
    text = LINK.sub(r"\1 (\2)", text)
    text = EMPHASIS.sub("", text)
    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith(("- ", "* ", "+ ")):
            stripped = "• " + stripped[2:]
        lines.append(stripped)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def trim(text: str, limit: int, ellipsis: str = "…") -> str:
    """At most ``limit`` characters, cut at a sentence or line end when possible."""
    if len(text) <= limit:
        return text
    head = text[: limit - len(ellipsis)]
    cuts = [m.start() for m in SENTENCE_END.finditer(head)]
    cut = cuts[-1] if cuts and cuts[-1] > limit // 2 else head.rfind(" ")
    return head[: cut if cut > 0 else len(head)].rstrip() + " " + ellipsis


class OfflineComposer:
    """Answers with the best section in the asker's language, verbatim from the knowledge."""

    mode = "offline"

    def __init__(self, limit: int = 900, ellipsis: str = "…") -> None:
        self.limit = limit
        self.ellipsis = ellipsis

    def compose(
        self, question: str, lang: str, hits: list[Hit], history: list[Turn]
    ) -> Composition:
        best = hits[0].section
        text = clean_markdown(best.text)
        return Composition(trim(text, self.limit, self.ellipsis), [best])
