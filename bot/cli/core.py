"""``advisor ask``, ``advisor chat`` and ``advisor index``: the advisor from a terminal."""

from __future__ import annotations

import json
import sys
from typing import Any

import typer

from bot.answer.models import Answer, Lang, Turn
from bot.cli import app, settings_of
from bot.runtime import Runtime, build_runtime


def _runtime(ctx: typer.Context) -> Runtime:
    return build_runtime(settings_of(ctx))


def answer_json(answer: Answer) -> dict[str, Any]:
    """The JSON shape of one answer for scripts."""
    return {
        "question": answer.question,
        "answer": answer.text,
        "lang": answer.lang,
        "refused": answer.refused,
        "confidence": answer.confidence,
        "sources": [{"id": s.id, "title": s.title, "url": s.url} for s in answer.sources],
        "followups": answer.followups,
        "as_of": answer.as_of.isoformat() if answer.as_of else None,
        "timings_ms": answer.timings.model_dump(),
    }


def _plain(runtime: Runtime, answer: Answer) -> str:
    prompts = runtime.prompts
    return answer.render_plain(
        prompts.raw(answer.lang, "answer.sources_label"),
        prompts.raw(answer.lang, "answer.followups_label"),
    )


@app.command()
def ask(
    ctx: typer.Context,
    question: str | None = typer.Argument(None, help="The question; omit with --json for stdin"),
    as_json: bool = typer.Option(False, "--json", help="Print JSON (one object per line)"),
    lang: str | None = typer.Option(None, help="Answer language: id or en (default: detect)"),
) -> None:
    """Ask one question (or, with --json and no question, one per line of standard input)."""
    if lang not in (None, "id", "en"):
        raise typer.BadParameter("lang must be 'id' or 'en'")
    chosen: Lang | None = "en" if lang == "en" else "id" if lang == "id" else None
    if question is None and not as_json:
        raise typer.BadParameter("give a question, or use --json to read questions from stdin")
    runtime = _runtime(ctx)
    if question is not None:
        answer = runtime.advisor.ask(question, lang=chosen)
        text = json.dumps(answer_json(answer), ensure_ascii=False) if as_json else None
        typer.echo(text or _plain(runtime, answer))
        return
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        if not any(ch.isalnum() for ch in line):
            typer.echo(json.dumps({"question": line, "error": "no question text"}))
            continue
        try:
            out = answer_json(runtime.advisor.ask(line, lang=chosen))
        except Exception as exc:  # one bad line must not stop the batch
            out = {"question": line, "error": f"{type(exc).__name__}: {exc}"}
        typer.echo(json.dumps(out, ensure_ascii=False))


@app.command()
def chat(ctx: typer.Context) -> None:
    """An interactive chat in the terminal, with history (empty line or Ctrl-D to quit)."""
    runtime = _runtime(ctx)
    history: list[Turn] = []
    keep = runtime.settings.history_turns
    while True:
        try:
            question = input("> ").strip()
        except EOFError:
            break
        if not question or question in {"/quit", "/exit"}:
            break
        answer = runtime.advisor.ask(question, history=history[-keep:])
        typer.echo(_plain(runtime, answer) + "\n")
        history.append(
            Turn(
                question=answer.standalone_question or question,
                answer=answer.text,
                lang=answer.lang,
            )
        )


@app.command()
def index(ctx: typer.Context) -> None:
    """Sync the index with the knowledge folder: only new or changed sections are embedded."""
    runtime = build_runtime(settings_of(ctx), sync_if_empty=False)

    def progress(done: int, total: int) -> None:
        if total > 32:
            typer.echo(f"embedding {done}/{total}", err=True)

    kb, report = runtime.sync(progress)
    for issue in kb.errors:
        typer.echo(f"error: {issue}", err=True)
    typer.echo(report.summary())
