"""Human handoff and review by operators in their Telegram chat.

While a seller's handoff is open, their messages go to the operators' chat instead of the
advisor. An operator answers by replying to one of the bot's messages about that chat (the
message names ``chat <id>``); ``/done`` in such a reply hands the seller back to the advisor.
"""

from __future__ import annotations

import asyncio
import html
import logging
import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

from bot.telegram.context import BotContext, Services
from bot.telegram.handlers.common import send_html, ui_lang

log = logging.getLogger(__name__)
REVIEW_PREFIX = "op:"
CHAT_REF = re.compile(r"(?i)\bchat:? (-?\d+)")


async def forward_if_handed_off(update: Update, context: BotContext, text: str) -> bool:
    """True (and the message forwarded to operators) when the seller is with an operator."""
    services, chat = context.services, update.effective_chat
    operators = services.settings.operator_chat_id
    if services.store is None or operators is None or chat is None:
        return False
    handoff = await asyncio.to_thread(services.store.open_handoff_of, chat.id)
    if handoff is None:
        return False
    note = services.text("id", "handoff_forward", chat_id=chat.id, text=text)
    await context.bot.send_message(operators, html.escape(note), parse_mode="HTML")
    await asyncio.to_thread(services.store.add_note, handoff.id, "seller", text)
    lang = await ui_lang(update, context)
    await send_html(update, context, html.escape(services.text(lang, "handoff_waiting")))
    return True


async def _exchange(services: Services, record_key: str) -> tuple[str, str] | None:
    """Question and answer behind a record key: this replica's memory, else the logs store.

    The store is what makes a 👎 pressed on another replica (or after a restart) reviewable.
    """
    if record_key in services.exchanges:
        _, _, question, answer = services.exchanges[record_key]
        return question, answer
    if services.store is None:
        return None
    return await asyncio.to_thread(services.store.exchange, record_key)


async def post_for_review(
    context: BotContext, kind: str, record_key: str | None, chat_id: int
) -> None:
    """Send a 👎 answer or a refused question to the operators' chat with review buttons."""
    services = context.services
    operators = services.settings.operator_chat_id
    if operators is None or record_key is None:
        return
    found = await _exchange(services, record_key)
    if found is None:
        return
    question, answer = found
    text = services.text(
        "id",
        "review_item",
        kind=services.text("id", f"review_{kind}"),
        chat_id=chat_id,
        question=question,
        answer=answer[:300],
    )
    buttons = [
        InlineKeyboardButton(label, callback_data=f"{REVIEW_PREFIX}{verdict}:{record_key}")
        for verdict, label in services.prompts.raw("id", "telegram.review_buttons")
    ]
    await context.bot.send_message(
        operators,
        html.escape(text),
        parse_mode="HTML",
        reply_markup=InlineKeyboardMarkup([buttons]),
    )


def _seller_of(services: Services, record_key: str, review_text: str) -> tuple[int, int] | None:
    """(chat, user) a review post is about: remembered here, else the post's ``chat <id>``."""
    if record_key in services.exchanges:
        chat_id, user_id, _, _ = services.exchanges[record_key]
        return chat_id, user_id
    ref = CHAT_REF.search(review_text)
    return None if ref is None else (int(ref.group(1)), int(ref.group(1)))


async def review_pressed(update: Update, context: BotContext) -> None:
    """An operator's verdict on an answer: gap, fine, or take over the conversation."""
    query, user, services = update.callback_query, update.effective_user, context.services
    if query is None or query.data is None or user is None:
        return
    if not services.is_operator(user.id) or services.store is None:
        await query.answer(services.text("id", "review_denied"))
        return
    verdict, _, key = query.data.removeprefix(REVIEW_PREFIX).partition(":")
    if verdict in {"gap", "fine"}:
        value = -1 if verdict == "gap" else 1
        await asyncio.to_thread(services.store.record_feedback, key, value, "operator", verdict)
    elif verdict == "take":
        seller = _seller_of(services, key, getattr(query.message, "text", None) or "")
        if seller is not None:
            await asyncio.to_thread(services.store.open_handoff, *seller)
            await context.bot.send_message(seller[0], services.text("id", "operator_joined"))
    await query.answer(services.text("id", "review_done", verdict=verdict))


async def operator_reply(update: Update, context: BotContext) -> None:
    """A reply in the operators' chat goes to the seller it is about (``/done`` ends it)."""
    message, user, services = update.effective_message, update.effective_user, context.services
    replied = message.reply_to_message if message else None
    if message is None or user is None or replied is None or services.store is None:
        return
    ref = CHAT_REF.search(replied.text or "")
    if ref is None or (services.settings.operator_ids and not services.is_operator(user.id)):
        return
    chat_id, text = int(ref.group(1)), (message.text or "").strip()
    handoff = await asyncio.to_thread(services.store.open_handoff_of, chat_id)
    if text.split("@")[0] == "/done":
        if handoff is not None:
            await asyncio.to_thread(services.store.close_handoff, handoff.id)
            await context.bot.send_message(chat_id, services.text("id", "advisor_back"))
        return
    if handoff is None:
        await asyncio.to_thread(services.store.open_handoff, chat_id, chat_id)
        handoff = await asyncio.to_thread(services.store.open_handoff_of, chat_id)
    if handoff is not None and not any(n.author == "operator" for n in handoff.notes):
        await context.bot.send_message(chat_id, services.text("id", "operator_joined"))
    await context.bot.send_message(chat_id, services.text("id", "operator_reply", text=text))
    if handoff is not None:
        await asyncio.to_thread(services.store.add_note, handoff.id, "operator", text)


def register(app: Application) -> None:
    app.add_handler(CallbackQueryHandler(review_pressed, pattern=f"^{REVIEW_PREFIX}"))
    services = app.bot_data["services"]
    operators = services.settings.operator_chat_id
    if operators is not None:
        chat = filters.Chat(chat_id=operators) & filters.REPLY & filters.TEXT
        app.add_handler(MessageHandler(chat, operator_reply))
