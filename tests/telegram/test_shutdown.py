"""SIGTERM while answering: the bot finishes what it fetched, and a restart repeats nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.telegram.fakebotapi import FakeBotAPI, message

KNOWLEDGE = Path(__file__).resolve().parent.parent / "fixtures" / "knowledge"


def start(fake: FakeBotAPI, data: Path, log: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADVISOR_")}
    env.update(
        {
            "ADVISOR_DATA_DIR": str(data),
            "ADVISOR_KNOWLEDGE_DIR": str(KNOWLEDGE),
            "ADVISOR_TELEGRAM_TOKEN": fake.token,
            "ADVISOR_TELEGRAM_API_URL": fake.base_url,
            "ADVISOR_RATE_LIMIT_MESSAGES": "1000",
        }
    )
    with log.open("ab") as out:
        proc = subprocess.Popen([sys.executable, "-m", "bot", "run"], stderr=out, env=env)
    deadline = time.monotonic() + 120
    while "is running" not in log.read_text(errors="replace"):
        assert proc.poll() is None, log.read_text(errors="replace")
        assert time.monotonic() < deadline, "the bot did not start"
        time.sleep(0.1)
    return proc


def answers(fake: FakeBotAPI, chat_id: int) -> list[str]:
    return [c.text for c in fake.sent() if c.chat_id == chat_id]


def test_sigterm_while_answering_loses_nothing_and_repeats_nothing(
    fake: FakeBotAPI, tmp_path: Path
) -> None:
    log = tmp_path / "bot.log"
    proc = start(fake, tmp_path / "data", log)
    fake.slow("sendMessage", 0.4)
    users = range(300, 312)
    last = max(fake.push(message("kapan tiktok shop tutup?", user_id=u)) for u in users)
    fake.wait_for(lambda f: f.delivered >= last and len(f.sent()) >= 1, timeout=30)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=60) == 0, log.read_text(errors="replace")
    assert [len(answers(fake, u)) for u in users] == [1] * len(users)

    proc = start(fake, tmp_path / "data", log)
    try:
        fake.slow("sendMessage", 0.0)
        fake.push(message("kapan tiktok shop tutup?", user_id=399))
        fake.wait_for(lambda f: len(answers(f, 399)) == 1, timeout=30)
        time.sleep(1.0)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
    assert [len(answers(fake, u)) for u in users] == [1] * len(users)
    assert "2023" in answers(fake, 399)[0]
    assert fake.token not in log.read_text(errors="replace")
