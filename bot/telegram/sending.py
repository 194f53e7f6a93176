"""Outgoing requests that survive Telegram's bad moments.

PTB's ``AIORateLimiter`` keeps to the flood limits and retries after a 429's ``retry_after``.
This adds retries of messages after a 5xx or a refused connection, with backoff, so that an
answer made while Telegram is down is delivered once it is back. Time-outs are not retried:
the request may have been carried out, and a seller must not get the same answer twice.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import BadRequest, NetworkError, TimedOut
from telegram.ext import AIORateLimiter

log = logging.getLogger(__name__)
RETRIED = {"sendMessage", "editMessageText", "editMessageReplyMarkup"}


class ResilientRateLimiter(AIORateLimiter):
    """Flood limits and 429 handling from PTB, plus bounded retries of failed messages."""

    def __init__(self, overall_max_rate: float, retry_for: float, max_retries: int = 5) -> None:
        super().__init__(overall_max_rate=overall_max_rate, max_retries=max_retries)
        self.retry_for = retry_for

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Any]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        deadline = time.monotonic() + self.retry_for
        delay = 0.5
        while True:
            try:
                return await super().process_request(
                    callback, args, kwargs, endpoint, data, rate_limit_args
                )
            except (BadRequest, TimedOut):
                raise
            except NetworkError as exc:
                if endpoint not in RETRIED or time.monotonic() + delay > deadline:
                    raise
                log.warning("%s failed (%s); retrying in %.1f s", endpoint, exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 8.0)
