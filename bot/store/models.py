"""SQLAlchemy models of the logs store. Migrations in ``migrations/`` mirror them."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def new_id() -> str:
    return uuid.uuid4().hex


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class Conversation(Base):
    """One seller in one chat; ids are pseudonyms, never raw Telegram ids."""

    __tablename__ = "conversations"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    chat_key: Mapped[str] = mapped_column(String(32), index=True)
    user_key: Mapped[str] = mapped_column(String(32), index=True)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)
    last_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now, index=True)
    messages: Mapped[list[Message]] = relationship(
        back_populates="conversation", order_by="Message.created_at"
    )
    handoffs: Mapped[list[Handoff]] = relationship(back_populates="conversation")


class Message(Base):
    """A question and the advisor's answer, redacted."""

    __tablename__ = "messages"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=now, index=True
    )
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    lang: Mapped[str] = mapped_column(String(2))
    sources: Mapped[list[Any]] = mapped_column(JSON, default=list)
    topics: Mapped[list[Any]] = mapped_column(JSON, default=list)
    confidence: Mapped[float] = mapped_column(Float)
    refused: Mapped[bool] = mapped_column(Boolean, index=True)
    mode: Mapped[str] = mapped_column(String(16))
    latency_ms: Mapped[float] = mapped_column(Float)
    conversation: Mapped[Conversation] = relationship(back_populates="messages")
    feedback: Mapped[list[Feedback]] = relationship(back_populates="message")


class Feedback(Base):
    """👍 (+1) / 👎 (-1) from the seller, or an operator's verdict (``gap``, ``fine``)."""

    __tablename__ = "feedback"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    message_id: Mapped[str] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)
    value: Mapped[int] = mapped_column(BigInteger)
    source: Mapped[str] = mapped_column(String(16), default="seller")
    comment: Mapped[str | None] = mapped_column(Text, nullable=True)
    message: Mapped[Message] = relationship(back_populates="feedback")


class Handoff(Base):
    """A seller asked for a person. The raw chat id is kept, to deliver replies, while open."""

    __tablename__ = "handoffs"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    chat_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    status: Mapped[str] = mapped_column(String(8), default="open", index=True)
    opened_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    conversation: Mapped[Conversation] = relationship(back_populates="handoffs")
    notes: Mapped[list[HandoffNote]] = relationship(
        back_populates="handoff", order_by="HandoffNote.created_at"
    )


class HandoffNote(Base):
    """A message exchanged during a handoff (``seller`` or ``operator``), redacted."""

    __tablename__ = "handoff_notes"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    handoff_id: Mapped[str] = mapped_column(
        ForeignKey("handoffs.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)
    author: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    handoff: Mapped[Handoff] = relationship(back_populates="notes")


class StateTurn(Base):
    """Conversation history for follow-ups, shared by bot replicas."""

    __tablename__ = "state_turns"
    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True
    )
    chat_key: Mapped[str] = mapped_column(String(32), index=True)
    user_key: Mapped[str] = mapped_column(String(32), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str | None] = mapped_column(Text, nullable=True)
    lang: Mapped[str | None] = mapped_column(String(2), nullable=True)


class UserPref(Base):
    """A seller's chosen language."""

    __tablename__ = "user_prefs"
    user_key: Mapped[str] = mapped_column(String(32), primary_key=True)
    lang: Mapped[str] = mapped_column(String(2))


class RateCounter(Base):
    """Messages of one seller in one fixed time window, counted by every bot replica."""

    __tablename__ = "rate_counters"
    user_key: Mapped[str] = mapped_column(String(32), primary_key=True)
    window_start: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    hits: Mapped[int] = mapped_column(Integer, default=0)
