"""The logs store on SQLite and on the real PostgreSQL server of this machine.

Every test using ``store`` (or ``outage``) runs twice: on a SQLite file in a temp dir, and on
PostgreSQL at 127.0.0.1:5432/test in a schema of its own, dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from bot.store.store import LogStore, make_engine
from tests.store.tcpproxy import TcpProxy

PG_HOST, PG_PORT = "127.0.0.1", 5432
PG = os.environ.get("TEST_POSTGRES_URL", f"postgresql+psycopg://postgres@{PG_HOST}:{PG_PORT}/test")
KEY = "test-key"


@contextmanager
def pg_schema() -> Iterator[str]:
    """A fresh schema on the real server, dropped with everything in it afterwards."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError:
        pytest.fail(f"PostgreSQL at {PG} is required for these tests")
    try:
        yield schema
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def pg_engine(schema: str, url: str = PG) -> Engine:
    """An engine whose tables live in ``schema``."""
    return create_engine(
        url,
        pool_pre_ping=True,
        connect_args={"options": f"-csearch_path={schema}", "connect_timeout": 2},
    )


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LogStore]:
    """A migrated store, on each backend."""
    if request.param == "sqlite":
        logs = LogStore(make_engine(f"sqlite:///{tmp_path / 'logs.db'}"), KEY, 0.4)
        logs.migrate()
        yield logs
        logs.engine.dispose()
        return
    with pg_schema() as schema:
        logs = LogStore(pg_engine(schema), KEY, 0.4)
        logs.migrate()
        yield logs
        logs.engine.dispose()


@dataclass
class Outage:
    """A migrated store whose database can be taken away (``down``) and brought back."""

    store: LogStore
    down: Callable[[], None]
    up: Callable[[], None]


@pytest.fixture(params=["sqlite", "postgresql"])
def outage(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Outage]:
    """SQLite: the file is replaced by a folder. PostgreSQL: a TCP proxy is stopped."""
    if request.param == "sqlite":
        db = tmp_path / "logs.db"
        logs = LogStore(make_engine(f"sqlite:///{db}"), KEY, 0.4)
        logs.migrate()

        def down() -> None:
            logs.engine.dispose()
            db.rename(tmp_path / "away.db")
            db.mkdir()

        def up() -> None:
            db.rmdir()
            (tmp_path / "away.db").rename(db)

        yield Outage(logs, down, up)
        logs.engine.dispose()
        return
    proxy = TcpProxy((PG_HOST, PG_PORT))
    proxy.start()
    with pg_schema() as schema:
        url = f"postgresql+psycopg://postgres@127.0.0.1:{proxy.port}/test"
        logs = LogStore(pg_engine(schema, url), KEY, 0.4)
        logs.migrate()
        yield Outage(logs, proxy.stop, proxy.start)
        logs.engine.dispose()
    proxy.stop()
