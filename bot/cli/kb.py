"""``advisor kb check``: validate the knowledge folder, naming file, line and field."""

from __future__ import annotations

import typer

from bot.cli import kb_app, settings_of
from bot.knowledge import KnowledgeError, load_knowledge


@kb_app.command("check")
def check(ctx: typer.Context) -> None:
    """Report errors (exit 1) and warnings in the knowledge folder."""
    settings = settings_of(ctx)
    try:
        kb = load_knowledge(settings.knowledge_dir)
    except KnowledgeError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    for issue in kb.errors:
        typer.echo(f"error: {issue}")
    for issue in kb.warnings:
        typer.echo(f"warning: {issue}")
    typer.echo(
        f"{len(kb.documents)} documents ok, {len(kb.errors)} errors, {len(kb.warnings)} warnings"
    )
    if kb.errors:
        raise typer.Exit(1)
