"""``advisor logs ...`` and ``advisor ops`` start-up, on SQLite and on PostgreSQL by URL."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import update
from typer.testing import CliRunner

from bot.cli import get_app
from bot.cli.logs import open_logs, parse_age
from bot.settings import Settings
from bot.store.models import Conversation
from tests.conftest import make_settings
from tests.store.conftest import PG, pg_schema
from tests.store.helpers import record


@pytest.fixture(params=["sqlite", "postgresql"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    """Settings whose ``database_url`` is the default SQLite file or a PostgreSQL URL."""
    if request.param == "sqlite":
        yield make_settings(tmp_path / "data")
        return
    with pg_schema() as schema:
        url = f"{PG}?options=-csearch_path%3D{schema}"
        yield make_settings(tmp_path / "data", database_url=url)


def run(settings: Settings, *args: str) -> str:
    done = CliRunner().invoke(get_app(), list(args), obj=settings)
    assert done.exit_code == 0, done.output
    return done.output


@pytest.fixture
def seeded(settings: Settings) -> Settings:
    logs = open_logs(settings)
    record(logs, "pajak olshop berapa?", user=1)
    record(logs, "how to open shopee", user=2, lang="en", confidence=0.3)
    record(logs, "=cuaca besok", user=3, refused=True, confidence=0.1)
    logs.engine.dispose()
    return settings


def test_list_filters(seeded: Settings) -> None:
    assert len(run(seeded, "logs", "list").splitlines()) == 3
    [line] = run(seeded, "logs", "list", "--refused").splitlines()
    assert "REFUSED" in line and "=cuaca besok" in line
    assert run(seeded, "logs", "list", "--lang", "en", "--low-confidence").count("\n") == 1
    assert run(seeded, "logs", "list", "--search", "PAJAK").count("\n") == 1
    tomorrow = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)).isoformat()
    assert run(seeded, "logs", "list", "--from", tomorrow) == ""


def test_show_by_short_id(seeded: Settings) -> None:
    short = run(seeded, "logs", "list", "--lang", "en").split()[2]
    out = run(seeded, "logs", "show", short)
    assert "seller: how to open shopee" in out and "source: T https://x.org" in out
    done = CliRunner().invoke(get_app(), ["logs", "show", "zzzz"], obj=seeded)
    assert done.exit_code == 1


def test_export_jsonl_and_csv(seeded: Settings) -> None:
    lines = run(seeded, "logs", "export", "--lang", "id").splitlines()
    assert {json.loads(x)["question"] for x in lines} == {"pajak olshop berapa?", "=cuaca besok"}
    table = list(csv.DictReader(io.StringIO(run(seeded, "logs", "export", "--format", "csv"))))
    assert len(table) == 3
    assert {r["question"] for r in table} >= {"'=cuaca besok", "how to open shopee"}
    assert table[0]["sources"] == "https://x.org"


def test_purge_older_than(seeded: Settings) -> None:
    logs = open_logs(seeded)
    with logs.session() as session:
        session.execute(
            update(Conversation)
            .where(Conversation.chat_key == logs.keys(1, 1)[0])
            .values(last_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=91))
        )
    logs.engine.dispose()
    assert "purged 1 conversation(s)" in run(seeded, "logs", "purge", "--older-than", "90d")
    assert len(run(seeded, "logs", "list").splitlines()) == 2


def test_parse_age() -> None:
    assert parse_age("90d") == dt.timedelta(days=90)
    assert parse_age("12h") == dt.timedelta(hours=12)
    assert parse_age("2w") == dt.timedelta(weeks=2)


def test_purge_rejects_a_bad_age(tmp_path: Path) -> None:
    done = CliRunner().invoke(
        get_app(), ["logs", "purge", "--older-than", "soon"], obj=make_settings(tmp_path)
    )
    assert done.exit_code == 2


def test_ops_refuses_to_start_without_a_password(tmp_path: Path) -> None:
    done = CliRunner().invoke(get_app(), ["ops"], obj=make_settings(tmp_path))
    assert done.exit_code == 2
    assert done.output.strip() == "error: set ADVISOR_OPS_PASSWORD to serve the review page"
