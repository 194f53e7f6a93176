"""The bot end to end: a fake Telegram server and the real bot, in one process.

Run by the benchmark as ``python -m benchmarks.e2e DATA_DIR KNOWLEDGE_DIR N USERS [WAVES]``
so that the RSS figures are the bot's own; prints one JSON object. With WAVES > 1 the N
messages are pushed WAVES times, each wave after the previous one is fully answered, and the
resident memory is read after every wave: that is the leak check (memory after 10 waves of
1,000 messages against memory after the first).
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from bot.evaluation import load_cases
from bot.runtime import build_runtime
from bot.settings import PROJECT_ROOT, Settings
from tests.telegram.fakebotapi import FakeBotAPI, message

QUESTIONS = PROJECT_ROOT / "tests" / "eval" / "questions.yaml"


class TimedFakeBotAPI(FakeBotAPI):
    """Records when each sendMessage arrived, and keeps only the last calls.

    The fake runs in the bot's process, so a full call log would count as the bot's memory.
    """

    def __post_init__(self) -> None:
        super().__post_init__()
        self.sent_at: list[tuple[int, float]] = []

    def _dispatch(self, token: str, method: str, params: dict[str, str]) -> tuple[int, Any]:
        result = super()._dispatch(token, method, params)
        if method == "sendMessage":
            self.sent_at.append((int(params.get("chat_id", 0) or 0), time.perf_counter()))
        if len(self.calls) > 2000:
            del self.calls[:-100]
        return result


def _settings(data_dir: Path, knowledge_dir: Path, **values: Any) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=data_dir,
        knowledge_dir=knowledge_dir,
        **values,
    )


def memory_mb(field: str = "VmRSS") -> float:
    """``VmRSS`` (resident now) or ``VmHWM`` (peak) of this process from /proc, in MB.

    Not ``ru_maxrss``: Linux carries it over ``exec`` from the forked parent, so a child of the
    benchmark (itself holding the baselines) would report the parent's peak. Without /proc the
    peak falls back to ``ru_maxrss`` and the current figure is 0.
    """
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return peak if field == "VmHWM" else 0.0
    for line in status.splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Wave:
    """Pushes n questions spread over users and knows when all of them were answered."""

    def __init__(self, fake: TimedFakeBotAPI, questions: list[str], n: int, users: int) -> None:
        self.fake, self.questions, self.n, self.users = fake, questions, n, users
        self.pushed: dict[int, list[float]] = defaultdict(list)

    def push(self) -> None:
        for i in range(self.n):
            uid = 1000 + i % self.users
            self.pushed[uid].append(time.perf_counter())
            self.fake.push(message(self.questions[i % len(self.questions)], user_id=uid))

    def done(self, _: FakeBotAPI) -> bool:
        got: dict[int, int] = defaultdict(int)
        for chat, _t in list(self.fake.sent_at):
            got[chat] += 1
        return all(got[u] >= len(ts) for u, ts in self.pushed.items())


async def run(
    data_dir: Path, knowledge_dir: Path, n: int, users: int, waves: int = 1
) -> dict[str, Any]:
    from bot.telegram.app import build_application

    runtime = build_runtime(_settings(data_dir, knowledge_dir), sync_if_empty=False)
    questions = [c.q for c in load_cases(QUESTIONS) if not c.history]
    fake = TimedFakeBotAPI()
    fake.start()
    rss_after_wave: list[float] = []
    timed_out = False
    with tempfile.TemporaryDirectory() as tmp:
        settings = _settings(
            Path(tmp),
            knowledge_dir,
            chroma_path=runtime.settings.resolved_chroma_path,
            telegram_token=fake.token,
            telegram_api_url=fake.base_url,
            rate_limit_messages=10**6,
            telegram_max_rate=100000,
        )
        app = build_application(settings, runtime.advisor, runtime.prompts)
        await app.initialize()
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        wave = Wave(fake, questions, n, users)
        try:
            # one untimed message so connections and handlers are warm
            fake.push(message("halo", user_id=999_999))
            await fake.wait(lambda _: len(fake.sent_at) >= 1, within=60)
            await asyncio.sleep(0.2)
            fake.sent_at.clear()
            first_push = time.perf_counter()
            for _ in range(waves):
                wave.push()
                try:
                    await fake.wait(wave.done, within=max(120.0, n * 0.5))
                except AssertionError:
                    timed_out = True
                    break
                rss_after_wave.append(memory_mb())
        finally:
            await app.updater.stop()
            await app.stop()
            await app.shutdown()
            fake.stop()

    return summarise(wave, fake, first_push, timed_out) | {
        "waves": waves,
        "rss_after_wave_mb": rss_after_wave,
        "peak_rss_mb": memory_mb("VmHWM"),
    }


def summarise(
    wave: Wave, fake: TimedFakeBotAPI, first_push: float, timed_out: bool
) -> dict[str, Any]:
    replies: dict[int, list[float]] = defaultdict(list)
    for chat, t in fake.sent_at:
        replies[chat].append(t)
    latencies = [
        (got - sent) * 1000
        for uid, ts in wave.pushed.items()
        for sent, got in zip(ts, replies.get(uid, []), strict=False)
    ]
    answered = sum(min(len(ts), len(replies.get(u, []))) for u, ts in wave.pushed.items())
    last = max((t for _, t in fake.sent_at), default=first_push)
    elapsed = last - first_push
    return {
        "messages": sum(len(ts) for ts in wave.pushed.values()),
        "users": wave.users,
        "answered": answered,
        "send_messages": len(fake.sent_at),
        "timed_out": timed_out,
        "elapsed_s": elapsed,
        "msg_per_s": answered / elapsed if elapsed > 0 else 0.0,
        "latencies_ms": latencies,
    }


def main() -> None:
    data_dir, knowledge_dir = Path(sys.argv[1]), Path(sys.argv[2])
    n, users = int(sys.argv[3]), int(sys.argv[4])
    waves = int(sys.argv[5]) if len(sys.argv) > 5 else 1
    result = asyncio.run(run(data_dir, knowledge_dir, n, users, waves))
    print("E2E-JSON " + json.dumps(result))


if __name__ == "__main__":
    main()
