"""A bot whose polling survives an update the library cannot parse."""

from __future__ import annotations

import datetime as dtm
import logging
from collections.abc import Sequence
from typing import Any

from telegram import Update
from telegram._utils.defaultvalue import DEFAULT_NONE, DefaultValue
from telegram._utils.types import JSONDict, ODVInput
from telegram.ext import ExtBot
from telegram.request import HTTPXRequest

from bot.telegram.sending import ResilientRateLimiter

log = logging.getLogger(__name__)


class TolerantBot(ExtBot[Any]):
    """Skips an unreadable update instead of stalling the poll loop on it.

    python-telegram-bot parses a ``getUpdates`` batch as a whole and logs the raw batch (user
    text included) when one update fails; the updater then asks again from the same offset and
    fails the same way, forever. Here each update is parsed alone, a bad one is logged by id
    only, and the offset moves past it so Telegram drops it.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._skip_below = 0

    async def get_updates(
        self,
        offset: int | None = None,
        limit: int | None = None,
        timeout: int | dtm.timedelta | None = None,  # noqa: ASYNC109 - Bot API signature
        allowed_updates: Sequence[str] | None = None,
        *,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
        api_kwargs: JSONDict | None = None,
    ) -> tuple[Update, ...]:
        if offset is not None and offset < self._skip_below:
            offset = self._skip_below
        seconds = timeout.total_seconds() if isinstance(timeout, dtm.timedelta) else timeout
        base = read_timeout
        if isinstance(base, DefaultValue):
            base = self._request[0].read_timeout
        waited = (base or 0) + (seconds or 0)
        raw = await self._post(
            "getUpdates",
            {
                "timeout": timeout,
                "offset": offset,
                "limit": limit,
                "allowed_updates": allowed_updates,
            },
            read_timeout=waited,
            write_timeout=write_timeout,
            connect_timeout=connect_timeout,
            pool_timeout=pool_timeout,
            api_kwargs=api_kwargs,
        )
        updates = tuple(u for u in map(self._parse, raw or ()) if u is not None)
        for update in updates:
            self.insert_callback_data(update)
        return updates

    def _parse(self, data: Any) -> Update | None:
        try:
            return Update.de_json(data, self)
        except Exception as exc:  # noqa: BLE001 - any unreadable update is skipped alike
            update_id = data.get("update_id") if isinstance(data, dict) else None
            if isinstance(update_id, int):
                self._skip_below = max(self._skip_below, update_id + 1)
            log.warning(
                "skipped update %s that could not be parsed: %s", update_id, type(exc).__name__
            )
            return None


def build_bot(
    token: str, base_url: str, file_url: str, limiter: ResilientRateLimiter
) -> TolerantBot:
    """The bot with the connection pools python-telegram-bot's builder would give it."""
    return TolerantBot(
        token=token,
        base_url=base_url,
        base_file_url=file_url,
        request=HTTPXRequest(connection_pool_size=256),
        get_updates_request=HTTPXRequest(connection_pool_size=1),
        rate_limiter=limiter,
    )
