"""The advisor's public data types: what goes in (history) and what comes out (Answer)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

Lang = Literal["id", "en"]


class Turn(BaseModel):
    """One earlier exchange of the conversation, oldest first in a history list."""

    question: str
    answer: str | None = None
    lang: Lang | None = None


class SourceRef(BaseModel):
    """A source an answer rests on: the knowledge document and the public page it cites."""

    id: str
    title: str
    url: str
    date: dt.date | None = None
    doc_title: str = ""


class Candidate(BaseModel):
    """One retrieved section, in rank order; the evaluation scores these."""

    doc_id: str
    chunk_id: str
    heading: str
    lang: Lang
    score: float
    dense: float = 0.0
    lexical: float = 0.0


class Timings(BaseModel):
    """Milliseconds spent in each stage of one ``Advisor.ask`` call."""

    embed_ms: float = 0.0
    search_ms: float = 0.0
    fusion_ms: float = 0.0
    compose_ms: float = 0.0
    total_ms: float = 0.0


class Answer(BaseModel):
    """The advisor's reply to one question, independent of how it is shown."""

    question: str
    text: str
    lang: Lang
    refused: bool
    confidence: float
    sources: list[SourceRef] = Field(default_factory=list)
    followups: list[str] = Field(default_factory=list)
    as_of: dt.date | None = None
    warnings: list[str] = Field(default_factory=list)
    mode: Literal["offline", "llm"] = "offline"
    standalone_question: str = ""
    topics: list[str] = Field(default_factory=list)
    candidates: list[Candidate] = Field(default_factory=list)
    timings: Timings = Field(default_factory=Timings)

    def render_plain(self, sources_label: str = "Sources", followups_label: str = "") -> str:
        """The answer as plain text for a terminal: body, sources, suggested follow-ups."""
        parts = [self.text]
        if self.sources:
            lines = [f"- {s.title}: {s.url}" for s in self.sources]
            parts.append(f"{sources_label}:\n" + "\n".join(lines))
        if self.followups and followups_label:
            parts.append(f"{followups_label}:\n" + "\n".join(f"- {q}" for q in self.followups))
        return "\n\n".join(parts)
