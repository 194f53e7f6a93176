"""Hostile input, floods, Telegram errors and load: always a sensible reply, never a crash."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter

import pytest
from telegram.ext import Application

from bot.answer.models import Answer, Lang, Turn
from bot.runtime import Runtime
from tests.telegram.conftest import StartBot
from tests.telegram.fakebotapi import FakeBotAPI, edited, message
from tests.telegram.htmlcheck import html_errors


def to(fake: FakeBotAPI, chat_id: int) -> list[str]:
    return [c.text for c in fake.sent() if c.chat_id == chat_id]


@pytest.mark.parametrize(
    "extra",
    [
        {
            "sticker": {
                "file_id": "s",
                "file_unique_id": "s",
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
            }
        },
        {"photo": [{"file_id": "p", "file_unique_id": "p", "width": 90, "height": 90}]},
        {"voice": {"file_id": "v", "file_unique_id": "v", "duration": 3}},
        {"document": {"file_id": "d", "file_unique_id": "d"}},
        {"location": {"latitude": -6.2, "longitude": 106.8}},
    ],
    ids=["sticker", "photo", "voice", "document", "location"],
)
async def test_non_text_gets_text_only_reply(
    fake: FakeBotAPI, bot: Application, extra: dict[str, object]
) -> None:
    fake.push(message(None, user_id=31, **extra))
    await fake.wait(lambda f: len(to(f, 31)) == 1)
    assert to(fake, 31) == [
        "Maaf, saya hanya bisa membaca pertanyaan berupa teks. Silakan ketik pertanyaan Anda."
    ]


async def test_unknown_command_points_to_help(fake: FakeBotAPI, bot: Application) -> None:
    fake.push(message("/harga", user_id=46))
    fake.push(message("/", user_id=47))
    fake.push(message("/harga@other_bot", user_id=48, chat_id=-48, chat_type="group"))
    fake.push(message("/harga@advisor_bot", user_id=49, chat_id=-49, chat_type="group"))
    await fake.wait(lambda f: len(to(f, 46)) == 1 and len(to(f, 47)) == 1 and len(to(f, -49)) == 1)
    assert to(fake, 46)[0].startswith("Perintah itu tidak ada.")
    assert to(fake, -49)[0].startswith("Perintah itu tidak ada.")
    assert not to(fake, 47)[0].startswith("Perintah itu tidak ada.")
    assert to(fake, -48) == []


async def test_edited_message_is_answered(fake: FakeBotAPI, bot: Application) -> None:
    fake.push(edited("kapan tiktok shop tutup?", user_id=32))
    await fake.wait(lambda f: len(to(f, 32)) == 1)
    assert "2023" in to(fake, 32)[0]


async def test_invisible_message_asks_for_a_question(fake: FakeBotAPI, bot: Application) -> None:
    fake.push(message("\u200b \u200b ?!", user_id=33))
    await fake.wait(lambda f: len(to(f, 33)) == 1)
    assert to(fake, 33)[0].startswith("Pesannya kosong.")


async def test_ten_thousand_characters(fake: FakeBotAPI, bot: Application) -> None:
    fake.push(message("shopee " + "x" * 10_000, user_id=34))
    await fake.wait(lambda f: len(to(f, 34)) == 1)
    assert all(len(t) <= 4096 for t in to(fake, 34))


async def test_markup_in_question_is_escaped(fake: FakeBotAPI, bot: Application) -> None:
    fake.push(
        message(
            '<b>halo</b> <script>x</script> <a href="javascript:1">shopee</a> & co', user_id=35
        )
    )
    await fake.wait(lambda f: len(to(f, 35)) == 1)
    [reply] = to(fake, 35)
    assert "<script>" not in reply
    assert "javascript:" not in reply
    assert html_errors(reply) == []


async def test_group_needs_mention_or_reply(fake: FakeBotAPI, bot: Application) -> None:
    group = -2001
    fake.push(message("kapan tiktok shop tutup?", user_id=36, chat_id=group, chat_type="group"))
    fake.push(
        message(
            "@advisor_bot kapan tiktok shop tutup?", user_id=37, chat_id=group, chat_type="group"
        )
    )
    await fake.wait(lambda f: len(to(f, group)) == 1)
    reply_to_bot = {
        "message_id": 5,
        "date": 0,
        "chat": {"id": group, "type": "group"},
        "from": {"id": 4242, "is_bot": True, "first_name": "Seller Advisor"},
        "text": "...",
    }
    fake.push(
        message(
            "kalau shopee?",
            user_id=36,
            chat_id=group,
            chat_type="group",
            reply_to_message=reply_to_bot,
        )
    )
    await fake.wait(lambda f: len(to(f, group)) == 2)
    await asyncio.sleep(0.3)
    assert len(to(fake, group)) == 2
    replies = [c for c in fake.sent() if c.chat_id == group]
    assert all("reply_parameters" in c.params for c in replies)


async def test_flood_gets_one_slow_down_and_others_unaffected(
    fake: FakeBotAPI, start_bot: StartBot
) -> None:
    await start_bot(rate_limit_messages=3, rate_limit_seconds=60)
    for i in range(10):
        fake.push(message(f"kapan tiktok shop tutup? {i}", user_id=38))
    fake.push(message("apa itu social commerce?", user_id=39))
    await fake.wait(lambda f: len(to(f, 38)) == 4 and len(to(f, 39)) == 1)
    await asyncio.sleep(0.5)
    texts = to(fake, 38)
    assert len(texts) == 4
    assert sum(t.startswith("Pelan-pelan ya") for t in texts) == 1


@pytest.mark.parametrize(
    ("status", "times", "retry_after", "user"),
    [(429, 1, 1, 40), (500, 3, None, 41)],
    ids=["429-retry-after", "500"],
)
async def test_a_failed_send_is_retried_and_the_answer_arrives_once(
    fake: FakeBotAPI,
    bot: Application,
    status: int,
    times: int,
    retry_after: int | None,
    user: int,
) -> None:
    fake.fail("sendMessage", status, times=times, retry_after=retry_after)
    fake.push(message("kapan tiktok shop tutup?", user_id=user))
    await fake.wait(lambda f: len(to(f, user)) == 1)
    await asyncio.sleep(1.5)
    assert len(to(fake, user)) == 1
    assert "2023" in to(fake, user)[0]


async def test_telegram_down_then_back_answers_every_update_once(
    fake: FakeBotAPI, start_bot: StartBot
) -> None:
    await start_bot()
    fake.fail("getUpdates", 502, times=4)
    fake.fail("sendMessage", 500, times=6)
    for user_id in range(44, 49):
        fake.push(message("apa itu social commerce?", user_id=user_id))
    await fake.wait(lambda f: all(len(to(f, u)) >= 1 for u in range(44, 49)), within=60)
    await asyncio.sleep(1.0)
    assert [len(to(fake, u)) for u in range(44, 49)] == [1, 1, 1, 1, 1]
    assert all("<a href=" in to(fake, u)[0] for u in range(44, 49))


async def test_thirty_seconds_of_500s_and_429s_then_every_update_answered_once(
    fake: FakeBotAPI, start_bot: StartBot
) -> None:
    await start_bot()
    fake.fail_for(["sendMessage", "sendChatAction"], 500, seconds=30)
    early = range(140, 145)
    last = max(fake.push(message("apa itu social commerce?", user_id=u)) for u in early)
    await fake.wait(lambda f: f.delivered >= last, within=5)
    fake.fail_for(["getUpdates"], 429, seconds=28, retry_after=2)
    late = range(145, 150)
    for user_id in late:
        fake.push(message("kapan tiktok shop tutup?", user_id=user_id))
    users = [*early, *late]
    await fake.wait(lambda f: all(len(to(f, u)) >= 1 for u in users), within=120)
    await asyncio.sleep(1.0)
    assert [len(to(fake, u)) for u in users] == [1] * len(users)
    assert all("<a href=" in to(fake, u)[0] for u in users)


async def test_an_unsendable_answer_ends_in_an_apology(
    fake: FakeBotAPI, start_bot: StartBot
) -> None:
    await start_bot(telegram_retry_seconds=0.0)
    fake.fail("sendMessage", 500, times=1)
    fake.push(message("kapan tiktok shop tutup?", user_id=49))
    await fake.wait(lambda f: len(to(f, 49)) == 1)
    assert to(fake, 49) == [
        "Maaf, terjadi gangguan saat memproses pesan Anda. Silakan coba lagi sebentar lagi."
    ]


async def test_a_thousand_messages_from_two_hundred_users_each_answered_once(
    fake: FakeBotAPI, start_bot: StartBot
) -> None:
    await start_bot(telegram_max_rate=1000)
    questions = [
        "kapan tiktok shop tutup?",
        "cara buka toko di shopee",
        "what is NIB?",
        "pajak marketplace berapa?",
        "halal deadline for small business",
    ]
    for i in range(1000):
        fake.push(message(questions[i % 5], user_id=1000 + i % 200))
    await fake.wait(lambda f: len(f.sent()) >= 1000, within=300)
    await asyncio.sleep(0.5)
    per_chat = Counter(c.chat_id for c in fake.sent())
    assert per_chat == {1000 + u: 5 for u in range(200)}


class Broken:
    """An advisor that fails: the seller must get an apology, not silence."""

    def ask(
        self, question: str, history: list[Turn] | None = None, lang: Lang | None = None
    ) -> Answer:
        raise RuntimeError(f"boom while answering {question}")


async def test_unexpected_error_is_logged_and_apologised(
    fake: FakeBotAPI, start_bot: StartBot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await start_bot(advisor=Broken())
    update_id = fake.push(message("rahasia dagang saya 12345", user_id=42))
    await fake.wait(lambda f: len(to(f, 42)) == 1)
    assert to(fake, 42)[0].startswith("Maaf, terjadi gangguan")
    assert "boom" not in to(fake, 42)[0]
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert any(f"update {update_id}" in r.getMessage() for r in errors)
    info = "\n".join(r.getMessage() for r in caplog.records if r.levelno == logging.INFO)
    assert "rahasia dagang" not in info
    assert fake.token not in caplog.text


class Slow:
    """An advisor that thinks for a while (like a slow LLM)."""

    def __init__(self, inner: object) -> None:
        self.inner = inner

    def ask(
        self, question: str, history: list[Turn] | None = None, lang: Lang | None = None
    ) -> Answer:
        time.sleep(1.2)
        return self.inner.ask(question, history, lang)  # type: ignore[attr-defined,no-any-return]


async def test_typing_indicator_repeats_while_a_slow_answer_is_made(
    fake: FakeBotAPI, start_bot: StartBot, runtime: Runtime
) -> None:
    await start_bot(advisor=Slow(runtime.advisor), typing_interval=0.3)
    fake.push(message("kapan tiktok shop tutup?", user_id=43))
    await fake.wait(lambda f: len(to(f, 43)) == 1)
    typing = [c for c in fake.sent("sendChatAction") if c.chat_id == 43]
    assert len(typing) >= 3
    assert all(c.params["action"] == "typing" for c in typing)
