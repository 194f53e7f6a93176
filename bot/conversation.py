"""Per-user conversation state (history, language) and flood control, for every front end.

The Telegram bot keeps it in memory by default; the logs store provides a persistent, shared
implementation of the same protocol (see ``bot.store``).
"""

from __future__ import annotations

from enum import Enum
from typing import Protocol

from bot.answer.models import Lang, Turn


class Verdict(Enum):
    """What flood control says about one message: answer it, warn once, or drop it."""

    ALLOW = "allow"
    WARN = "warn"
    DROP = "drop"


class FloodControl(Protocol):
    """Counts a seller's message against the limit (in memory, or shared by replicas)."""

    async def verdict(self, user_id: int) -> Verdict: ...


class ConversationState(Protocol):
    """History and language preference per (chat, user)."""

    async def history(self, chat_id: int, user_id: int) -> list[Turn]: ...

    async def remember(self, chat_id: int, user_id: int, turn: Turn) -> None: ...

    async def reset(self, chat_id: int, user_id: int) -> None: ...

    async def language(self, user_id: int) -> Lang | None: ...

    async def set_language(self, user_id: int, lang: Lang) -> None: ...
