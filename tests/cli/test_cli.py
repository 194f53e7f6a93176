"""The CLI as a user runs it: a real process, real stdin and stdout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "knowledge"


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    data = tmp_path_factory.mktemp("cli-data")
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("ADVISOR_")},
        "ADVISOR_DATA_DIR": str(data),
        "ADVISOR_KNOWLEDGE_DIR": str(FIXTURES),
    }


def advisor(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_ask_builds_the_index_on_first_use_and_prints_sources(env: dict[str, str]) -> None:
    done = advisor(env, "ask", "When did TikTok Shop Indonesia close?")
    assert done.returncode == 0, done.stderr
    assert "4 October 2023" in done.stdout
    assert "Sources:\n- Source for closure-en: https://example.org/closure-en" in done.stdout
    assert "You could also ask:" in done.stdout


def test_ask_json_one_question(env: dict[str, str]) -> None:
    done = advisor(env, "ask", "--json", "gmn cara buka toko di shopee?")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["question"] == "gmn cara buka toko di shopee?"
    assert out["lang"] == "id" and out["refused"] is False
    assert out["sources"][0] == {
        "id": "shopee-id",
        "title": "Source for shopee-id",
        "url": "https://example.org/shopee-id",
    }
    assert 0 < out["confidence"] <= 1 and out["answer"]


def test_ask_json_reads_stdin_line_by_line(env: dict[str, str]) -> None:
    lines = "kapan tiktok shop tutup?\n\n   \nweather tomorrow in Jakarta?\n\u200b\u200b\n"
    done = advisor(env, "ask", "--json", stdin=lines)
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["question"] for r in rows] == [
        "kapan tiktok shop tutup?",
        "weather tomorrow in Jakarta?",
        "\u200b\u200b",
    ]
    assert rows[0]["refused"] is False and rows[0]["sources"][0]["id"] == "closure-id"
    assert rows[1]["refused"] is True and rows[1]["sources"] == []
    assert "error" in rows[2] and "answer" not in rows[2]


def test_kb_check_reports_and_fails_on_errors(env: dict[str, str], tmp_path: Path) -> None:
    ok = advisor(env, "kb", "check")
    assert ok.returncode == 0 and "8 documents ok, 0 errors" in ok.stdout
    bad = tmp_path / "k"
    bad.mkdir()
    (bad / "topics.yaml").write_text((FIXTURES / "topics.yaml").read_text())
    (bad / "x.md").write_text("---\nid: X\n---\n")
    done = advisor({**env, "ADVISOR_KNOWLEDGE_DIR": str(bad)}, "kb", "check")
    assert done.returncode == 1
    assert f"error: {bad / 'x.md'}:2: id: String should match pattern" in done.stdout


def test_index_reports_counts(env: dict[str, str]) -> None:
    done = advisor(env, "index")
    assert done.returncode == 0, done.stderr
    assert "added 0, updated 0, removed 0, unchanged" in done.stdout


def test_chat_keeps_history(env: dict[str, str]) -> None:
    done = advisor(env, "chat", stdin="berapa biaya admin shopee?\nkalau di Lazada gimana?\n")
    assert done.returncode == 0, done.stderr
    assert "pusat penjual Shopee" in done.stdout and "pusat penjual Lazada" in done.stdout
