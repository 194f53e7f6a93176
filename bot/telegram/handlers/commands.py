"""/lang, /reset and /human."""

from __future__ import annotations

import asyncio
import html
import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.answer.models import Lang
from bot.telegram.context import BotContext
from bot.telegram.handlers.common import send_html, ui_lang

log = logging.getLogger(__name__)
LANG_PREFIX = "lang:"


async def lang_command(update: Update, context: BotContext) -> None:
    """``/lang`` switches language; ``/lang en`` or ``/lang id`` sets it directly."""
    if context.args and context.args[0].lower() in {"id", "en"}:
        await _set_lang(update, context, "en" if context.args[0].lower() == "en" else "id")
        return
    current = await ui_lang(update, context)
    await _set_lang(update, context, "id" if current == "en" else "en")


async def lang_pressed(update: Update, context: BotContext) -> None:
    """A language button."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    await query.answer()
    await _set_lang(update, context, "en" if query.data.endswith("en") else "id")


async def _set_lang(update: Update, context: BotContext, lang: Lang) -> None:
    user = update.effective_user
    if user is None:
        return
    await context.services.state.set_language(user.id, lang)
    buttons = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("🇮🇩 Indonesia", callback_data=f"{LANG_PREFIX}id"),
                InlineKeyboardButton("🇬🇧 English", callback_data=f"{LANG_PREFIX}en"),
            ]
        ]
    )
    await send_html(update, context, html.escape(context.services.text(lang, "lang_set")), buttons)


async def reset(update: Update, context: BotContext) -> None:
    """Forget this user's conversation history in this chat."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:
        return
    await context.services.state.reset(chat.id, user.id)
    lang = await ui_lang(update, context)
    await send_html(update, context, html.escape(context.services.text(lang, "reset_done")))


async def human(update: Update, context: BotContext) -> None:
    """Ask for an operator: notify the operators' chat when one is configured."""
    services, chat, user = context.services, update.effective_chat, update.effective_user
    if chat is None or user is None:
        return
    lang = await ui_lang(update, context)
    operators = services.settings.operator_chat_id
    if operators is None:
        await send_html(update, context, html.escape(services.text(lang, "human_unavailable")))
        return
    if services.store is not None:
        await asyncio.to_thread(services.store.open_handoff, chat.id, user.id)
    history = await services.state.history(chat.id, user.id)
    last = history[-1].question if history else "-"
    notice = services.text("id", "operator_notice", chat_id=chat.id, question=last)
    await context.bot.send_message(operators, html.escape(notice), parse_mode="HTML")
    log.info("handoff requested in chat %s", chat.id)
    await send_html(update, context, html.escape(services.text(lang, "human_requested")))


def register(app: Application) -> None:
    app.add_handler(CommandHandler("lang", lang_command))
    app.add_handler(CallbackQueryHandler(lang_pressed, pattern=f"^{LANG_PREFIX}"))
    app.add_handler(CommandHandler("reset", reset))
    app.add_handler(CommandHandler("human", human))
