"""A fake Telegram Bot API server on 127.0.0.1 for end-to-end tests.

python-telegram-bot talks to it over real HTTP (``base_url``). It serves scripted updates
through ``getUpdates`` (long polling), records every call, and can be told to answer 429 with
``retry_after``, 500, 401, or to stall.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

BOT = {
    "id": 4242,
    "is_bot": True,
    "first_name": "Seller Advisor",
    "username": "advisor_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}


class _Server(ThreadingHTTPServer):
    request_queue_size = 256  # the bot opens many connections at once
    daemon_threads = True


@dataclass
class Call:
    method: str
    params: dict[str, str]

    @property
    def chat_id(self) -> int:
        return int(self.params["chat_id"])

    @property
    def text(self) -> str:
        return self.params.get("text", "")

    @property
    def markup(self) -> dict[str, Any]:
        return json.loads(self.params.get("reply_markup", "{}") or "{}")

    def buttons(self) -> list[tuple[str, str]]:
        rows = self.markup.get("inline_keyboard", [])
        return [(b["text"], b.get("callback_data", "")) for row in rows for b in row]


@dataclass
class Fault:
    status: int
    times: int
    retry_after: int | None = None
    stall: float = 0.0
    until: float | None = None

    def active(self) -> bool:
        if self.until is not None:
            return time.monotonic() < self.until
        return self.times > 0


@dataclass
class FakeBotAPI:
    token: str = "123456:TEST-token-abc"
    calls: list[Call] = field(default_factory=list)
    faults: dict[str, Fault] = field(default_factory=dict)
    delays: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._updates: list[dict[str, Any]] = []
        self.delivered = 0  # the highest update_id handed out by getUpdates
        self._cond = threading.Condition()
        self._ids = itertools.count(1)
        self._msg_ids = itertools.count(1000)
        self._server = _Server(("127.0.0.1", 0), self._handler_class())
        self.port = self._server.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}/bot"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> FakeBotAPI:
        self._thread.start()
        return self

    def stop(self) -> None:
        with self._cond:
            self._cond.notify_all()
        self._server.shutdown()
        self._server.server_close()

    # scripting ---------------------------------------------------------------------------
    def push(self, update: dict[str, Any]) -> int:
        """Queue an update for getUpdates; returns its update_id."""
        with self._cond:
            update = {"update_id": next(self._ids), **update}
            self._updates.append(update)
            self._cond.notify_all()
            return int(update["update_id"])

    def fail(
        self,
        method: str,
        status: int,
        times: int = 1,
        retry_after: int | None = None,
        stall: float = 0.0,
    ) -> None:
        """The next ``times`` calls of ``method`` answer ``status`` (after ``stall`` seconds)."""
        self.faults[method] = Fault(status, times, retry_after, stall)

    def fail_for(
        self, methods: list[str], status: int, seconds: float, retry_after: int | None = None
    ) -> None:
        """Every call of ``methods`` answers ``status`` for the next ``seconds``."""
        until = time.monotonic() + seconds
        for method in methods:
            self.faults[method] = Fault(status, 0, retry_after, until=until)

    def slow(self, method: str, seconds: float) -> None:
        """Successful calls of ``method`` take ``seconds`` (a slow network or server)."""
        self.delays[method] = seconds

    def sent(self, method: str = "sendMessage") -> list[Call]:
        return [c for c in list(self.calls) if c.method == method]

    def wait_for(self, check: Callable[[FakeBotAPI], bool], timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if check(self):
                return
            time.sleep(0.02)
        raise AssertionError(f"timed out; calls: {[c.method for c in self.calls][-20:]}")

    async def wait(self, check: Callable[[FakeBotAPI], bool], within: float = 20.0) -> None:
        """Poll ``check`` without blocking the event loop the bot runs on."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if check(self):
                return
            await asyncio.sleep(0.02)
        raise AssertionError(f"timed out; calls: {[c.method for c in self.calls][-20:]}")

    # the API -----------------------------------------------------------------------------
    def _dispatch(self, token: str, method: str, params: dict[str, str]) -> tuple[int, Any]:
        if token != self.token:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        fault = self.faults.get(method)
        if fault and fault.active():
            fault.times -= 1
            time.sleep(fault.stall)
            body: dict[str, Any] = {
                "ok": False,
                "error_code": fault.status,
                "description": f"fake error {fault.status}",
            }
            if fault.retry_after is not None:
                body["parameters"] = {"retry_after": fault.retry_after}
                body["description"] = f"Too Many Requests: retry after {fault.retry_after}"
            return fault.status, body
        if method != "getUpdates":
            time.sleep(self.delays.get(method, 0.0))
            self.calls.append(Call(method, params))
        return 200, {"ok": True, "result": self._result(method, params)}

    def _result(self, method: str, params: dict[str, str]) -> Any:
        if method == "getMe":
            return BOT
        if method == "getUpdates":
            return self._get_updates(
                int(params.get("offset", 0) or 0), float(params.get("timeout", 0) or 0)
            )
        if method in {"sendMessage", "editMessageText", "editMessageReplyMarkup"}:
            chat_id = int(params.get("chat_id", 0) or 0)
            return {
                "message_id": next(self._msg_ids),
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private"},
                "from": BOT,
                "text": params.get("text", ""),
            }
        if method == "getWebhookInfo":
            return {"url": "", "has_custom_certificate": False, "pending_update_count": 0}
        return True

    def _get_updates(self, offset: int, timeout: float) -> list[dict[str, Any]]:
        deadline = time.monotonic() + min(timeout, 1.0)
        with self._cond:
            if offset:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            while not self._updates and time.monotonic() < deadline:
                self._cond.wait(deadline - time.monotonic())
            batch = list(self._updates[:100])
            if batch:
                self.delivered = max(self.delivered, batch[-1]["update_id"])
            return batch

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server API
                _, _, rest = self.path.partition("/bot")
                token, _, method = rest.partition("/")
                length = int(self.headers.get("Content-Length", 0))
                raw = self.rfile.read(length).decode()
                if "json" in self.headers.get("Content-Type", ""):
                    params = {
                        k: v if isinstance(v, str) else json.dumps(v)
                        for k, v in (json.loads(raw or "{}")).items()
                    }
                else:
                    params = dict(parse_qsl(raw))
                status, body = api._dispatch(token, method, params)
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    return  # the client gave up (e.g. a long poll at shutdown)

            do_GET = do_POST  # noqa: N815

            def log_message(self, *args: object) -> None:
                return

        return Handler


