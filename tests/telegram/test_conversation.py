"""What a seller sees: greeting, topics, answers with sources and buttons, commands."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application

from tests.telegram.conftest import StartBot
from tests.telegram.fakebotapi import FakeBotAPI, callback, message
from tests.telegram.htmlcheck import html_errors


def answers_to(fake: FakeBotAPI, chat_id: int) -> list[Any]:
    return [c for c in fake.sent() if c.chat_id == chat_id]


async def test_start_greets_in_indonesian_with_topic_buttons(
    fake: FakeBotAPI, bot: Application
) -> None:
    fake.push(message("/start", user_id=11, lang="id"))
    await fake.wait(lambda f: len(answers_to(f, 11)) == 1)
    [reply] = answers_to(fake, 11)
    assert reply.text.startswith("Halo, Sari!")
    assert reply.params["parse_mode"] == "HTML"
    topics = [data for _, data in reply.buttons()]
    assert topics == [
        "topic:ban",
        "topic:marketplace",
        "topic:own_shop",
        "topic:licences_tax",
        "topic:creators",
    ]


async def test_start_in_english_for_english_users(fake: FakeBotAPI, bot: Application) -> None:
    fake.push(message("/start", user_id=12, lang="en-GB"))
    await fake.wait(lambda f: len(answers_to(f, 12)) == 1)
    assert answers_to(fake, 12)[0].text.startswith("Hello, Sari!")


async def test_topic_button_answers_that_topic(fake: FakeBotAPI, bot: Application) -> None:
    fake.push(callback("topic:marketplace", user_id=13))
    await fake.wait(lambda f: len(answers_to(f, 13)) == 1)
    [reply] = answers_to(fake, 13)
    assert '<a href="https://' in reply.text
    assert fake.sent("answerCallbackQuery")


async def test_question_gets_typing_then_answer_with_sources_and_buttons(
    fake: FakeBotAPI, bot: Application
) -> None:
    fake.push(message("gmn cara pindah jualan dr tiktok ke shopee?", user_id=14))
    await fake.wait(lambda f: len(answers_to(f, 14)) == 1)
    methods = [c.method for c in fake.calls if c.params.get("chat_id") == "14"]
    assert methods == ["sendChatAction", "sendMessage"]
    [reply] = answers_to(fake, 14)
    assert "Shopee" in reply.text
    assert "<b>Sumber:</b>" in reply.text
    assert html_errors(reply.text) == []
    buttons = reply.buttons()
    assert [t for t, _ in buttons[:2]] == ["👍", "👎"]
    followups = [d for _, d in buttons if d.startswith("ask:")]
    assert 2 <= len(followups) <= 3
    assert all(len(d.encode()) <= 64 for _, d in buttons)


async def test_followup_button_asks_its_question(fake: FakeBotAPI, bot: Application) -> None:
    fake.push(message("apa itu social commerce?", user_id=15))
    await fake.wait(lambda f: len(answers_to(f, 15)) == 1)
    first = answers_to(fake, 15)[0]
    data = next(d for _, d in first.buttons() if d.startswith("ask:"))
    fake.push(callback(data, user_id=15, markup=first.markup))
    await fake.wait(lambda f: len(answers_to(f, 15)) == 2)
    assert "<a href=" in answers_to(fake, 15)[1].text


async def test_followup_button_works_after_a_restart(
    fake: FakeBotAPI, start_bot: StartBot
) -> None:
    """The button carries its question: a new process (or another replica) can answer it."""
    before = await start_bot()
    fake.push(message("apa itu social commerce?", user_id=19))
    await fake.wait(lambda f: len(answers_to(f, 19)) == 1)
    first = answers_to(fake, 19)[0]
    assert before.updater is not None
    await before.updater.stop()
    await before.stop()
    await before.shutdown()
    await start_bot()
    data = next(d for _, d in first.buttons() if d.startswith("ask:"))
    fake.push(callback(data, user_id=19, markup=first.markup))
    await fake.wait(lambda f: len(answers_to(f, 19)) == 2)
    assert "<a href=" in answers_to(fake, 19)[1].text


async def test_a_button_no_longer_shown_has_expired(fake: FakeBotAPI, bot: Application) -> None:
    fake.push(callback("ask:0", user_id=20, markup={"inline_keyboard": []}))
    await fake.wait(lambda f: bool(f.sent("answerCallbackQuery")))
    assert fake.sent("answerCallbackQuery")[-1].params["text"] == "Tombol ini sudah kedaluwarsa."
    assert answers_to(fake, 20) == []


async def test_feedback_is_thanked_and_buttons_removed(fake: FakeBotAPI, bot: Application) -> None:
    fake.push(message("kapan tiktok shop tutup?", user_id=16))
    await fake.wait(lambda f: len(answers_to(f, 16)) == 1)
    thumbs_down = answers_to(fake, 16)[0].buttons()[1][1]
    fake.push(callback(thumbs_down, user_id=16))
    await fake.wait(lambda f: len(f.sent("editMessageReplyMarkup")) == 1)
    thanks = fake.sent("answerCallbackQuery")[-1]
    assert thanks.params["text"] == "Terima kasih atas penilaiannya!"
    edited = fake.sent("editMessageReplyMarkup")[0]
    assert all(not d.startswith("fb:") for _, d in edited.buttons())
    fake.push(callback(thumbs_down, user_id=16, markup=edited.markup or {"inline_keyboard": []}))
    await fake.wait(lambda f: f.sent("answerCallbackQuery")[-1] is not thanks)
    assert fake.sent("answerCallbackQuery")[-1].params["text"] == "Tombol ini sudah kedaluwarsa."


async def test_followup_uses_conversation_history(fake: FakeBotAPI, bot: Application) -> None:
    fake.push(message("berapa biaya admin shopee?", user_id=17))
    await fake.wait(lambda f: len(answers_to(f, 17)) == 1)
    fake.push(message("kalau di Lazada gimana?", user_id=17))
    await fake.wait(lambda f: len(answers_to(f, 17)) == 2)
    assert "Lazada" in answers_to(fake, 17)[1].text


async def test_lang_switch_is_remembered(fake: FakeBotAPI, bot: Application) -> None:
    fake.push(message("/lang", user_id=18, lang="id"))
    await fake.wait(lambda f: len(answers_to(f, 18)) == 1)
    assert answers_to(fake, 18)[0].text == "OK, I will answer in English."
    fake.push(message("/start", user_id=18, lang="id"))
    await fake.wait(lambda f: len(answers_to(f, 18)) == 2)
    assert answers_to(fake, 18)[1].text.startswith("Hello")
    fake.push(message("kapan tiktok shop tutup?", user_id=18, lang="id"))
    await fake.wait(lambda f: len(answers_to(f, 18)) == 3)
    assert "<b>Sources:</b>" in answers_to(fake, 18)[2].text
    fake.push(callback("lang:id", user_id=18))
    await fake.wait(lambda f: len(answers_to(f, 18)) == 4)
    assert answers_to(fake, 18)[3].text.startswith("Baik")


async def test_reset_clears_history(fake: FakeBotAPI, bot: Application) -> None:
    fake.push(message("berapa biaya admin shopee?", user_id=19))
    await fake.wait(lambda f: len(answers_to(f, 19)) == 1)
    state = bot.bot_data["services"].state
    assert await state.history(19, 19)
    fake.push(message("/reset", user_id=19))
    await fake.wait(lambda f: len(answers_to(f, 19)) == 2)
    assert answers_to(fake, 19)[1].text.startswith("Riwayat percakapan sudah dihapus")
    assert await state.history(19, 19) == []


async def test_help_and_topics(fake: FakeBotAPI, bot: Application) -> None:
    fake.push(message("/help", user_id=20))
    fake.push(message("/topics", user_id=20))
    await fake.wait(lambda f: len(answers_to(f, 20)) == 2)
    texts = sorted(c.text for c in answers_to(fake, 20))
    assert texts[0].startswith("Cara memakai Seller Advisor")
    assert texts[1] == "Pilih topik:"


async def test_human_without_operators(fake: FakeBotAPI, bot: Application) -> None:
    fake.push(message("/human", user_id=21))
    await fake.wait(lambda f: len(answers_to(f, 21)) == 1)
    assert "belum ada petugas" in answers_to(fake, 21)[0].text


async def test_human_notifies_operators(fake: FakeBotAPI, start_bot: StartBot) -> None:
    await start_bot(operator_chat_id=-100500)
    fake.push(message("kapan tiktok shop tutup?", user_id=22))
    await fake.wait(lambda f: len(answers_to(f, 22)) == 1)
    fake.push(message("/human", user_id=22))
    await fake.wait(lambda f: len(answers_to(f, -100500)) == 1 and len(answers_to(f, 22)) == 2)
    notice = answers_to(fake, -100500)[0].text
    assert "Chat: 22" in notice
    assert "kapan tiktok shop tutup?" in notice
    assert "diteruskan ke petugas" in answers_to(fake, 22)[1].text
