"""The ``advisor`` command line. Each sub-module registers its commands on ``app``."""

from __future__ import annotations

import logging

import typer

from bot.settings import Settings

app = typer.Typer(no_args_is_help=True, add_completion=False, help="Seller Advisor")
kb_app = typer.Typer(no_args_is_help=True, help="Check the knowledge folder.")
app.add_typer(kb_app, name="kb")


@app.callback()
def _root(ctx: typer.Context, verbose: bool = typer.Option(False, "--verbose", "-v")) -> None:
    """Build the settings once for every command."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for noisy in ("chromadb", "httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    if ctx.obj is None:
        ctx.obj = Settings()


def settings_of(ctx: typer.Context) -> Settings:
    settings = ctx.obj
    assert isinstance(settings, Settings)
    return settings


def get_app() -> typer.Typer:
    """The app with every command registered (sub-modules register themselves on import)."""
    from bot.cli import core, evaluate, kb, logs, ops, telegram  # noqa: F401

    return app


def main() -> None:
    get_app()()
