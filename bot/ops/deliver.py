"""Sending an operator's reply from the page to the seller, through the Bot API."""

from __future__ import annotations

from telegram import Bot

from bot.ops.app import Deliver
from bot.settings import Settings


def telegram_delivery(settings: Settings) -> Deliver | None:
    """A sender when a bot token is configured; None otherwise (replies are refused)."""
    if settings.telegram_token is None:
        return None
    bot = Bot(settings.telegram_token.get_secret_value(), base_url=settings.telegram_api_url)

    async def deliver(chat_id: int, text: str) -> None:
        async with bot:
            await bot.send_message(chat_id, f"👤 {text}")

    return deliver
