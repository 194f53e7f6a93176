"""/start, /help and /topics, and the topic buttons."""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.telegram.context import BotContext
from bot.telegram.handlers.common import send_html, ui_lang
from bot.telegram.handlers.questions import answer_question

TOPIC_PREFIX = "topic:"


def topic_keyboard(context: BotContext, lang: str) -> InlineKeyboardMarkup:
    """One button per topic from ``prompts/<lang>/telegram.yaml``."""
    buttons = context.services.prompts.raw(lang, "telegram.topic_buttons")
    rows = [
        [InlineKeyboardButton(label, callback_data=f"{TOPIC_PREFIX}{key}")]
        for key, label in buttons
    ]
    return InlineKeyboardMarkup(rows)


async def start(update: Update, context: BotContext) -> None:
    """Greet in the user's language, say what the advisor does, offer topics."""
    lang = await ui_lang(update, context)
    user = update.effective_user
    name = f", {html.escape(user.first_name)}" if user and user.first_name else ""
    text = context.services.text(lang, "start", name=name)
    await send_html(update, context, text, topic_keyboard(context, lang))


async def help_command(update: Update, context: BotContext) -> None:
    """How to use the bot."""
    lang = await ui_lang(update, context)
    await send_html(update, context, html.escape(context.services.text(lang, "help")))


async def topics(update: Update, context: BotContext) -> None:
    """The topic keyboard on its own."""
    lang = await ui_lang(update, context)
    intro = html.escape(context.services.text(lang, "topics_intro"))
    await send_html(update, context, intro, topic_keyboard(context, lang))


async def topic_pressed(update: Update, context: BotContext) -> None:
    """A topic button asks the advisor that topic's question."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    await query.answer()
    lang = await ui_lang(update, context)
    key = query.data.removeprefix(TOPIC_PREFIX)
    questions = context.services.prompts.raw(lang, "telegram.topic_questions")
    if key in questions:
        await answer_question(update, context, questions[key])


def register(app: Application) -> None:
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("help", help_command))
    app.add_handler(CommandHandler("topics", topics))
    app.add_handler(CallbackQueryHandler(topic_pressed, pattern=f"^{TOPIC_PREFIX}"))
