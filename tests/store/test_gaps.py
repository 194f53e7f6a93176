"""Knowledge gaps: grouping of unanswered questions, and drafts the loader accepts as drafts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from typer.testing import CliRunner

from bot.cli import get_app
from bot.cli.logs import open_logs
from bot.knowledge.loader import load_knowledge, load_topics
from bot.store.gaps import find_gaps, group_gaps, write_drafts
from bot.store.records import MessageRow
from bot.store.store import LogStore
from tests.conftest import make_settings
from tests.knowledge.helpers import new_folder
from tests.store.helpers import record

T0 = dt.datetime(2026, 11, 1, 8, tzinfo=dt.UTC)


def row(question: str, minutes: int, lang: str = "id", topics: tuple[str, ...] = ()) -> MessageRow:
    return MessageRow(
        id=f"m{minutes}",
        conversation_id="c",
        created_at=T0 + dt.timedelta(minutes=minutes),
        question=question,
        answer="",
        lang=lang,
        sources=[],
        topics=list(topics),
        confidence=0.1,
        refused=True,
        mode="offline",
        latency_ms=1.0,
    )


ROWS = [
    row("bagaimana cara daftar halal gratis?", 1, topics=("halal",)),
    row("berapa ongkir ke papua", 2),
    row("cara daftar sertifikat halal gratis", 3, topics=("halal",)),
    row("daftar halal gratis lewat mana", 4),
    row("ongkir ke papua mahal", 5),
    row("how do I get a refund from tiktok", 6, lang="en"),
]


def test_similar_questions_are_grouped_most_frequent_first() -> None:
    groups = group_gaps(ROWS)
    assert [g.count for g in groups] == [3, 2, 1]
    assert groups[0].questions[0] == "bagaimana cara daftar halal gratis?"
    assert groups[0].topics == ["halal"]
    assert set(groups[1].questions) == {"berapa ongkir ke papua", "ongkir ke papua mahal"}
    assert groups[2].lang == "en"
    assert group_gaps(list(reversed(ROWS))) == groups


def test_find_gaps_reads_refused_and_low_confidence(store: LogStore) -> None:
    record(store, "cuaca besok jakarta", refused=True, confidence=0.1)
    record(store, "cuaca jakarta besok pagi", confidence=0.3)
    record(store, "pajak umkm berapa", confidence=0.9)
    [group] = find_gaps(store)
    assert group.count == 2


def test_drafts_pass_the_loader_as_drafts(tmp_path: Path) -> None:
    knowledge = new_folder(tmp_path / "knowledge")
    paths = write_drafts(group_gaps(ROWS), knowledge / "drafts", set(load_topics(knowledge)))
    assert len(paths) == 3
    meta = yaml.safe_load(paths[0].read_text(encoding="utf-8").split("---")[1])
    assert meta["draft"] is True and meta["topics"] == ["halal"]
    assert meta["sources"] == [
        {"title": "TODO: add a source", "url": "https://example.invalid/todo"}
    ]
    assert "translation" not in meta
    kb = load_knowledge(knowledge)
    assert kb.errors == []
    assert {w.field for w in kb.warnings} >= {"draft"}
    assert len(kb.documents) == 3
    assert kb.chunks() == []


def test_cli_gaps_writes_drafts_that_kb_check_accepts(tmp_path: Path) -> None:
    knowledge = new_folder(tmp_path / "knowledge")
    settings = make_settings(tmp_path / "data", knowledge_dir=knowledge)
    logs = open_logs(settings)
    record(logs, "cuaca besok jakarta", refused=True, confidence=0.1)
    record(logs, "cuaca jakarta besok pagi", refused=True, confidence=0.1)
    runner = CliRunner()
    done = runner.invoke(
        get_app(), ["logs", "gaps", "--drafts", str(knowledge / "gaps")], obj=settings
    )
    assert done.exit_code == 0, done.output
    assert "2  [id] cuaca besok jakarta" in done.output
    checked = runner.invoke(get_app(), ["kb", "check"], obj=settings)
    assert checked.exit_code == 0, checked.output
    assert "draft" in checked.output
