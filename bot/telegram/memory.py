"""In-memory conversation state: bounded history per (chat, user), language per user."""

from __future__ import annotations

from collections import OrderedDict, deque

from bot.answer.models import Lang, Turn


class InMemoryState:
    """The default ``ConversationState``: lost on restart, bounded in turns and in users."""

    def __init__(self, max_turns: int = 6, max_conversations: int = 10_000) -> None:
        self.max_turns = max_turns
        self.max_conversations = max_conversations
        self._history: OrderedDict[tuple[int, int], deque[Turn]] = OrderedDict()
        self._langs: OrderedDict[int, Lang] = OrderedDict()

    async def history(self, chat_id: int, user_id: int) -> list[Turn]:
        turns = self._history.get((chat_id, user_id))
        return list(turns) if turns else []

    async def remember(self, chat_id: int, user_id: int, turn: Turn) -> None:
        key = (chat_id, user_id)
        turns = self._history.pop(key, None) or deque(maxlen=self.max_turns)
        turns.append(turn)
        self._history[key] = turns
        while len(self._history) > self.max_conversations:
            self._history.popitem(last=False)

    async def reset(self, chat_id: int, user_id: int) -> None:
        self._history.pop((chat_id, user_id), None)

    async def language(self, user_id: int) -> Lang | None:
        return self._langs.get(user_id)

    async def set_language(self, user_id: int, lang: Lang) -> None:
        self._langs.pop(user_id, None)
        self._langs[user_id] = lang
        while len(self._langs) > self.max_conversations:
            self._langs.popitem(last=False)
