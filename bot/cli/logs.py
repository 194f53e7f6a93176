"""``advisor logs list|show|export|gaps|purge``: the conversation logs from a terminal."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import typer

from bot.cli import app, settings_of
from bot.knowledge.loader import load_topics
from bot.knowledge.model import KnowledgeError
from bot.settings import Settings
from bot.store.gaps import find_gaps, write_drafts
from bot.store.records import MessageFilter
from bot.store.store import LogStore, open_store

logs_app = typer.Typer(no_args_is_help=True, help="Conversation logs.")
app.add_typer(logs_app, name="logs")
DURATION = re.compile(r"(\d+)([dhw])")
UNITS = {"d": "days", "h": "hours", "w": "weeks"}


def open_logs(settings: Settings) -> LogStore:
    """The logs store of the settings, migrated."""
    return open_store(
        settings.resolved_database_url,
        settings.pseudonym_key.get_secret_value(),
        settings.low_confidence,
    )


def _date(value: str | None, option: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError as exc:
        raise typer.BadParameter("use YYYY-MM-DD", param_hint=option) from exc


def _filter(ctx: typer.Context) -> MessageFilter:
    p = ctx.params
    return MessageFilter(
        q=p["q"],
        lang=p["lang"],
        refused=True if p["refused"] else None,
        low_confidence=p["low"],
        thumbs_down=p["down"],
        handoff_open=p["handoff"],
        date_from=_date(p["since"], "--from"),
        date_to=_date(p["until"], "--to"),
    )


Q = typer.Option(None, "--search", help="Text in the question or answer")
SINCE = typer.Option(None, "--from", help="First day, YYYY-MM-DD (UTC)")
UNTIL = typer.Option(None, "--to", help="Last day, YYYY-MM-DD (UTC)")
LANG = typer.Option(None, "--lang", help="id or en")
REFUSED = typer.Option(False, "--refused", help="Only refused questions")
LOW = typer.Option(False, "--low-confidence", help="Only answers below ADVISOR_LOW_CONFIDENCE")
DOWN = typer.Option(False, "--thumbs-down", help="Only answers rated 👎")
HANDOFF = typer.Option(False, "--handoff-open", help="Only conversations with an operator")


@logs_app.command("list")
def list_(
    ctx: typer.Context,
    q: str | None = Q,
    since: str | None = SINCE,
    until: str | None = UNTIL,
    lang: str | None = LANG,
    refused: bool = REFUSED,
    low: bool = LOW,
    down: bool = DOWN,
    handoff: bool = HANDOFF,
    limit: int = typer.Option(50, help="How many, newest first"),
) -> None:
    """The latest questions with their outcome."""
    for r in open_logs(settings_of(ctx)).messages(_filter(ctx), limit):
        outcome = "REFUSED" if r.refused else f"{r.confidence:.2f}"
        vote = {1: " +1", -1: " -1"}.get(max(-1, min(1, r.feedback)), "")
        typer.echo(
            f"{r.created_at:%Y-%m-%d %H:%M} {r.conversation_id[:8]} [{r.lang}] "
            f"{outcome}{vote} {r.question[:80]}"
        )


@logs_app.command("show")
def show(ctx: typer.Context, conversation: str) -> None:
    """One conversation's transcript (id or unique prefix from ``logs list``)."""
    store = open_logs(settings_of(ctx))
    ids = store.conversation_ids(conversation)
    found = store.conversation(ids[0]) if len(ids) == 1 else None
    if found is None:
        typer.echo("error: no single conversation matches", err=True)
        raise typer.Exit(1)
    conv, rows, handoffs = found
    typer.echo(f"conversation {conv.id} (seller {conv.user_key[:8]})")
    for r in rows:
        typer.echo(f"[{r.created_at:%Y-%m-%d %H:%M}] seller: {r.question}")
        typer.echo(f"  advisor ({r.mode}, {r.confidence:.2f}): {r.answer}")
        for s in r.sources:
            typer.echo(f"    source: {s.get('title')} {s.get('url')}")
    for h in handoffs:
        typer.echo(f"handoff {h.status}, opened {h.opened_at:%Y-%m-%d %H:%M}")
        for n in h.notes:
            typer.echo(f"  {n.author}: {n.text}")


@logs_app.command("export")
def export(
    ctx: typer.Context,
    fmt: str = typer.Option("jsonl", "--format", help="jsonl or csv"),
    q: str | None = Q,
    since: str | None = SINCE,
    until: str | None = UNTIL,
    lang: str | None = LANG,
    refused: bool = REFUSED,
    low: bool = LOW,
    down: bool = DOWN,
    handoff: bool = HANDOFF,
) -> None:
    """Filtered messages as JSONL or CSV on standard output (the page's export)."""
    from bot.ops.exports import EXPORT_LIMIT, messages_csv, to_jsonl

    if fmt not in {"jsonl", "csv"}:
        raise typer.BadParameter("jsonl or csv", param_hint="--format")
    rows = open_logs(settings_of(ctx)).messages(_filter(ctx), EXPORT_LIMIT)
    typer.echo(messages_csv(rows) if fmt == "csv" else to_jsonl(rows), nl=False)


@logs_app.command("gaps")
def gaps(
    ctx: typer.Context,
    drafts: Path | None = typer.Option(None, "--drafts", help="Write one draft per group here"),
    fmt: str = typer.Option("text", "--format", help="text, jsonl or csv"),
) -> None:
    """Refused and low-confidence questions grouped by similarity, most frequent first."""
    from bot.ops.exports import gaps_csv, to_jsonl

    settings = settings_of(ctx)
    groups = find_gaps(open_logs(settings))
    if fmt == "jsonl":
        typer.echo(to_jsonl(groups), nl=False)
    elif fmt == "csv":
        typer.echo(gaps_csv(groups), nl=False)
    else:
        for g in groups:
            typer.echo(f"{g.count:>4}  [{g.lang}] {g.label}")
    if drafts is not None:
        try:
            known = set(load_topics(settings.knowledge_dir))
        except KnowledgeError:
            known = set()
        paths = write_drafts(groups, drafts, known)
        typer.echo(f"wrote {len(paths)} draft(s) to {drafts}", err=True)


def parse_age(text: str) -> dt.timedelta:
    """``90d``, ``12h`` or ``2w`` as a duration."""
    match = DURATION.fullmatch(text.strip())
    if not match:
        raise typer.BadParameter("use a number of days, hours or weeks, e.g. 90d, 12h, 2w")
    amount, unit = int(match.group(1)), match.group(2)
    return dt.timedelta(**{UNITS[unit]: amount})


@logs_app.command("purge")
def purge(
    ctx: typer.Context,
    older_than: str = typer.Option(..., "--older-than", help="e.g. 90d, 12h, 2w"),
) -> None:
    """Delete conversations idle for longer than the given age, with all their records."""
    removed = open_logs(settings_of(ctx)).purge(parse_age(older_than))
    typer.echo(f"purged {removed} conversation(s) older than {older_than}")
