"""A fake Bot API server and the real bot polling it over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from telegram.ext import Application

from bot.runtime import Runtime
from bot.store.recorder import LogRecorder
from bot.store.state import StoredState
from bot.store.store import LogStore, open_store
from bot.telegram.app import build_application
from bot.telegram.context import AskAdvisor
from tests.conftest import make_settings
from tests.telegram.fakebotapi import FakeBotAPI

StartBot = Callable[..., Awaitable[Application[Any, Any, Any, Any, Any, Any]]]


@pytest.fixture
def fake() -> Iterator[FakeBotAPI]:
    api = FakeBotAPI().start()
    yield api
    api.stop()


@pytest.fixture
async def start_bot(fake: FakeBotAPI, runtime: Runtime, tmp_path: Path) -> AsyncIterator[StartBot]:
    """Start the bot with settings overrides (and optionally another advisor)."""
    started: list[Application[Any, Any, Any, Any, Any, Any]] = []

    async def start(  # type: ignore[type-arg]
        advisor: AskAdvisor | None = None, store: LogStore | None = None, **overrides: Any
    ) -> Application:
        values: dict[str, Any] = {
            "telegram_token": fake.token,
            "telegram_api_url": fake.base_url,
            "rate_limit_messages": 100,
            "rate_limit_seconds": 10.0,
            **overrides,
        }
        settings = make_settings(tmp_path / "data", **values)
        extra: dict[str, Any] = {}
        if store is not None:
            extra = {
                "store": store,
                "recorder": LogRecorder(store),
                "state": StoredState(store, settings.history_turns),
            }
        app = build_application(settings, advisor or runtime.advisor, runtime.prompts, **extra)
        await app.initialize()
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        started.append(app)
        return app

    yield start
    for app in started:
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()


@pytest.fixture
async def bot(start_bot: StartBot) -> Application:  # type: ignore[type-arg]
    return await start_bot()


@pytest.fixture
def logs(tmp_path: Path) -> LogStore:
    """A logs store in a SQLite file of its own."""
    return open_store(f"sqlite:///{tmp_path / 'logs.db'}", "test-key")
