"""The review app over a seeded store (SQLite and PostgreSQL), and clients in and out."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bot.ops.app import create_app
from bot.settings import Settings
from bot.store.store import LogStore
from tests.conftest import make_settings
from tests.store.conftest import store  # noqa: F401  (the parametrized store fixture)
from tests.store.helpers import record

PASSWORD = "correct horse battery staple"


class Outbox:
    """A fake delivery: what operators sent to which chat."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, str]] = []

    async def __call__(self, chat_id: int, text: str) -> None:
        self.sent.append((chat_id, text))


def seed(logs: LogStore) -> dict[str, str]:
    """A few exchanges covering every filter; returns their message ids by name."""
    ids = {
        "tax": record(logs, "pajak olshop berapa persen?", user=11),
        "shopee": record(logs, "how to open a shopee store", user=12, lang="en", confidence=0.3),
        "weather": record(logs, "cuaca besok jakarta", user=13, refused=True, confidence=0.05),
        "weather2": record(
            logs, "cuaca jakarta besok pagi", user=14, refused=True, confidence=0.1
        ),
    }
    logs.record_feedback(ids["tax"], -1)
    logs.open_handoff(12, 12)
    return ids


@pytest.fixture
def ops_settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path / "data", ops_password=PASSWORD)


@pytest.fixture
def outbox() -> Outbox:
    return Outbox()


@pytest.fixture
def app(ops_settings: Settings, store: LogStore, outbox: Outbox) -> FastAPI:  # noqa: F811
    return create_app(ops_settings, store, outbox)


@pytest.fixture
def ids(store: LogStore) -> dict[str, str]:  # noqa: F811
    return seed(store)


@pytest.fixture
def anonymous(app: FastAPI) -> TestClient:
    return TestClient(app, follow_redirects=False)


def login(client: TestClient, password: str = PASSWORD) -> TestClient:
    """Log in through the form, as a browser does (login CSRF cookie included)."""
    form = client.get("/login")
    token = re.search(r'name="csrf" value="([0-9a-f]+)"', form.text)
    assert token is not None
    done = client.post("/login", data={"password": password, "csrf": token.group(1)})
    assert done.status_code == 303
    return client


@pytest.fixture
def client(app: FastAPI) -> TestClient:
    return login(TestClient(app, follow_redirects=False))


def csrf_of(client: TestClient, page: str = "/") -> str:
    """The CSRF token embedded in a page's forms."""
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', client.get(page).text)
    assert found is not None
    return found.group(1)
