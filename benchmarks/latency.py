"""Warm ``Advisor.ask`` latency, and cold start of ``python -m bot ask`` as a subprocess."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.answer.advisor import Advisor
from bot.answer.models import Turn
from bot.evaluation import EvalCase
from bot.settings import PROJECT_ROOT

STAGES = ("embed_ms", "search_ms", "fusion_ms", "compose_ms", "total_ms")
COLD_QUESTION = "kapan tiktok shop tutup?"


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = max(0, min(len(ordered) - 1, int(round(p / 100 * len(ordered) + 0.5)) - 1))
    return ordered[k]


@dataclass
class WarmLatency:
    samples: int
    wall_ms: list[float]
    stages: dict[str, float]  # median per stage

    def p(self, q: float) -> float:
        return percentile(self.wall_ms, q)


def warm_latency(advisor: Advisor, cases: Sequence[EvalCase], passes: int = 1) -> WarmLatency:
    """One untimed warm-up pass over the questions, then ``passes`` timed passes."""
    asks = [(c.q, [Turn(question=h) for h in c.history]) for c in cases]
    for q, history in asks:
        advisor.ask(q, history=history)
    wall: list[float] = []
    stages: dict[str, list[float]] = {s: [] for s in STAGES}
    for _ in range(passes):
        for q, history in asks:
            start = time.perf_counter()
            answer = advisor.ask(q, history=history)
            wall.append((time.perf_counter() - start) * 1000)
            for s in STAGES:
                stages[s].append(float(getattr(answer.timings, s)))
    return WarmLatency(len(wall), wall, {s: statistics.median(v) for s, v in stages.items()})


@dataclass
class ColdStart:
    runs: list[float]
    ok: bool
    output: str

    @property
    def median(self) -> float:
        return statistics.median(self.runs) if self.runs else 0.0


def cold_start(data_dir: Path, knowledge_dir: Path, runs: int = 3) -> ColdStart:
    """Wall time of ``python -m bot ask`` against an existing index."""
    env = {
        **os.environ,
        "ADVISOR_DATA_DIR": str(data_dir),
        "ADVISOR_KNOWLEDGE_DIR": str(knowledge_dir),
        "ADVISOR_ANSWER_MODE": "offline",
    }
    times: list[float] = []
    ok = True
    out = ""
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "bot", "ask", COLD_QUESTION],
            cwd=PROJECT_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        times.append(time.perf_counter() - start)
        ok = ok and proc.returncode == 0
        out = (proc.stdout or proc.stderr).strip()
    return ColdStart(times, ok, out)
