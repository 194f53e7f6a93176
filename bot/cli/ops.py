"""``advisor ops``: serve the operators' review page."""

from __future__ import annotations

import typer

from bot.cli import app, settings_of
from bot.cli.logs import open_logs


@app.command()
def ops(
    ctx: typer.Context,
    login_link: bool = typer.Option(
        False, "--login-link", help="Print a one-time login link (valid 2 minutes) first"
    ),
) -> None:
    """Serve the operators' review page (127.0.0.1:8080 by default)."""
    import uvicorn

    from bot.ops.app import create_app
    from bot.ops.deliver import telegram_delivery

    settings = settings_of(ctx)
    if settings.ops_password is None:
        typer.echo("error: set ADVISOR_OPS_PASSWORD to serve the review page", err=True)
        raise typer.Exit(2)
    web = create_app(settings, open_logs(settings), telegram_delivery(settings))
    if login_link:
        token = web.state.ops.signer.login_link_token()
        typer.echo(f"http://{settings.ops_host}:{settings.ops_port}/login/token?t={token}")
    uvicorn.run(web, host=settings.ops_host, port=settings.ops_port, log_level="warning")
