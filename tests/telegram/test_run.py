"""``advisor run`` start-up errors, and webhook mode's secret-token check."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from bot.runtime import Runtime
from bot.telegram.app import build_application
from tests.conftest import make_settings
from tests.integration.conftest import free_port
from tests.telegram.fakebotapi import FakeBotAPI, message


def run(env_extra: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADVISOR_")}
    env.update({"ADVISOR_DATA_DIR": str(tmp_path), **env_extra})
    return subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_missing_token_is_one_line_and_non_zero(tmp_path: Path) -> None:
    done = run({}, tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip() == "error: ADVISOR_TELEGRAM_TOKEN is not set"


def test_rejected_token_is_one_line_and_non_zero(fake: FakeBotAPI, tmp_path: Path) -> None:
    done = run(
        {"ADVISOR_TELEGRAM_TOKEN": "999:WRONG-token", "ADVISOR_TELEGRAM_API_URL": fake.base_url},
        tmp_path,
    )
    assert done.returncode == 1
    assert done.stderr.strip() == "error: Telegram rejected the bot token"
    assert "WRONG-token" not in done.stdout + done.stderr


def test_unreachable_api_is_one_line(tmp_path: Path) -> None:
    port = free_port()
    done = run(
        {
            "ADVISOR_TELEGRAM_TOKEN": "1:x",
            "ADVISOR_TELEGRAM_API_URL": f"http://127.0.0.1:{port}/bot",
        },
        tmp_path,
    )
    assert done.returncode == 1
    assert done.stderr.strip().startswith("error: cannot reach the Telegram Bot API")


async def test_webhook_checks_the_secret_token(
    fake: FakeBotAPI, runtime: Runtime, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    port = free_port()
    settings = make_settings(tmp_path, telegram_token=fake.token, telegram_api_url=fake.base_url)
    app = build_application(settings, runtime.advisor, runtime.prompts)
    await app.initialize()
    await app.start()
    assert app.updater is not None
    url = f"http://127.0.0.1:{port}/telegram"
    await app.updater.start_webhook(
        listen="127.0.0.1",
        port=port,
        url_path="telegram",
        webhook_url=url,
        secret_token="s3cret-Token",
    )
    try:
        update = {"update_id": 77, **message("kapan tiktok shop tutup?", user_id=51)}
        secret = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-Token"}
        unreadable = {"update_id": 76, "message": {"text": "rahasia 081234567890"}}
        async with httpx.AsyncClient() as client:
            await client.post(url, json=unreadable, headers=secret)
            denied = await client.post(url, json=update)
            wrong = await client.post(
                url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "nope"}
            )
            ok = await client.post(
                url,
                content=json.dumps(update),
                headers={
                    "X-Telegram-Bot-Api-Secret-Token": "s3cret-Token",
                    "Content-Type": "application/json",
                },
            )
        assert denied.status_code == 403
        assert wrong.status_code == 403
        assert ok.status_code == 200
        await fake.wait(lambda f: len([c for c in f.sent() if c.chat_id == 51]) == 1)
        assert [c.params.get("secret_token") for c in fake.sent("setWebhook")] == ["s3cret-Token"]
        assert "webhook payload not logged (unreadable update dropped)" in caplog.text
        assert "rahasia" not in caplog.text and "kapan tiktok" not in caplog.text
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


@pytest.mark.usefixtures("bot")
async def test_token_never_logged(fake: FakeBotAPI, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    fake.push(message("kapan tiktok shop tutup?", user_id=52))
    await fake.wait(lambda f: any(c.chat_id == 52 for c in f.sent()))
    assert caplog.records
    assert fake.token not in caplog.text
    assert fake.token.split(":")[1] not in caplog.text


def test_every_configured_secret_is_redacted_from_logs(
    fake: FakeBotAPI, runtime: Runtime, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    secrets = {"webhook_secret": "hook-S3cret", "ops_password": "ops-Passw0rd"}
    settings = make_settings(
        tmp_path, telegram_token=fake.token, telegram_api_url=fake.base_url, **secrets
    )
    build_application(settings, runtime.advisor, runtime.prompts)
    caplog.set_level(logging.INFO)
    logging.getLogger("anything").info("posted %s with %s", "hook-S3cret", {"p": "ops-Passw0rd"})
    assert "hook-S3cret" not in caplog.text and "ops-Passw0rd" not in caplog.text
    assert "posted <secret> with {'p': '<secret>'}" in caplog.text
