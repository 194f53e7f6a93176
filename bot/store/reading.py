"""The read side of the logs store: filtered messages, transcripts and the dashboard."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, selectinload

from bot.store.models import Conversation, Feedback, Handoff, Message, now
from bot.store.records import Dashboard, MessageFilter, MessageRow


class LogReader:
    """Queries for the review page and the CLI; ``LogStore`` adds the writes."""

    def __init__(self, engine: Engine, key: str, low_confidence: float = 0.4) -> None:
        self.engine = engine
        self.key = key
        self.low_confidence = low_confidence

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction, committed on success; objects stay usable after."""
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    def _filtered(self, f: MessageFilter) -> Select[Any]:
        query = select(Message)
        if f.q:
            like = f"%{f.q}%"
            query = query.where(or_(Message.question.ilike(like), Message.answer.ilike(like)))
        if f.date_from:
            query = query.where(Message.created_at >= _midnight(f.date_from))
        if f.date_to:
            query = query.where(Message.created_at < _midnight(f.date_to + dt.timedelta(days=1)))
        if f.lang:
            query = query.where(Message.lang == f.lang)
        if f.refused is not None:
            query = query.where(Message.refused == f.refused)
        if f.low_confidence:
            query = query.where(Message.confidence < self.low_confidence)
        if f.thumbs_down:
            down = select(Feedback.message_id).where(Feedback.value < 0)
            query = query.where(Message.id.in_(down))
        if f.handoff_open:
            waiting = select(Handoff.conversation_id).where(Handoff.status == "open")
            query = query.where(Message.conversation_id.in_(waiting))
        return query

    def messages(self, f: MessageFilter, limit: int = 200, offset: int = 0) -> list[MessageRow]:
        """Messages matching the filter, newest first."""
        query = self._filtered(f).order_by(Message.created_at.desc(), Message.id)
        with self.session() as session:
            rows = session.scalars(query.limit(limit).offset(offset)).all()
            votes = self._votes(session, [r.id for r in rows])
            return [_row(r, votes.get(r.id, 0)) for r in rows]

    def _votes(self, session: Session, ids: list[str]) -> dict[str, int]:
        """The seller's net vote per message (operators' verdicts are not votes)."""
        if not ids:
            return {}
        pairs = session.execute(
            select(Feedback.message_id, func.sum(Feedback.value))
            .where(Feedback.message_id.in_(ids), Feedback.source == "seller")
            .group_by(Feedback.message_id)
        ).all()
        return {m: int(v) for m, v in pairs}

    def conversation_ids(self, prefix: str, limit: int = 2) -> list[str]:
        """Conversation ids starting with ``prefix`` (the CLI accepts short ids)."""
        like = prefix.replace("%", "").replace("_", "") + "%"
        with self.session() as session:
            found = session.scalars(
                select(Conversation.id).where(Conversation.id.like(like)).limit(limit)
            )
            return list(found)

    def conversation(
        self, conversation_id: str
    ) -> tuple[Conversation, list[MessageRow], list[Handoff]] | None:
        """A conversation with its messages (oldest first) and handoffs with their notes."""
        with self.session() as session:
            conv = session.get(
                Conversation,
                conversation_id,
                options=[selectinload(Conversation.handoffs).selectinload(Handoff.notes)],
            )
            if conv is None:
                return None
            votes = self._votes(session, [m.id for m in conv.messages])
            rows = [_row(m, votes.get(m.id, 0)) for m in conv.messages]
            return conv, rows, list(conv.handoffs)

    def dashboard(self, days: int = 30) -> Dashboard:
        """Counts over the last ``days`` days."""
        since = now() - dt.timedelta(days=days)
        with self.session() as session:
            rows = session.execute(
                select(
                    Message.created_at, Message.refused, Message.topics, Message.latency_ms
                ).where(Message.created_at >= since)
            ).all()
            votes = session.execute(
                select(Feedback.value, func.count())
                .join(Message, Message.id == Feedback.message_id)
                .where(Feedback.source == "seller", Message.created_at >= since)
                .group_by(Feedback.value)
            ).all()
            handoffs = session.scalar(
                select(func.count()).select_from(Handoff).where(Handoff.status == "open")
            )
        counts = {int(v): int(c) for v, c in votes}
        up, down = counts.get(1, 0), counts.get(-1, 0)
        latencies = [r.latency_ms for r in rows]
        return Dashboard(
            days=days,
            questions_per_day=sorted(Counter(_day(r.created_at) for r in rows).items()),
            total=len(rows),
            refusal_rate=round(sum(r.refused for r in rows) / len(rows), 4) if rows else 0.0,
            thumbs_up=up,
            thumbs_down=down,
            positive_share=round(up / (up + down), 4) if up + down else None,
            top_topics=Counter(t for r in rows for t in (r.topics or [])).most_common(8),
            median_latency_ms=round(statistics.median(latencies), 1) if latencies else 0.0,
            open_handoffs=int(handoffs or 0),
        )


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), dt.UTC)


def _day(stamp: dt.datetime) -> str:
    """The UTC day of a timestamp (SQLite hands back naive datetimes, stored as UTC)."""
    aware = stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.UTC)
    return aware.astimezone(dt.UTC).date().isoformat()


def _row(m: Message, feedback: int) -> MessageRow:
    return MessageRow(
        id=m.id,
        conversation_id=m.conversation_id,
        created_at=m.created_at if m.created_at.tzinfo else m.created_at.replace(tzinfo=dt.UTC),
        question=m.question,
        answer=m.answer,
        lang=m.lang,
        sources=list(m.sources or []),
        topics=list(m.topics or []),
        confidence=m.confidence,
        refused=m.refused,
        mode=m.mode,
        latency_ms=m.latency_ms,
        feedback=feedback,
    )
