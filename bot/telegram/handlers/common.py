"""Small helpers shared by handlers: the user's language and sending HTML safely."""

from __future__ import annotations

from telegram import (
    CallbackQuery,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    ReplyParameters,
    Update,
)
from telegram.constants import ParseMode

from bot.answer.models import Lang
from bot.telegram.context import BotContext

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


async def ui_lang(update: Update, context: BotContext) -> Lang:
    """The user's chosen language, else their Telegram language, else Indonesian."""
    user = update.effective_user
    if user is None:
        return context.services.settings.default_lang
    chosen = await context.services.state.language(user.id)
    if chosen:
        return chosen
    code = (user.language_code or "").lower()
    return "en" if code.startswith("en") else "id"


async def send_html(
    update: Update, context: BotContext, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Send one HTML message to the update's chat (replying to its message if any)."""
    chat = update.effective_chat
    if chat is None:
        return
    message = update.effective_message
    reply = None
    if message is not None and chat.type != "private":
        reply = ReplyParameters(message.message_id, allow_sending_without_reply=True)
    await context.bot.send_message(
        chat.id,
        text,
        parse_mode=ParseMode.HTML,
        reply_markup=markup,
        link_preview_options=NO_PREVIEW,
        reply_parameters=reply,
    )


def pressed_label(query: CallbackQuery) -> str | None:
    """The label of the pressed button, if the message still shows it (else it has expired)."""
    markup = getattr(query.message, "reply_markup", None)
    if query.data is None or not isinstance(markup, InlineKeyboardMarkup):
        return None
    for row in markup.inline_keyboard:
        for button in row:
            if button.callback_data == query.data:
                return button.text
    return None
