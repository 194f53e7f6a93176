"""Per-user flood control: a sliding window; one "slow down" per flood, the rest dropped."""

from __future__ import annotations

import time
from collections import OrderedDict, deque

from bot.conversation import Verdict


class RateLimiter:
    """At most ``limit`` messages per ``window`` seconds for each user."""

    def __init__(self, limit: int, window: float, max_users: int = 50_000) -> None:
        self.limit = limit
        self.window = window
        self.max_users = max_users
        self._seen: OrderedDict[int, deque[float]] = OrderedDict()
        self._warned: dict[int, float] = {}

    async def verdict(self, user_id: int) -> Verdict:
        return self.check(user_id)

    def check(self, user_id: int, now: float | None = None) -> Verdict:
        now = time.monotonic() if now is None else now
        stamps = self._seen.pop(user_id, None) or deque()
        while stamps and now - stamps[0] >= self.window:
            stamps.popleft()
        self._seen[user_id] = stamps
        if len(self._seen) > self.max_users:
            old, _ = self._seen.popitem(last=False)
            self._warned.pop(old, None)
        if len(stamps) < self.limit:
            stamps.append(now)
            self._warned.pop(user_id, None)
            return Verdict.ALLOW
        if user_id in self._warned and now - self._warned[user_id] < self.window:
            return Verdict.DROP
        self._warned[user_id] = now
        return Verdict.WARN
