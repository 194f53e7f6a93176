"""The logs store: a small synchronous repository over SQLAlchemy (callers use threads)."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, delete, event, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, selectinload

from bot.store.models import (
    Conversation,
    Feedback,
    Handoff,
    HandoffNote,
    Message,
    RateCounter,
    StateTurn,
    UserPref,
    now,
)
from bot.store.privacy import pseudonym, redact
from bot.store.reading import LogReader
from bot.store.records import ExchangeRecord

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
MIGRATION_LOCK = 5_318_008  # any constant shared by every replica running migrations


def make_engine(url: str) -> Engine:
    """An engine for the URL; SQLite files get their folder created, WAL and foreign keys."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 5})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(
        url, pool_pre_ping=True, pool_size=5, max_overflow=5, connect_args={"connect_timeout": 3}
    )


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


class LogStore(LogReader):
    """Conversations, answers, feedback, handoffs, shared conversation state and rate limits."""

    def migrate(self) -> None:
        """Bring the schema to the latest migration (replicas on PostgreSQL take turns)."""
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with self.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})"))
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    def keys(self, chat_id: int, user_id: int) -> tuple[str, str]:
        """The pseudonyms of a chat and a user."""
        return pseudonym(self.key, chat_id), pseudonym(self.key, user_id)

    def _conversation(self, session: Session, chat_id: int, user_id: int) -> Conversation:
        chat_key, user_key = self.keys(chat_id, user_id)
        found = session.scalars(
            select(Conversation).where(
                Conversation.chat_key == chat_key, Conversation.user_key == user_key
            )
        ).first()
        if found is None:
            found = Conversation(chat_key=chat_key, user_key=user_key)
            session.add(found)
            session.flush()
        found.last_at = now()
        return found

    # writing -----------------------------------------------------------------------------
    def record_exchange(self, rec: ExchangeRecord) -> str:
        """Store one answered question (redacted); returns the message id. Idempotent."""
        with self.session() as session:
            if session.get(Message, rec.id) is not None:
                return rec.id
            conv = self._conversation(session, rec.chat_id, rec.user_id)
            session.add(
                Message(
                    id=rec.id,
                    conversation_id=conv.id,
                    created_at=rec.created_at,
                    question=redact(rec.question),
                    answer=redact(rec.answer),
                    lang=rec.lang,
                    sources=rec.sources,
                    topics=rec.topics,
                    confidence=rec.confidence,
                    refused=rec.refused,
                    mode=rec.mode,
                    latency_ms=rec.latency_ms,
                )
            )
        return rec.id

    def record_feedback(
        self, message_id: str, value: int, source: str = "seller", comment: str | None = None
    ) -> bool:
        """👍 (+1) / 👎 (-1) from the seller or an operator's verdict; False if no such id."""
        with self.session() as session:
            if session.get(Message, message_id) is None:
                return False
            session.add(
                Feedback(
                    message_id=message_id,
                    value=max(-1, min(1, value)),
                    source=source,
                    comment=redact(comment) if comment else None,
                )
            )
            return True

    def exchange(self, message_id: str) -> tuple[str, str] | None:
        """The (redacted) question and answer of one logged message, for operators' review."""
        with self.session() as session:
            found = session.get(Message, message_id)
            return None if found is None else (found.question, found.answer)

    def open_handoff(self, chat_id: int, user_id: int) -> str:
        """The open handoff of this seller, opened now if there is none."""
        with self.session() as session:
            conv = self._conversation(session, chat_id, user_id)
            current = session.scalars(
                select(Handoff).where(Handoff.conversation_id == conv.id, Handoff.status == "open")
            ).first()
            if current is None:
                current = Handoff(conversation_id=conv.id, chat_id=chat_id)
                session.add(current)
                session.flush()
            return current.id

    def open_handoff_of(self, chat_id: int) -> Handoff | None:
        """The open handoff of a chat, with its notes loaded."""
        with self.session() as session:
            query = select(Handoff).options(selectinload(Handoff.notes))
            return session.scalars(
                query.where(Handoff.chat_id == chat_id, Handoff.status == "open")
            ).first()

    def handoff(self, handoff_id: str) -> Handoff | None:
        """A handoff by id, with its notes loaded."""
        with self.session() as session:
            return session.get(Handoff, handoff_id, options=[selectinload(Handoff.notes)])

    def close_handoff(self, handoff_id: str) -> None:
        """Close a handoff and forget the raw chat id it needed for replies."""
        with self.session() as session:
            found = session.get(Handoff, handoff_id)
            if found is not None and found.status == "open":
                found.status, found.closed_at, found.chat_id = "closed", now(), None

    def add_note(self, handoff_id: str, author: str, text: str) -> None:
        """A message of the seller or the operator during a handoff (redacted)."""
        with self.session() as session:
            session.add(HandoffNote(handoff_id=handoff_id, author=author, text=redact(text)))

    def purge(self, older_than: dt.timedelta) -> int:
        """Delete conversations (and everything in them) idle for longer than ``older_than``."""
        cutoff = now() - older_than
        with self.session() as session:
            old = select(Conversation.id).where(Conversation.last_at < cutoff)
            ids = list(session.scalars(old))
            messages = select(Message.id).where(Message.conversation_id.in_(ids))
            handoffs = select(Handoff.id).where(Handoff.conversation_id.in_(ids))
            session.execute(delete(Feedback).where(Feedback.message_id.in_(messages)))
            session.execute(delete(HandoffNote).where(HandoffNote.handoff_id.in_(handoffs)))
            session.execute(delete(Message).where(Message.conversation_id.in_(ids)))
            session.execute(delete(Handoff).where(Handoff.conversation_id.in_(ids)))
            session.execute(delete(Conversation).where(Conversation.id.in_(ids)))
            session.execute(delete(StateTurn).where(StateTurn.created_at < cutoff))
            session.execute(
                delete(RateCounter).where(RateCounter.window_start < int(cutoff.timestamp()))
            )
            return len(ids)

    # shared rate limit -------------------------------------------------------------------
    def count_hit(self, user_id: int, window_seconds: float, at: float | None = None) -> int:
        """Count one message of ``user_id`` in the current fixed window; returns the count.

        One atomic upsert, so replicas sharing the database count together.
        """
        user_key = pseudonym(self.key, user_id)
        moment = time.time() if at is None else at
        window = int(moment // window_seconds * window_seconds)
        insert = pg_insert if self.engine.dialect.name == "postgresql" else sqlite_insert
        upsert = (
            insert(RateCounter)
            .values(user_key=user_key, window_start=window, hits=1)
            .on_conflict_do_update(
                index_elements=["user_key", "window_start"], set_={"hits": RateCounter.hits + 1}
            )
            .returning(RateCounter.hits)
        )
        with self.session() as session:
            hits = int(session.execute(upsert).scalar_one())
            if hits == 1:
                session.execute(
                    delete(RateCounter).where(
                        RateCounter.user_key == user_key, RateCounter.window_start < window
                    )
                )
            return hits

    # conversation state ----------------------------------------------------------------
    def turns(self, chat_id: int, user_id: int, limit: int) -> list[StateTurn]:
        """The last ``limit`` turns, oldest first."""
        chat_key, user_key = self.keys(chat_id, user_id)
        with self.session() as session:
            rows = session.scalars(
                select(StateTurn)
                .where(StateTurn.chat_key == chat_key, StateTurn.user_key == user_key)
                .order_by(StateTurn.id.desc())
                .limit(limit)
            ).all()
            return list(reversed(rows))

    def add_turn(
        self,
        chat_id: int,
        user_id: int,
        question: str,
        answer: str | None,
        lang: str | None,
        keep: int,
    ) -> None:
        """Append a turn (redacted) and keep only the last ``keep`` of this seller."""
        chat_key, user_key = self.keys(chat_id, user_id)
        mine = (StateTurn.chat_key == chat_key, StateTurn.user_key == user_key)
        with self.session() as session:
            session.add(
                StateTurn(
                    chat_key=chat_key,
                    user_key=user_key,
                    question=redact(question),
                    answer=redact(answer) if answer else None,
                    lang=lang,
                )
            )
            session.flush()
            stale = select(StateTurn.id).where(*mine).order_by(StateTurn.id.desc()).offset(keep)
            session.execute(
                delete(StateTurn).where(StateTurn.id.in_(list(session.scalars(stale))))
            )

    def clear_turns(self, chat_id: int, user_id: int) -> None:
        """Forget this seller's history in this chat."""
        chat_key, user_key = self.keys(chat_id, user_id)
        with self.session() as session:
            session.execute(
                delete(StateTurn).where(
                    StateTurn.chat_key == chat_key, StateTurn.user_key == user_key
                )
            )

    def language(self, user_id: int) -> str | None:
        """The seller's chosen language, if any."""
        with self.session() as session:
            pref = session.get(UserPref, pseudonym(self.key, user_id))
            return pref.lang if pref else None

    def set_language(self, user_id: int, lang: str) -> None:
        """Remember the seller's language."""
        with self.session() as session:
            session.merge(UserPref(user_key=pseudonym(self.key, user_id), lang=lang))


def open_store(url: str, key: str, low_confidence: float = 0.4) -> LogStore:
    """The store at ``url``, migrated to the latest schema."""
    store = LogStore(make_engine(url), key, low_confidence)
    store.migrate()
    return store
