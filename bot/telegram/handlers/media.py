"""Stickers, photos, voice, documents, locations...: the bot reads text questions only."""

from __future__ import annotations

import html

from telegram import Update
from telegram.ext import Application, MessageHandler, filters

from bot.telegram.context import BotContext
from bot.telegram.handlers.common import send_html, ui_lang


async def not_text(update: Update, context: BotContext) -> None:
    """Say politely that only text questions are read (private chats only)."""
    chat = update.effective_chat
    if chat is None or chat.type != "private":
        return
    lang = await ui_lang(update, context)
    await send_html(update, context, html.escape(context.services.text(lang, "text_only")))


def register(app: Application) -> None:
    media = ~filters.TEXT & ~filters.StatusUpdate.ALL & filters.UpdateType.MESSAGES
    app.add_handler(MessageHandler(media, not_text))
