"""The benchmarks still run (quick mode); their speed is never asserted here."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from benchmarks.run import HEADINGS
from bot.settings import PROJECT_ROOT


def test_quick_mode_writes_every_section(tmp_path: Path) -> None:
    out = tmp_path / "bench.md"
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--out", str(out)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = out.read_text(encoding="utf-8")
    for heading in HEADINGS:
        assert heading in report
    assert "Quick mode" in report
    for system in ("Seller Advisor", "LangChain default", "BM25"):
        assert re.search(rf"^\| {system}[^|]*\| [01]\.\d{{3}} \|", report, re.M), system
    answered = re.search(r"^\| (\d+) \| (\d+) \| [\d.]+ \| [\d.]+ \|", report, re.M)
    assert answered is not None
    assert answered.group(1) == answered.group(2), "not every e2e message was answered"
    soak = re.search(r"^\| (\d+) \| (\d+) \| [\d.]+ \| \d+ \| \d+ \| [+-][\d.]+ %", report, re.M)
    assert soak is not None, "memory-under-load row missing"
    assert soak.group(1) == soak.group(2), "not every soak message was answered"
