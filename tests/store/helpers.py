"""Factories for store tests: exchanges written directly, and advisor answers."""

from __future__ import annotations

from bot.answer.models import Answer, SourceRef
from bot.store.records import ExchangeRecord
from bot.store.store import LogStore

SOURCE = {"id": "doc-id", "title": "T", "url": "https://x.org"}


def record(
    store: LogStore,
    question: str,
    *,
    user: int = 7,
    refused: bool = False,
    confidence: float = 0.8,
    lang: str = "id",
    topics: list[str] | None = None,
    answer: str | None = None,
) -> str:
    """Write one exchange straight into the store; returns the message id."""
    return store.record_exchange(
        ExchangeRecord(
            chat_id=user,
            user_id=user,
            question=question,
            answer=f"answer to {question}" if answer is None else answer,
            lang=lang,
            sources=[SOURCE],
            topics=["tax"] if topics is None else topics,
            confidence=confidence,
            refused=refused,
            mode="offline",
            latency_ms=12.5,
        )
    )


def make_answer(question: str, *, refused: bool = False, confidence: float = 0.8) -> Answer:
    """An advisor answer as the bot would get it."""
    return Answer(
        question=question,
        text="" if refused else f"Jawaban untuk: {question}",
        lang="id",
        refused=refused,
        confidence=confidence,
        sources=[]
        if refused
        else [SourceRef(id="tax-id", title="PMK 37", url="https://pajak.go.id/pmk37")],
        topics=[] if refused else ["tax"],
    )
