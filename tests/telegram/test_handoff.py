"""The bot with the logs store: records, feedback, review by operators, human handoff."""

from __future__ import annotations

from typing import Any

from bot.store.records import MessageFilter
from bot.store.store import LogStore
from tests.telegram.conftest import StartBot
from tests.telegram.fakebotapi import BOT, FakeBotAPI, callback, message

OPS = -100777
OPERATOR = 900


def to(fake: FakeBotAPI, chat_id: int) -> list[Any]:
    return [c for c in fake.sent() if c.chat_id == chat_id]


def operator_reply(text: str, about: str, user_id: int = OPERATOR) -> dict[str, Any]:
    replied = {
        "message_id": 5,
        "date": 0,
        "chat": {"id": OPS, "type": "group"},
        "from": BOT,
        "text": about,
    }
    return message(text, user_id=user_id, chat_id=OPS, chat_type="group", reply_to_message=replied)


async def test_answers_and_feedback_are_logged_and_reviewed(
    fake: FakeBotAPI, start_bot: StartBot, logs: LogStore
) -> None:
    await start_bot(store=logs, operator_chat_id=OPS, operator_ids=[OPERATOR])
    fake.push(message("kapan tiktok shop tutup? wa sy 081234567890", user_id=61))
    await fake.wait(lambda f: len(to(f, 61)) == 1)
    [row] = logs.messages(MessageFilter())
    assert row.question == "kapan tiktok shop tutup? wa sy [phone]"
    assert row.sources and not row.refused
    thumbs_down = to(fake, 61)[0].buttons()[1][1]
    fake.push(callback(thumbs_down, user_id=61))
    await fake.wait(lambda f: len(to(f, OPS)) == 1)
    assert logs.messages(MessageFilter(thumbs_down=True))[0].id == row.id
    review = to(fake, OPS)[0]
    assert "Penilaian buruk di chat 61" in review.text
    verdicts = [d for _, d in review.buttons()]
    assert [v.split(":")[1] for v in verdicts] == ["gap", "fine", "take"]
    fake.push(callback(verdicts[0], user_id=12345))
    await fake.wait(
        lambda f: (
            f.sent("answerCallbackQuery")[-1].params.get("text", "").startswith("Hanya petugas")
        )
    )
    fake.push(callback(verdicts[0], user_id=OPERATOR))
    await fake.wait(
        lambda f: f.sent("answerCallbackQuery")[-1].params.get("text") == "Tercatat: gap"
    )
    with logs.session() as session:
        from bot.store.models import Feedback

        sources = sorted(f.source for f in session.query(Feedback).all())
    assert sources == ["operator", "seller"]


async def test_review_works_on_a_process_that_did_not_answer(
    fake: FakeBotAPI, start_bot: StartBot, logs: LogStore
) -> None:
    """👎 and "take over" read the logs store, so another replica (or a restart) handles them."""
    before = await start_bot(store=logs, operator_chat_id=OPS, operator_ids=[OPERATOR])
    fake.push(message("kapan tiktok shop tutup?", user_id=66))
    await fake.wait(lambda f: len(to(f, 66)) == 1 and len(logs.messages(MessageFilter())) == 1)
    answer = to(fake, 66)[0]
    assert before.updater is not None
    await before.updater.stop()
    await before.stop()
    await before.shutdown()
    await start_bot(store=logs, operator_chat_id=OPS, operator_ids=[OPERATOR])
    fake.push(callback(answer.buttons()[1][1], user_id=66, markup=answer.markup))
    await fake.wait(lambda f: len(to(f, OPS)) == 1)
    review = to(fake, OPS)[0]
    assert "Penilaian buruk di chat 66" in review.text
    assert "Pertanyaan: kapan tiktok shop tutup?" in review.text
    take = next(d for _, d in review.buttons() if d.startswith("op:take:"))
    fake.push(
        callback(take, user_id=OPERATOR, markup=review.markup, text=review.text, chat_id=OPS)
    )
    await fake.wait(lambda f: len(to(f, 66)) == 2)
    assert to(fake, 66)[1].text.startswith("👤 Petugas sudah bergabung")
    assert logs.open_handoff_of(66) is not None


