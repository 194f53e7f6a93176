"""Incremental sync: only new or changed sections are embedded; deleted ones are removed."""

from __future__ import annotations

import threading
from pathlib import Path

from bot.runtime import Runtime
from tests.retrieval.conftest import CountingEmbeddings


def test_first_sync_adds_every_section(
    fresh_runtime: Runtime, counting: CountingEmbeddings
) -> None:
    _, report = fresh_runtime.sync()
    assert report.added == len(counting.passages) == fresh_runtime.retriever.size > 10
    assert (report.updated, report.removed, report.unchanged) == (0, 0, 0)


def test_second_sync_embeds_nothing(fresh_runtime: Runtime, counting: CountingEmbeddings) -> None:
    _, first = fresh_runtime.sync()
    counting.passages.clear()
    _, second = fresh_runtime.sync()
    assert counting.passages == []
    assert second.unchanged == first.added
    assert second.summary() == f"added 0, updated 0, removed 0, unchanged {first.added}"


def test_editing_one_section_reembeds_only_it(
    fresh_runtime: Runtime, counting: CountingEmbeddings, knowledge_copy: Path
) -> None:
    fresh_runtime.sync()
    counting.passages.clear()
    path = knowledge_copy / "en" / "shopee.md"
    path.write_text(path.read_text().replace("list your products", "upload your products"))
    _, report = fresh_runtime.sync()
    assert (report.added, report.updated, report.removed) == (0, 1, 0)
    assert report.embedded_ids == ["shopee-en#opening-a-shopee-shop"]
    assert len(counting.passages) == 1 and "upload your products" in counting.passages[0]
    hits = fresh_runtime.retriever.search("open a shop on Shopee", "en").hits
    assert "upload your products" in hits[0].section.text


def test_deleting_a_file_removes_its_sections(
    fresh_runtime: Runtime, knowledge_copy: Path
) -> None:
    fresh_runtime.sync()
    (knowledge_copy / "en" / "old.md").unlink()
    _, report = fresh_runtime.sync()
    assert report.removed == 1
    ids = fresh_runtime.store.get()["ids"]
    assert not [i for i in ids if i.startswith("old-rule-en#")]


def test_adding_a_section_embeds_only_it(
    fresh_runtime: Runtime, counting: CountingEmbeddings, knowledge_copy: Path
) -> None:
    fresh_runtime.sync()
    counting.passages.clear()
    path = knowledge_copy / "en" / "lazada.md"
    path.write_text(path.read_text() + "\n## Lazada payouts\n\nPayouts go to your bank account.\n")
    _, report = fresh_runtime.sync()
    assert (report.added, report.updated) == (1, 0)
    assert report.embedded_ids == ["lazada-en#lazada-payouts"]


def test_corrupted_file_keeps_its_last_good_sections(
    fresh_runtime: Runtime, knowledge_copy: Path
) -> None:
    fresh_runtime.sync()
    path = knowledge_copy / "en" / "closure.md"
    path.write_text("---\nid: closure-en\ntitle: [broken\n---\n")
    kb, report = fresh_runtime.sync()
    assert any(str(path) in str(i) for i in kb.errors)
    assert report.kept == 2 and report.removed == 0
    answer = fresh_runtime.advisor.ask("When did TikTok Shop Indonesia close?", lang="en")
    assert not answer.refused
    assert answer.sources[0].id == "closure-en"


def test_queries_during_sync_never_crash(fresh_runtime: Runtime, knowledge_copy: Path) -> None:
    fresh_runtime.sync()
    errors: list[BaseException] = []
    answers: list[bool] = []
    stop = threading.Event()

    def ask_loop() -> None:
        while not stop.is_set():
            try:
                answers.append(fresh_runtime.advisor.ask("cara buka toko di shopee").refused)
            except BaseException as exc:  # noqa: BLE001 - the test collects any failure
                errors.append(exc)

    worker = threading.Thread(target=ask_loop)
    worker.start()
    path = knowledge_copy / "id" / "shopee.md"
    original = path.read_text()
    for i in range(4):
        path.write_text(original.replace("unggah produk", f"unggah produk {i}"))
        fresh_runtime.sync()
    stop.set()
    worker.join(timeout=30)
    assert errors == []
    assert answers and not any(answers)
