"""Conversation state and rate limits in the logs store, shared by every bot replica."""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from typing import Any

from pydantic import BaseModel
from sqlalchemy.exc import SQLAlchemyError

from bot.answer.models import Lang, Turn
from bot.conversation import Verdict
from bot.store.store import LogStore

log = logging.getLogger(__name__)


class StoredState:
    """``ConversationState`` backed by the database: survives restarts, shared by replicas.

    If the database fails, the seller still gets an answer: history and language fall back to
    a bounded in-memory copy kept by this replica.
    """

    def __init__(self, store: LogStore, max_turns: int = 6, max_users: int = 10_000) -> None:
        self.store = store
        self.max_turns = max_turns
        self.max_users = max_users
        self._turns: OrderedDict[tuple[int, int], list[Turn]] = OrderedDict()
        self._langs: OrderedDict[int, Lang] = OrderedDict()

    async def _call(self, fn: Any, *args: Any) -> tuple[bool, Any]:
        try:
            return True, await asyncio.to_thread(fn, *args)
        except SQLAlchemyError as exc:
            log.warning("conversation state store failed (%s); using memory", type(exc).__name__)
            return False, None

    def _keep(self, cache: OrderedDict[Any, Any], key: Any, value: Any) -> None:
        cache[key] = value
        cache.move_to_end(key)
        while len(cache) > self.max_users:
            cache.popitem(last=False)

    async def history(self, chat_id: int, user_id: int) -> list[Turn]:
        """The last turns of this seller in this chat, oldest first."""
        ok, rows = await self._call(self.store.turns, chat_id, user_id, self.max_turns)
        if not ok:
            return list(self._turns.get((chat_id, user_id), []))
        return [Turn(question=r.question, answer=r.answer, lang=_lang(r.lang)) for r in rows]

    async def remember(self, chat_id: int, user_id: int, turn: Turn) -> None:
        """Append a turn (older ones beyond ``max_turns`` are forgotten)."""
        local = [*self._turns.get((chat_id, user_id), []), turn][-self.max_turns :]
        self._keep(self._turns, (chat_id, user_id), local)
        await self._call(
            self.store.add_turn,
            chat_id,
            user_id,
            turn.question,
            turn.answer,
            turn.lang,
            self.max_turns,
        )

    async def reset(self, chat_id: int, user_id: int) -> None:
        """Forget the history."""
        self._turns.pop((chat_id, user_id), None)
        await self._call(self.store.clear_turns, chat_id, user_id)

    async def language(self, user_id: int) -> Lang | None:
        """The seller's chosen language, if any."""
        ok, lang = await self._call(self.store.language, user_id)
        return _lang(lang) if ok else self._langs.get(user_id)

    async def set_language(self, user_id: int, lang: Lang) -> None:
        """Remember the seller's language."""
        self._keep(self._langs, user_id, lang)
        await self._call(self.store.set_language, user_id, lang)


def _lang(value: str | None) -> Lang | None:
    return "en" if value == "en" else "id" if value == "id" else None


class RateDecision(BaseModel):
    """The outcome of one message against the shared limit."""

    hits: int
    allowed: bool
    first_refusal: bool


class SharedRateLimiter:
    """At most ``limit`` messages per ``window`` seconds per seller, across all replicas.

    Fixed windows counted in the database; if the database fails the message is allowed.
    """

    def __init__(self, store: LogStore, limit: int, window: float) -> None:
        self.store = store
        self.limit = limit
        self.window = window

    async def verdict(self, user_id: int) -> Verdict:
        decision = await self.check(user_id)
        if decision.allowed:
            return Verdict.ALLOW
        return Verdict.WARN if decision.first_refusal else Verdict.DROP

    async def check(self, user_id: int, at: float | None = None) -> RateDecision:
        """Count the message; ``first_refusal`` is true once per window (to warn once)."""
        try:
            hits = await asyncio.to_thread(self.store.count_hit, user_id, self.window, at)
        except SQLAlchemyError as exc:
            log.warning("rate-limit store failed (%s); message allowed", type(exc).__name__)
            return RateDecision(hits=0, allowed=True, first_refusal=False)
        return RateDecision(
            hits=hits, allowed=hits <= self.limit, first_refusal=hits == self.limit + 1
        )
