"""Pydantic models for knowledge documents, their front matter and their chunks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


class KnowledgeError(Exception):
    """The knowledge folder cannot be used (e.g. it does not exist)."""


class Source(BaseModel):
    """A public source backing a document's facts."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1)
    url: str
    date: dt.date | None = None

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")) or " " in value or len(value) < 12:
            raise ValueError("must be an http(s) URL")
        return value


class FrontMatter(BaseModel):
    """The YAML header of a knowledge document."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=SLUG)
    title: str = Field(min_length=1)
    lang: Literal["id", "en"]
    translation: str | None = Field(default=None, pattern=SLUG)
    topics: list[str] = Field(min_length=1)
    sources: list[Source] = Field(min_length=1)
    updated: dt.date
    review_by: dt.date
    questions: list[str] = Field(default_factory=list)
    superseded_by: str | None = Field(default=None, pattern=SLUG)
    draft: bool = False


@dataclass(frozen=True)
class Issue:
    """One problem found in the knowledge folder, located as precisely as possible."""

    path: Path
    line: int | None
    field: str
    message: str
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.field}: {self.message}"


@dataclass
class Document:
    """A parsed, valid document: front matter plus markdown body."""

    meta: FrontMatter
    body: str
    path: Path
    body_line: int

    @property
    def id(self) -> str:
        return self.meta.id


@dataclass(frozen=True)
class Chunk:
    """One section of a document, the unit that is embedded, retrieved and shown."""

    id: str
    doc_id: str
    path: str
    lang: str
    title: str
    heading_path: tuple[str, ...]
    anchor: str
    text: str
    line: int
    topics: tuple[str, ...] = field(default_factory=tuple)

    @property
    def heading(self) -> str:
        return " > ".join(self.heading_path) if self.heading_path else self.title

    def embedding_text(self) -> str:
        """Title and heading path in front of the text, so a section keeps its context."""
        return f"{self.title}. {self.heading}.\n{self.text}"
