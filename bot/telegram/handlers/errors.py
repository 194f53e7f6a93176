"""One error handler: log with the update id, apologise to the seller, never show details."""

from __future__ import annotations

import html
import logging

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application

from bot.telegram.context import BotContext
from bot.telegram.handlers.common import send_html, ui_lang

log = logging.getLogger(__name__)


async def on_error(update: object, context: BotContext) -> None:
    """Log the failure (no message text, no token) and send a fixed apology."""
    update_id = update.update_id if isinstance(update, Update) else None
    log.error("error while handling update %s", update_id, exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    try:
        lang = await ui_lang(update, context)
        await send_html(update, context, html.escape(context.services.text(lang, "error")))
    except TelegramError:
        log.warning("could not send the apology for update %s", update_id)


def register(app: Application) -> None:
    app.add_error_handler(on_error)
