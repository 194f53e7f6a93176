"""Builds the python-telegram-bot Application: the one place the bot is wired."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from telegram import BotCommand
from telegram.ext import Application, ApplicationBuilder, ContextTypes

from bot.conversation import ConversationState, FloodControl
from bot.prompts import PromptBook
from bot.settings import Settings
from bot.store.store import LogStore
from bot.telegram.context import SERVICES, AskAdvisor, BotContext, Recorder, Services
from bot.telegram.handlers import (
    commands,
    errors,
    feedback,
    media,
    operators,
    questions,
    start,
)
from bot.telegram.memory import InMemoryState
from bot.telegram.ratelimit import RateLimiter
from bot.telegram.sending import ResilientRateLimiter
from bot.telegram.updates import build_bot

RETRY_TASK = "recorder_retry_task"
COMMANDS = ("start", "help", "topics", "lang", "reset", "human")


def protect_logs(*secrets: str) -> None:
    """No configured secret in any log line: redacted when a record is created, by anyone.

    A record factory (rather than a handler filter) also covers handlers added later, and
    httpx, which logs request URLs (and so the token) at INFO, is kept at WARNING.
    """
    logging.getLogger("httpx").setLevel(logging.WARNING)
    hidden = tuple(s for s in secrets if s)
    previous = logging.getLogRecordFactory()
    if getattr(previous, "redacts", None) == hidden:
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        texts = [str(record.msg), *(str(a) for a in record.args or ())]
        if any(secret in text for secret in hidden for text in texts):
            message = record.getMessage()
            for secret in hidden:
                message = message.replace(secret, "<secret>")
            record.msg, record.args = message, ()
        return record

    factory.redacts = hidden  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)


class _NoRawUpdates(logging.Filter):
    """python-telegram-bot's webhook server logs a payload it cannot parse, user text and all
    (CRITICAL), and every payload at DEBUG; keep the event, drop the content."""

    def filter(self, record: logging.LogRecord) -> bool:
        text = str(record.msg)
        if "Received data was" in text or text.startswith("Webhook received data"):
            record.msg = "webhook payload not logged (%s)"
            record.args = (
                "unreadable update dropped" if record.levelno > logging.DEBUG else "received",
            )
        return True


def quiet_raw_updates() -> None:
    updater_log = logging.getLogger("telegram.ext.Updater")
    if not any(isinstance(f, _NoRawUpdates) for f in updater_log.filters):
        updater_log.addFilter(_NoRawUpdates())


def build_application(
    settings: Settings,
    advisor: AskAdvisor,
    prompts: PromptBook,
    *,
    state: ConversationState | None = None,
    recorder: Recorder | None = None,
    store: LogStore | None = None,
    limiter: FloodControl | None = None,
) -> Application[Any, Any, Any, Any, Any, Any]:
    """The bot, with its dependencies in ``bot_data`` and handlers registered in order."""
    if settings.telegram_token is None:
        raise ValueError("ADVISOR_TELEGRAM_TOKEN is not set")
    token = settings.telegram_token.get_secret_value()
    protect_logs(*settings.secrets())
    quiet_raw_updates()
    app = (
        ApplicationBuilder()
        .bot(
            build_bot(
                token,
                settings.telegram_api_url,
                settings.telegram_file_url,
                ResilientRateLimiter(settings.telegram_max_rate, settings.telegram_retry_seconds),
            )
        )
        .context_types(ContextTypes(context=BotContext))
        .concurrent_updates(settings.telegram_concurrency)
        .post_init(_post_init)
        .post_stop(_post_stop)
        .build()
    )
    app.bot_data[SERVICES] = Services(
        settings=settings,
        advisor=advisor,
        prompts=prompts,
        state=state or InMemoryState(settings.history_turns),
        limiter=limiter or RateLimiter(settings.rate_limit_messages, settings.rate_limit_seconds),
        recorder=recorder,
        store=store,
    )
    for module in (start, commands, feedback, operators, questions, media, errors):
        module.register(app)
    questions.register_catch_all(app)
    return app


async def _post_init(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Publish the command menu and start retrying buffered log records."""
    await app.bot.set_my_commands([BotCommand(c, f"/{c}") for c in COMMANDS])
    recorder = app.bot_data[SERVICES].recorder
    if recorder is not None:
        # not app.create_task: the application waits for those tasks to end when it stops
        app.bot_data[RETRY_TASK] = asyncio.get_running_loop().create_task(recorder.run())


async def _post_stop(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Every update is handled by now: write the log records still buffered."""
    task = app.bot_data.pop(RETRY_TASK, None)
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    recorder = app.bot_data[SERVICES].recorder
    if recorder is not None:
        await recorder.aclose()
