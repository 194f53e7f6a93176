"""A local OpenAI-compatible chat server: scripted replies, delays, errors, SSE streaming."""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Scripted:
    content: str = ""
    status: int = 200
    delay: float = 0.0


@dataclass
class FakeOpenAI:
    replies: deque[Scripted] = field(default_factory=deque)
    requests: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}/v1"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def reply(self, content: str = "", status: int = 200, delay: float = 0.0) -> None:
        self.replies.append(Scripted(content, status, delay))

    def prompts(self) -> list[str]:
        """Every request's messages flattened to one string each."""
        return ["\n".join(m["content"] for m in r["messages"]) for r in self.requests]

    def _next(self) -> Scripted:
        return self.replies.popleft() if self.replies else Scripted("NO_ANSWER")

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server API
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append(body)
                scripted = fake._next()
                time.sleep(scripted.delay)
                try:
                    if scripted.status != 200:
                        self._json(
                            scripted.status,
                            {"error": {"message": "fake failure", "type": "server_error"}},
                        )
                    elif body.get("stream"):
                        self._stream(body["model"], scripted.content)
                    else:
                        self._json(200, _completion(body["model"], scripted.content))
                except (BrokenPipeError, ConnectionResetError):
                    return

            def _json(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _stream(self, model: str, content: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                for word in content.split(" "):
                    chunk = {
                        "id": "c",
                        "object": "chat.completion.chunk",
                        "created": 0,
                        "model": model,
                        "choices": [
                            {"index": 0, "finish_reason": None, "delta": {"content": word + " "}}
                        ],
                    }
                    self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                self.wfile.write(b"data: [DONE]\n\n")

            def log_message(self, *args: object) -> None:
                return

        return Handler


def _completion(model: str, content: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "finish_reason": "stop",
                "message": {"role": "assistant", "content": content},
            }
        ],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }
