"""Writes logs without ever holding up an answer: failures are buffered and retried.

The bot calls the recorder after each answer. When the database is down, writes wait in a
bounded in-memory buffer (oldest dropped first, counted and logged) and are retried, in order,
on the next write once ``retry_seconds`` have passed, and by ``run()`` in the background.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from bot.answer.models import Answer
from bot.store.records import ExchangeRecord
from bot.store.store import LogStore

log = logging.getLogger(__name__)
Write = Callable[[LogStore], Any]
UNAVAILABLE = (OperationalError, InterfaceError, DisconnectionError, PoolTimeout)


class LogRecorder:
    """Async, never-failing front of the store for the bot. Buffered writes keep their order."""

    def __init__(self, store: LogStore, max_buffer: int = 1000, retry_seconds: float = 30.0):
        self.store = store
        self.max_buffer = max_buffer
        self.retry_seconds = retry_seconds
        self.pending: deque[Write] = deque()
        self.dropped = 0
        self._retry_at = 0.0
        self._lock = asyncio.Lock()

    async def record_exchange(
        self, chat_id: int, user_id: int, question: str, answer: Answer, latency_ms: float
    ) -> str:
        """Log an answer; returns its id at once (chosen here, so feedback can refer to it)."""
        record = ExchangeRecord(
            chat_id=chat_id,
            user_id=user_id,
            question=question,
            answer=answer.text,
            lang=answer.lang,
            sources=[s.model_dump(mode="json") for s in answer.sources],
            topics=answer.topics,
            confidence=answer.confidence,
            refused=answer.refused,
            mode=answer.mode,
            latency_ms=round(latency_ms, 1),
        )
        await self.write(lambda store: store.record_exchange(record))
        return record.id

    async def record_feedback(
        self, message_key: str, value: int, source: str = "seller", comment: str | None = None
    ) -> None:
        """👍 (+1) / 👎 (-1) of a seller, or an operator's verdict (``comment``: gap, fine)."""
        await self.write(lambda store: store.record_feedback(message_key, value, source, comment))

    async def open_handoff(self, chat_id: int, user_id: int) -> str | None:
        """Open (or find) the seller's handoff; None when the store is down (retried later)."""
        box: list[str] = []
        await self.write(lambda store: box.append(store.open_handoff(chat_id, user_id)))
        return box[0] if box else None

    async def add_note(self, handoff_id: str, author: str, text: str) -> None:
        """A message of the seller or an operator during a handoff."""
        await self.write(lambda store: store.add_note(handoff_id, author, text))

    async def close_handoff(self, handoff_id: str) -> None:
        """End a handoff."""
        await self.write(lambda store: store.close_handoff(handoff_id))

    async def write(self, op: Write) -> bool:
        """Queue ``op`` behind anything buffered and try to flush; True if all is written."""
        self.pending.append(op)
        self._trim()
        return await self.flush()

    async def flush(self, force: bool = False) -> bool:
        """Write what is buffered, oldest first; False (and kept) while the store is down.

        After a failure, writes only queue until ``retry_seconds`` have passed (or ``force``),
        so a database that hangs does not slow down every answer.
        """
        async with self._lock:
            if not force and time.monotonic() < self._retry_at:
                return False
            done = 0
            while self.pending:
                try:
                    await asyncio.to_thread(self.pending[0], self.store)
                except UNAVAILABLE as exc:
                    self._retry_at = time.monotonic() + self.retry_seconds
                    log.warning(
                        "logs store unavailable (%s); %d record(s) buffered",
                        type(exc).__name__,
                        len(self.pending),
                    )
                    return False
                except Exception:
                    self.dropped += 1
                    log.exception("log record rejected by the store and dropped")
                done += 1
                self.pending.popleft()
            if done > 1:
                log.info("logs store: %d buffered record(s) written", done)
            self._retry_at = 0.0
            return True

    async def run(self) -> None:
        """Retry buffered writes every ``retry_seconds`` (start as a background task)."""
        while True:
            await asyncio.sleep(self.retry_seconds)
            if self.pending:
                await self.flush(force=True)

    async def aclose(self) -> None:
        """A last attempt at writing the buffer; what remains is reported as lost."""
        if self.pending and not await self.flush(force=True):
            log.error("logs store: %d buffered record(s) lost on shutdown", len(self.pending))

    def _trim(self) -> None:
        while len(self.pending) > self.max_buffer:
            self.pending.popleft()
            self.dropped += 1
            log.error("logs buffer full: %d record(s) dropped so far", self.dropped)
