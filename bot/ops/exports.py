"""Exports (CSV, JSONL) of a filtered view and of the knowledge gaps, and the JSON API."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.responses import Response
from pydantic import BaseModel

from bot.ops.app import Ops, ops_of
from bot.ops.views import parse_filter
from bot.store.gaps import GapGroup, find_gaps
from bot.store.records import Dashboard, MessageRow

EXPORT_LIMIT = 1_000_000
MESSAGE_FIELDS = (
    "id",
    "created_at",
    "conversation_id",
    "lang",
    "question",
    "answer",
    "refused",
    "confidence",
    "mode",
    "latency_ms",
    "feedback",
    "topics",
    "sources",
)
GAP_FIELDS = ("count", "lang", "label", "topics", "last_asked", "questions")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    """A CSV cell; text a spreadsheet would run as a formula is prefixed with a quote."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def messages_csv(rows: Iterable[MessageRow]) -> str:
    """Messages as CSV: topics and source URLs space-separated."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(MESSAGE_FIELDS)
    for r in rows:
        data = r.model_dump(mode="json")
        data["topics"] = " ".join(r.topics)
        data["sources"] = " ".join(str(s.get("url", "")) for s in r.sources)
        writer.writerow([_cell(data[f]) for f in MESSAGE_FIELDS])
    return out.getvalue()


def gaps_csv(groups: Iterable[GapGroup]) -> str:
    """Gap groups as CSV: questions separated by `` | ``."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(GAP_FIELDS)
    for g in groups:
        data = g.model_dump(mode="json")
        data["topics"] = " ".join(g.topics)
        data["questions"] = " | ".join(g.questions)
        writer.writerow([_cell(data[f]) for f in GAP_FIELDS])
    return out.getvalue()


def to_jsonl(items: Iterable[BaseModel]) -> str:
    """One JSON object per line."""
    return "".join(json.dumps(i.model_dump(mode="json"), ensure_ascii=False) + "\n" for i in items)


def _download(body: str, media_type: str, filename: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(body, media_type=media_type, headers=headers)


def register(app: FastAPI) -> None:
    """Add the ``/export/*`` downloads and the ``/api/*`` JSON routes."""

    async def rows(request: Request, ops: Ops, limit: int) -> list[MessageRow]:
        found: list[MessageRow] = await ops.run(
            ops.store.messages, parse_filter(request.query_params), limit
        )
        return found

    @app.get("/export/messages.csv")
    async def export_csv(request: Request, ops: Ops = Depends(ops_of)) -> Response:
        """The filtered messages as CSV."""
        body = messages_csv(await rows(request, ops, EXPORT_LIMIT))
        return _download(body, "text/csv; charset=utf-8", "messages.csv")

    @app.get("/export/messages.jsonl")
    async def export_jsonl(request: Request, ops: Ops = Depends(ops_of)) -> Response:
        """The filtered messages as JSON lines."""
        body = to_jsonl(await rows(request, ops, EXPORT_LIMIT))
        return _download(body, "application/x-ndjson", "messages.jsonl")

    @app.get("/export/gaps.csv")
    async def export_gaps_csv(ops: Ops = Depends(ops_of)) -> Response:
        """The knowledge gaps as CSV."""
        body = gaps_csv(await ops.run(find_gaps, ops.store))
        return _download(body, "text/csv; charset=utf-8", "gaps.csv")

    @app.get("/export/gaps.jsonl")
    async def export_gaps_jsonl(ops: Ops = Depends(ops_of)) -> Response:
        """The knowledge gaps as JSON lines."""
        body = to_jsonl(await ops.run(find_gaps, ops.store))
        return _download(body, "application/x-ndjson", "gaps.jsonl")

    @app.get("/api/messages", response_model=list[MessageRow])
    async def api_messages(
        request: Request, limit: int = 200, ops: Ops = Depends(ops_of)
    ) -> list[MessageRow]:
        """The filtered messages."""
        return await rows(request, ops, max(1, min(limit, 5000)))

    @app.get("/api/gaps", response_model=list[GapGroup])
    async def api_gaps(ops: Ops = Depends(ops_of)) -> list[GapGroup]:
        """The knowledge gaps."""
        found: list[GapGroup] = await ops.run(find_gaps, ops.store)
        return found

    @app.get("/api/dashboard", response_model=Dashboard)
    async def api_dashboard(days: int = 30, ops: Ops = Depends(ops_of)) -> Dashboard:
        """The dashboard's figures."""
        found: Dashboard = await ops.run(ops.store.dashboard, max(1, min(days, 366)))
        return found