# update factories ------------------------------------------------------------------------
_message_ids = itertools.count(1)
COMMAND = re.compile(r"/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]+)?")


def user(user_id: int, lang: str = "id", name: str = "Sari") -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": name, "language_code": lang}


def message(
    text: str | None,
    user_id: int = 1,
    chat_id: int | None = None,
    chat_type: str = "private",
    lang: str = "id",
    **extra: Any,
) -> dict[str, Any]:
    """A ``message`` update; ``text=None`` leaves the text out (for stickers etc.)."""
    msg: dict[str, Any] = {
        "message_id": next(_message_ids),
        "date": int(time.time()),
        "from": user(user_id, lang),
        "chat": {"id": chat_id if chat_id is not None else user_id, "type": chat_type},
        **extra,
    }
    if text is not None:
        msg["text"] = text
        command = COMMAND.match(text)
        if command:  # as Telegram marks it: a bare "/" or "/ foo" is plain text
            msg["entities"] = [{"type": "bot_command", "offset": 0, "length": command.end()}]
    return {"message": msg}


def edited(text: str, user_id: int = 1) -> dict[str, Any]:
    update = message(text, user_id)
    return {"edited_message": {**update["message"], "edit_date": int(time.time())}}


def callback(
    data: str,
    user_id: int = 1,
    lang: str = "id",
    markup: dict[str, Any] | None = None,
    text: str = "answer",
    chat_id: int | None = None,
) -> dict[str, Any]:
    """A button press on a bot message showing ``markup`` (by default, just that button)."""
    return {
        "callback_query": {
            "id": str(next(_message_ids)),
            "from": user(user_id, lang),
            "chat_instance": "x",
            "data": data,
            "message": {
                "message_id": 999,
                "date": int(time.time()),
                "chat": (
                    {"id": user_id, "type": "private"}
                    if chat_id is None
                    else {"id": chat_id, "type": "group"}
                ),
                "from": BOT,
                "text": text,
                "reply_markup": (
                    markup
                    if markup is not None
                    else {"inline_keyboard": [[{"text": "👍", "callback_data": data}]]}
                ),
            },
        }
    }