async def test_refused_question_goes_to_review(
    fake: FakeBotAPI, start_bot: StartBot, logs: LogStore
) -> None:
    await start_bot(store=logs, operator_chat_id=OPS, operator_ids=[OPERATOR])
    fake.push(message("resep rendang yang enak gimana?", user_id=62))
    await fake.wait(lambda f: len(to(f, OPS)) == 1)
    assert "Pertanyaan tidak terjawab di chat 62" in to(fake, OPS)[0].text
    assert logs.messages(MessageFilter(refused=True))[0].question.startswith("resep rendang")


async def test_human_handoff_round_trip(
    fake: FakeBotAPI, start_bot: StartBot, logs: LogStore
) -> None:
    await start_bot(store=logs, operator_chat_id=OPS, operator_ids=[OPERATOR])
    fake.push(message("/human", user_id=63))
    await fake.wait(lambda f: len(to(f, OPS)) == 1 and len(to(f, 63)) == 1)
    notice = to(fake, OPS)[0].text
    assert "Chat: 63" in notice
    fake.push(message("halo, ada orang?", user_id=63))
    await fake.wait(lambda f: len(to(f, OPS)) == 2 and len(to(f, 63)) == 2)
    assert to(fake, OPS)[1].text == "💬 Dari chat 63: halo, ada orang?"
    assert to(fake, 63)[1].text == "Pesan Anda sudah diteruskan ke petugas."
    fake.push(operator_reply("Halo, saya Rina. Ada yang bisa dibantu?", notice))
    await fake.wait(lambda f: len(to(f, 63)) == 4)
    assert to(fake, 63)[2].text.startswith("👤 Petugas sudah bergabung")
    assert to(fake, 63)[3].text == "👤 Petugas: Halo, saya Rina. Ada yang bisa dibantu?"
    fake.push(operator_reply("/done", notice))
    await fake.wait(lambda f: len(to(f, 63)) == 5)
    assert "Seller Advisor kembali" in to(fake, 63)[4].text
    fake.push(message("kapan tiktok shop tutup?", user_id=63))
    await fake.wait(lambda f: len(to(f, 63)) == 6)
    assert "<a href=" in to(fake, 63)[5].text
    conv = logs.conversation(logs.messages(MessageFilter())[0].conversation_id)
    assert conv is not None
    notes = [(n.author, n.text) for n in conv[2][0].notes]
    assert notes == [
        ("seller", "halo, ada orang?"),
        ("operator", "Halo, saya Rina. Ada yang bisa dibantu?"),
    ]


async def test_strangers_cannot_reply_as_operators(
    fake: FakeBotAPI, start_bot: StartBot, logs: LogStore
) -> None:
    await start_bot(store=logs, operator_chat_id=OPS, operator_ids=[OPERATOR])
    fake.push(operator_reply("saya bukan petugas", "Chat: 64", user_id=555))
    fake.push(message("/help", user_id=64))
    await fake.wait(lambda f: len(to(f, 64)) == 1)
    assert all("bukan petugas" not in c.text for c in to(fake, 64))


async def test_history_survives_a_restart(
    fake: FakeBotAPI, start_bot: StartBot, logs: LogStore
) -> None:
    first = await start_bot(store=logs)
    fake.push(message("berapa biaya admin shopee?", user_id=65))
    await fake.wait(lambda f: len(to(f, 65)) == 1)
    assert first.updater is not None
    await first.updater.stop()
    await first.stop()
    await start_bot(store=logs)
    fake.push(message("kalau di Lazada gimana?", user_id=65))
    await fake.wait(lambda f: len(to(f, 65)) == 2)
    assert "Lazada" in to(fake, 65)[1].text
