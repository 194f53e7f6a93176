"""Property-based: any text through the real bot gets valid Telegram HTML, never a crash."""

from __future__ import annotations

import asyncio
import itertools
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.runtime import Runtime
from bot.telegram.app import build_application
from tests.conftest import make_settings
from tests.telegram.fakebotapi import FakeBotAPI, message
from tests.telegram.htmlcheck import html_errors

APOLOGY = "Maaf, terjadi gangguan"
NASTY = st.sampled_from(
    [
        "\u200b",
        "\u202e",
        "\u2066",
        "\ufeff",
        "<b>",
        "</a>",
        "&amp;",
        "&",
        "<a href='javascript:x'>",
        "```",
        "\n\n",
        "🔥",
        "@advisor_bot",
        "/",
    ]
)
TEXT = (
    st.lists(st.one_of(st.text(min_size=1, max_size=30), NASTY), min_size=1, max_size=25)
    .map("".join)
    .filter(lambda t: t.strip() != "")
)
USERS = itertools.count(70_000)


class BotThread:
    """The bot polling the fake server from an event loop in a thread of its own."""

    def __init__(self, fake: FakeBotAPI, runtime: Runtime, data: Path) -> None:
        self.fake, self.runtime, self.data = fake, runtime, data
        self.ready, self.stop = threading.Event(), threading.Event()
        self.thread = threading.Thread(target=lambda: asyncio.run(self._main()), daemon=True)

    async def _main(self) -> None:
        values: dict[str, Any] = {
            "telegram_token": self.fake.token,
            "rate_limit_messages": 10**6,
            "telegram_api_url": self.fake.base_url,
            "telegram_max_rate": 10**6,
        }
        app = build_application(
            make_settings(self.data, **values), self.runtime.advisor, self.runtime.prompts
        )
        await app.initialize()
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        self.ready.set()
        await asyncio.to_thread(self.stop.wait)
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


@pytest.fixture(scope="module")
def live(runtime: Runtime, tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeBotAPI]:
    fake = FakeBotAPI().start()
    worker = BotThread(fake, runtime, tmp_path_factory.mktemp("hostile"))
    worker.thread.start()
    assert worker.ready.wait(30)
    yield fake
    worker.stop.set()
    worker.thread.join(30)
    fake.stop()


def replies(fake: FakeBotAPI, chat_id: int) -> list[str]:
    return [c.text for c in fake.sent() if c.chat_id == chat_id]


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=TEXT, group=st.booleans())
def test_any_text_gets_valid_html(live: FakeBotAPI, text: str, group: bool) -> None:
    user = next(USERS)
    chat = -user if group else user
    live.push(
        message(
            "@advisor_bot " + text if group else text,
            user_id=user,
            chat_id=chat,
            chat_type="group" if group else "private",
        )
    )
    live.wait_for(lambda f: len(replies(f, chat)) >= 1)
    for reply in replies(live, chat):
        assert html_errors(reply) == [], reply
        assert len(reply) <= 4096
        assert not reply.startswith(APOLOGY)


def test_malformed_updates_do_not_stop_the_bot(live: FakeBotAPI) -> None:
    live.push({"message": {"message_id": 1, "text": "no chat, no date"}})
    live.push({"callback_query": {"id": "1", "data": "fb:+:missing"}})
    live.push({"unknown_kind": {"x": 1}})
    live.push(
        {
            "message": {
                "message_id": 2,
                "date": 0,
                "chat": {"id": 71, "type": "private"},
                "from": {"id": 71, "is_bot": False, "first_name": "A"},
                "text": 12345,
            }
        }
    )
    user = next(USERS)
    live.push(message("kapan tiktok shop tutup?", user_id=user))
    live.wait_for(lambda f: len(replies(f, user)) == 1)
    assert "2023" in replies(live, user)[0]
