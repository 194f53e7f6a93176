"""The pages: conversation list, transcript, dashboard, knowledge gaps, and their forms."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, Form, HTTPException, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError
from starlette.datastructures import QueryParams

from bot.ops.app import Ops, ops_of
from bot.store.gaps import find_gaps
from bot.store.records import MessageFilter

PAGE_SIZE = 100
FILTER_FIELDS = set(MessageFilter.model_fields)


def parse_filter(params: QueryParams) -> MessageFilter:
    """The filter of a query string (empty fields ignored); 400 when a value is invalid."""
    given = {k: v for k, v in params.items() if k in FILTER_FIELDS and v.strip()}
    try:
        return MessageFilter.model_validate(given)
    except ValidationError as exc:
        fields = ", ".join(str(e["loc"][0]) for e in exc.errors())
        raise HTTPException(400, f"invalid filter: {fields}") from exc


def local_path(target: str | None, fallback: str = "/") -> str:
    """``target`` if it is a path on this site (never another host), else ``fallback``."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return fallback


def register(app: FastAPI) -> None:
    """Add the page routes."""

    @app.get("/", response_class=HTMLResponse)
    async def conversations(request: Request, page: int = 1, ops: Ops = Depends(ops_of)) -> Any:
        """Messages matching the filters, newest first, linked to their conversations."""
        f = parse_filter(request.query_params)
        page = max(1, page)
        rows = await ops.run(ops.store.messages, f, PAGE_SIZE + 1, (page - 1) * PAGE_SIZE)
        query = urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "page"])
        return ops.page(
            request,
            "list.html",
            rows=rows[:PAGE_SIZE],
            f=f,
            query=query,
            page=page,
            more=len(rows) > PAGE_SIZE,
            low=ops.settings.low_confidence,
        )

    @app.get("/conversations/{conversation_id}", response_class=HTMLResponse)
    async def transcript(
        request: Request, conversation_id: str, ops: Ops = Depends(ops_of)
    ) -> Any:
        """One conversation: questions, answers with their sources, handoffs."""
        found = await ops.run(ops.store.conversation, conversation_id)
        if found is None:
            raise HTTPException(404, "no such conversation")
        conv, messages, handoffs = found
        return ops.page(
            request,
            "conversation.html",
            conv=conv,
            messages=messages,
            handoffs=handoffs,
            low=ops.settings.low_confidence,
            can_reply=ops.deliver is not None,
        )

    @app.post("/messages/{message_id}/verdict")
    async def verdict(
        request: Request,
        message_id: str,
        value: str = Form(),
        csrf: str = Form(""),
        next_page: str = Form("/", alias="next"),
        ops: Ops = Depends(ops_of),
    ) -> Response:
        """An operator's verdict on an answer: ``gap`` (👎) or ``fine`` (👍)."""
        ops.check_csrf(request, csrf)
        if value not in {"gap", "fine"}:
            raise HTTPException(400, "verdict is gap or fine")
        sign = -1 if value == "gap" else 1
        if not await ops.run(ops.store.record_feedback, message_id, sign, "operator", value):
            raise HTTPException(404, "no such message")
        return RedirectResponse(local_path(next_page), status_code=303)

    @app.post("/conversations/{conversation_id}/reply")
    async def reply(
        request: Request,
        conversation_id: str,
        text: str = Form(min_length=1, max_length=4000),
        csrf: str = Form(""),
        ops: Ops = Depends(ops_of),
    ) -> Response:
        """Send an operator's message to the seller of an open handoff."""
        ops.check_csrf(request, csrf)
        found = await ops.run(ops.store.conversation, conversation_id)
        waiting = [h for h in (found[2] if found else []) if h.status == "open" and h.chat_id]
        if not waiting or ops.deliver is None:
            raise HTTPException(409, "no open handoff to reply to")
        await ops.deliver(waiting[0].chat_id, text)
        await ops.run(ops.store.add_note, waiting[0].id, "operator", text)
        return RedirectResponse(f"/conversations/{conversation_id}", status_code=303)

    @app.get("/dashboard", response_class=HTMLResponse)
    async def dashboard(request: Request, days: int = 30, ops: Ops = Depends(ops_of)) -> Any:
        """Questions per day, refusal rate, feedback, top topics, median latency."""
        d = await ops.run(ops.store.dashboard, max(1, min(days, 366)))
        return ops.page(request, "dashboard.html", d=d)

    @app.get("/gaps", response_class=HTMLResponse)
    async def gaps(request: Request, ops: Ops = Depends(ops_of)) -> Any:
        """Refused and low-confidence questions grouped by similarity."""
        return ops.page(request, "gaps.html", groups=await ops.run(find_gaps, ops.store))
