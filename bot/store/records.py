"""Pydantic models at the store's boundary: what is written, filtered and read."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

from bot.store.models import new_id


class ExchangeRecord(BaseModel):
    """One answered question, as the bot hands it to the store (before redaction)."""

    id: str = Field(default_factory=new_id)
    chat_id: int
    user_id: int
    question: str
    answer: str
    lang: str
    sources: list[dict[str, Any]] = Field(default_factory=list)
    topics: list[str] = Field(default_factory=list)
    confidence: float
    refused: bool
    mode: str
    latency_ms: float
    created_at: dt.datetime = Field(default_factory=lambda: dt.datetime.now(dt.UTC))


class MessageFilter(BaseModel):
    """Filters of the conversation list, the exports and ``advisor logs list``."""

    q: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    lang: str | None = None
    refused: bool | None = None
    low_confidence: bool = False
    thumbs_down: bool = False
    handoff_open: bool = False


class MessageRow(BaseModel):
    """One stored (redacted) exchange as the review page, the API and the exports show it."""

    id: str
    conversation_id: str
    created_at: dt.datetime
    question: str
    answer: str
    lang: str
    sources: list[dict[str, Any]]
    topics: list[str]
    confidence: float
    refused: bool
    mode: str
    latency_ms: float
    feedback: int = 0


class Dashboard(BaseModel):
    """The dashboard's figures over the last ``days`` days."""

    days: int = 30
    questions_per_day: list[tuple[str, int]]
    total: int
    refusal_rate: float
    thumbs_up: int
    thumbs_down: int
    positive_share: float | None = None
    top_topics: list[tuple[str, int]]
    median_latency_ms: float
    open_handoffs: int
