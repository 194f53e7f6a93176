"""👍 / 👎 under an answer."""

from __future__ import annotations

import re

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler

from bot.telegram.context import BotContext
from bot.telegram.handlers import operators
from bot.telegram.handlers.common import pressed_label, ui_lang
from bot.telegram.handlers.questions import FEEDBACK_PREFIX

RECORD_KEY = re.compile(r"[0-9a-f]{32}")


async def feedback_pressed(update: Update, context: BotContext) -> None:
    """Record the rating, thank the seller, and take the rating buttons away."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    services = context.services
    lang = await ui_lang(update, context)
    sign, _, key = query.data.removeprefix(FEEDBACK_PREFIX).partition(":")
    if pressed_label(query) is None:
        await query.answer(services.text(lang, "feedback_expired"))
        return
    record_key = key if RECORD_KEY.fullmatch(key) else None
    if services.recorder is not None and record_key is not None:
        await services.recorder.record_feedback(record_key, 1 if sign == "+" else -1)
    await query.answer(services.text(lang, "feedback_thanks"))
    if sign == "-" and query.message is not None:
        await operators.post_for_review(context, "thumbs_down", record_key, query.message.chat.id)
    message = query.message
    markup = getattr(message, "reply_markup", None)
    if isinstance(markup, InlineKeyboardMarkup):
        rows = [
            row
            for row in markup.inline_keyboard
            if not any(str(b.callback_data or "").startswith(FEEDBACK_PREFIX) for b in row)
        ]
        await query.edit_message_reply_markup(InlineKeyboardMarkup(rows))


def register(app: Application) -> None:
    app.add_handler(CallbackQueryHandler(feedback_pressed, pattern=f"^{FEEDBACK_PREFIX}"))
