"""Text messages are questions: typing indicator, the advisor, the answer with buttons."""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import secrets
import time

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatAction, ChatType
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

from bot.answer.models import Answer, Turn
from bot.conversation import Verdict
from bot.telegram.context import BotContext
from bot.telegram.handlers import operators
from bot.telegram.handlers.common import pressed_label, send_html, ui_lang
from bot.telegram.render import answer_blocks, split_blocks

log = logging.getLogger(__name__)
FOLLOWUP_PREFIX = "ask:"
FEEDBACK_PREFIX = "fb:"


def addressed_text(message: Message, bot_username: str, bot_id: int) -> str | None:
    """The question in a message, or None when a group message is not meant for the bot."""
    text = message.text or ""
    if message.chat.type == "private":
        return text
    mention = f"@{bot_username}".lower()
    if mention in text.lower():
        start = text.lower().index(mention)
        return (text[:start] + text[start + len(mention) :]).strip()
    replied = message.reply_to_message
    if replied and replied.from_user and replied.from_user.id == bot_id:
        return text
    return None


async def on_text(update: Update, context: BotContext) -> None:
    """Answer a text message (new or edited), respecting groups and the flood limit."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    text = addressed_text(message, context.bot.username, context.bot.id)
    if text is None:
        return
    verdict = await context.services.limiter.verdict(user.id)
    if verdict is not Verdict.ALLOW:
        if verdict is Verdict.WARN:
            await send_html(
                update,
                context,
                html.escape(context.services.text(await ui_lang(update, context), "slow_down")),
            )
        return
    await answer_question(update, context, text)


async def answer_question(update: Update, context: BotContext, question: str) -> None:
    """Ask the advisor (off the event loop) and send the answer with its buttons."""
    services, chat, user = context.services, update.effective_chat, update.effective_user
    if chat is None or user is None:
        return
    lang = await ui_lang(update, context)
    if not any(ch.isalnum() for ch in question):
        await send_html(update, context, html.escape(services.text(lang, "empty")))
        return
    if await operators.forward_if_handed_off(update, context, question):
        return
    history = await services.state.history(chat.id, user.id)
    chosen = await services.state.language(user.id)
    started = time.perf_counter()
    done = asyncio.Event()
    typing = context.application.create_task(keep_typing(context, chat.id, done))
    try:
        answer = await asyncio.to_thread(
            services.advisor.ask, question, history[-services.settings.history_turns :], chosen
        )
    finally:
        done.set()
        await typing
    latency = (time.perf_counter() - started) * 1e3
    await services.state.remember(
        chat.id,
        user.id,
        Turn(
            question=answer.standalone_question or question, answer=answer.text, lang=answer.lang
        ),
    )
    key = None
    if services.recorder is not None:
        key = await services.recorder.record_exchange(chat.id, user.id, question, answer, latency)
        if key is not None:
            services.remember(services.exchanges, key, (chat.id, user.id, question, answer.text))
    await send_answer(update, context, answer, key)
    if answer.refused:
        await operators.post_for_review(context, "refused", key, chat.id)


async def keep_typing(context: BotContext, chat_id: int, done: asyncio.Event) -> None:
    """Show "typing..." until the answer is ready (Telegram clears it after about 5 s).

    Cosmetic: when Telegram refuses it, the answer still goes out.
    """
    interval = context.services.settings.typing_interval
    while not done.is_set():
        try:
            await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
        except TelegramError as exc:
            log.info("typing indicator not sent: %s", type(exc).__name__)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), interval)


async def send_answer(
    update: Update, context: BotContext, answer: Answer, record_key: str | None
) -> None:
    """The answer as HTML messages; the buttons go under the last one."""
    services = context.services
    label = services.text(answer.lang, "sources_label")
    messages = split_blocks(answer_blocks(answer, label))
    for i, text in enumerate(messages):
        last = i == len(messages) - 1
        markup = answer_keyboard(answer, record_key) if last else None
        await send_html(update, context, text, markup)


def answer_keyboard(answer: Answer, record_key: str | None) -> InlineKeyboardMarkup:
    """👍/👎 (not for refusals) and one button per suggested follow-up question.

    The buttons carry everything their press needs (the log record's id, the question as the
    label), so any replica, or the bot after a restart, can handle the press.
    """
    rows = []
    if not answer.refused:
        key = record_key or secrets.token_hex(8)
        rows.append(
            [
                InlineKeyboardButton("👍", callback_data=f"{FEEDBACK_PREFIX}+:{key}"),
                InlineKeyboardButton("👎", callback_data=f"{FEEDBACK_PREFIX}-:{key}"),
            ]
        )
    rows += [
        [InlineKeyboardButton(question, callback_data=f"{FOLLOWUP_PREFIX}{i}")]
        for i, question in enumerate(answer.followups[:3])
    ]
    return InlineKeyboardMarkup(rows)


async def followup_pressed(update: Update, context: BotContext) -> None:
    """A follow-up button asks its question."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    question = pressed_label(query)
    lang = await ui_lang(update, context)
    if question is None:
        await query.answer(context.services.text(lang, "feedback_expired"))
        return
    await query.answer()
    await answer_question(update, context, question)


def register(app: Application) -> None:
    app.add_handler(CallbackQueryHandler(followup_pressed, pattern=f"^{FOLLOWUP_PREFIX}"))


async def unknown_command(update: Update, context: BotContext) -> None:
    """A command the bot does not have: point to /help (in groups, only if it was meant for us)."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    command = message.text.split(maxsplit=1)[0]
    _, at, target = command.partition("@")
    private = message.chat.type == ChatType.PRIVATE
    if not private and (not at or target.lower() != (context.bot.username or "").lower()):
        return
    lang = await ui_lang(update, context)
    await send_html(update, context, html.escape(context.services.text(lang, "unknown_command")))


def register_catch_all(app: Application) -> None:
    """Registered last: every text message not handled by a command."""
    text = filters.TEXT & ~filters.COMMAND
    app.add_handler(MessageHandler(filters.COMMAND & filters.UpdateType.MESSAGES, unknown_command))
    app.add_handler(MessageHandler(text & filters.UpdateType.MESSAGES, on_text))
