"""What handlers need, reached through a typed custom context instead of casts or globals."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Protocol

from telegram.ext import Application, CallbackContext, ExtBot

from bot.answer.models import Answer, Lang, Turn
from bot.conversation import ConversationState, FloodControl
from bot.prompts import PromptBook
from bot.settings import Settings
from bot.store.store import LogStore

SERVICES = "services"


class AskAdvisor(Protocol):
    def ask(
        self, question: str, history: list[Turn] | None = None, lang: Lang | None = None
    ) -> Answer: ...


class Recorder(Protocol):
    """Where exchanges and feedback are logged (the logs store); optional."""

    async def record_exchange(
        self, chat_id: int, user_id: int, question: str, answer: Answer, latency_ms: float
    ) -> str | None: ...

    async def record_feedback(self, message_key: str, value: int) -> None: ...

    async def run(self) -> None:
        """Retries what an outage left buffered; runs until cancelled."""

    async def aclose(self) -> None:
        """Writes what is left, or reports it lost."""


@dataclass
class Services:
    """Everything the handlers use, built once in ``build_application``."""

    settings: Settings
    advisor: AskAdvisor
    prompts: PromptBook
    state: ConversationState
    limiter: FloodControl
    recorder: Recorder | None = None
    store: LogStore | None = None
    exchanges: OrderedDict[str, tuple[int, int, str, str]] = field(default_factory=OrderedDict)

    def text(self, lang: str, key: str, **values: Any) -> str:
        return self.prompts.text(lang, f"telegram.{key}", **values)

    def is_operator(self, user_id: int) -> bool:
        return user_id in self.settings.operator_ids

    def remember(self, store: OrderedDict[str, Any], key: str, value: Any) -> None:
        """Keep a bounded map of callback keys (callback data is limited to 64 bytes)."""
        store[key] = value
        while len(store) > 20_000:
            store.popitem(last=False)


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """``context.services`` gives handlers their dependencies, typed."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)

    @property
    def services(self) -> Services:
        services = self.bot_data[SERVICES]
        assert isinstance(services, Services)
        return services
