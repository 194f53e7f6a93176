"""``advisor run``: the Telegram bot, by long polling or behind a webhook."""

from __future__ import annotations

import asyncio

import typer
from telegram import Bot
from telegram.error import InvalidToken, NetworkError, TelegramError

from bot.cli import app, settings_of
from bot.runtime import build_runtime
from bot.settings import Settings
from bot.store.recorder import LogRecorder
from bot.store.state import SharedRateLimiter, StoredState
from bot.store.store import open_store
from bot.telegram.app import build_application, protect_logs


async def _check_token(settings: Settings) -> str:
    """The bot's username, or an exception when Telegram rejects the token."""
    assert settings.telegram_token is not None
    bot = Bot(settings.telegram_token.get_secret_value(), base_url=settings.telegram_api_url)
    async with bot:
        return bot.username


@app.command()
def run(
    ctx: typer.Context,
    webhook: bool = typer.Option(False, "--webhook", help="Receive updates on a webhook"),
) -> None:
    """Run the Telegram bot (long polling by default)."""
    settings = settings_of(ctx)
    if settings.telegram_token is None:
        typer.echo("error: ADVISOR_TELEGRAM_TOKEN is not set", err=True)
        raise typer.Exit(2)
    protect_logs(*settings.secrets())
    try:
        username = asyncio.run(_check_token(settings))
    except InvalidToken as exc:
        typer.echo("error: Telegram rejected the bot token", err=True)
        raise typer.Exit(1) from exc
    except (NetworkError, TelegramError) as exc:
        typer.echo(f"error: cannot reach the Telegram Bot API: {type(exc).__name__}", err=True)
        raise typer.Exit(1) from exc
    if webhook and (settings.webhook_url is None or settings.webhook_secret is None):
        typer.echo(
            "error: --webhook needs ADVISOR_WEBHOOK_URL and ADVISOR_WEBHOOK_SECRET", err=True
        )
        raise typer.Exit(2)
    if settings.pseudonym_key.get_secret_value() == "change-me":
        typer.echo(
            "warning: ADVISOR_PSEUDONYM_KEY is the default; set a secret of your own", err=True
        )
    runtime = build_runtime(settings)
    store = open_store(
        settings.resolved_database_url,
        settings.pseudonym_key.get_secret_value(),
        settings.low_confidence,
    )
    application = build_application(
        settings,
        runtime.advisor,
        runtime.prompts,
        state=StoredState(store, settings.history_turns),
        recorder=LogRecorder(store, settings.log_buffer_size, settings.log_retry_seconds),
        store=store,
        limiter=SharedRateLimiter(
            store, settings.rate_limit_messages, settings.rate_limit_seconds
        ),
    )
    typer.echo(f"@{username} is running ({'webhook' if webhook else 'polling'})", err=True)
    if webhook and settings.webhook_secret is not None:
        application.run_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path=settings.webhook_path,
            webhook_url=settings.webhook_url,
            secret_token=settings.webhook_secret.get_secret_value(),
        )
    else:
        application.run_polling()
