"""The offline answer: the best matching section, cleaned and trimmed. No text is invented."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.answer.models import Turn
from bot.retrieval.hybrid import Hit, Section

LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")
EMPHASIS = re.compile(r"(\*\*|__|\*|`)")
SENTENCE_END = re.compile(r"(?<=[.!?:])\s|\n")
WORD = re.compile(r"\w+")


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
    """Answers with the best section in the asker's language, verbatim from the knowledge.

    When the next-best hit is another section of the same document and scores almost as well
    (a question such as "what is an NIB and how do I get one?" spans two sections, and a
    document's short introduction often ties with its first how-to), it follows under its own
    heading, as long as both fit the length limit and it does not mostly repeat the first.
    """

    mode = "offline"

    def __init__(self, limit: int = 900, ellipsis: str = "…", margin: float = 0.06) -> None:
        self.limit = limit
        self.ellipsis = ellipsis
        self.margin = margin

    def compose(
        self, question: str, lang: str, hits: list[Hit], history: list[Turn]
    ) -> Composition:
        best = hits[0].section
        text = clean_markdown(best.text)
        companion = self._companion(hits)
        if companion is not None:
            both = f"{text}\n\n{companion.heading}\n{clean_markdown(companion.text)}"
            if len(both) <= self.limit:
                return Composition(both, [best, companion])
        return Composition(trim(text, self.limit, self.ellipsis), [best])

    def _companion(self, hits: list[Hit]) -> Section | None:
        """The runner-up, when it is another section of the best hit's document, nearly as good."""
        if len(hits) < 2:
            return None
        top, runner = hits[0], hits[1]
        same_doc = runner.section.doc_id == top.section.doc_id
        if not same_doc or runner.section.id == top.section.id:
            return None
        if runner.score < top.score - self.margin:
            return None
        return None if _repeats(runner.section.text, top.section.text) else runner.section


def _repeats(text: str, shown: str, share: float = 0.5) -> bool:
    """Whether most of ``text``'s words are already in ``shown``."""
    words = set(WORD.findall(text.lower()))
    return len(words & set(WORD.findall(shown.lower()))) >= share * max(len(words), 1)
