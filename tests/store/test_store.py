"""The store on SQLite and PostgreSQL: records, filters, state, handoffs, purge, migrations."""

from __future__ import annotations

import datetime as dt

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select, text, update

from bot.store.models import Base, Conversation, Message
from bot.store.privacy import pseudonym
from bot.store.records import MessageFilter
from bot.store.store import MIGRATIONS, LogStore
from tests.store.helpers import record


def test_migrations_match_the_models(store: LogStore) -> None:
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_exchange_is_stored_redacted_and_pseudonymised(store: LogStore) -> None:
    record(store, "wa sy 0812-3456-7890, email sari@toko.id", user=123456789)
    [row] = store.messages(MessageFilter())
    assert row.question == "wa sy [phone], email [email]"
    with store.session() as session:
        conv = session.scalars(select(Conversation)).one()
        raw = session.execute(text("SELECT * FROM conversations")).all()
    assert conv.user_key == pseudonym("test-key", 123456789)
    assert "123456789" not in str(raw)


def test_filters(store: LogStore) -> None:
    record(store, "pajak olshop", lang="id")
    record(store, "how to open shopee", lang="en", confidence=0.3)
    weather = record(store, "cuaca besok", refused=True, confidence=0.1)
    store.record_feedback(weather, -1)
    assert [r.question for r in store.messages(MessageFilter(lang="en"))] == ["how to open shopee"]
    assert [r.question for r in store.messages(MessageFilter(refused=True))] == ["cuaca besok"]
    assert {r.question for r in store.messages(MessageFilter(low_confidence=True))} == {
        "how to open shopee",
        "cuaca besok",
    }
    assert [r.feedback for r in store.messages(MessageFilter(thumbs_down=True))] == [-1]
    assert [r.question for r in store.messages(MessageFilter(q="OLSHOP"))] == ["pajak olshop"]
    today = dt.datetime.now(dt.UTC).date()
    assert len(store.messages(MessageFilter(date_from=today, date_to=today))) == 3
    assert store.messages(MessageFilter(date_to=today - dt.timedelta(days=1))) == []


def test_handoff_filter_and_notes(store: LogStore) -> None:
    record(store, "tolong bantu", user=9)
    record(store, "lain", user=10)
    handoff = store.open_handoff(9, 9)
    assert store.open_handoff(9, 9) == handoff
    store.add_note(handoff, "operator", "Halo, saya Rina. NIK saya 3174012345678901")
    assert [r.question for r in store.messages(MessageFilter(handoff_open=True))] == [
        "tolong bantu"
    ]
    found = store.open_handoff_of(9)
    assert found is not None
    conv = store.conversation(store.messages(MessageFilter(q="tolong"))[0].conversation_id)
    assert conv is not None
    assert conv[2][0].notes[0].text == "Halo, saya Rina. NIK saya [nik]"
    store.close_handoff(handoff)
    assert store.open_handoff_of(9) is None


def test_dashboard(store: LogStore) -> None:
    a = record(store, "q1", topics=["tax"])
    record(store, "q2", topics=["tax", "halal"])
    record(store, "q3", refused=True, topics=[])
    store.record_feedback(a, 1)
    d = store.dashboard()
    assert d.total == 3
    assert d.refusal_rate == round(1 / 3, 4)
    assert (d.thumbs_up, d.thumbs_down, d.positive_share) == (1, 0, 1.0)
    assert d.top_topics[0] == ("tax", 2)
    assert d.median_latency_ms == 12.5


def test_state_turns_are_bounded_and_reset(store: LogStore) -> None:
    for i in range(5):
        store.add_turn(1, 2, f"q{i}", "a", "id", keep=3)
    assert [t.question for t in store.turns(1, 2, 10)] == ["q2", "q3", "q4"]
    assert store.turns(1, 3, 10) == []
    store.clear_turns(1, 2)
    assert store.turns(1, 2, 10) == []
    store.set_language(2, "en")
    store.set_language(2, "id")
    assert store.language(2) == "id"


def test_purge_removes_old_conversations(store: LogStore) -> None:
    old = record(store, "lama", user=1)
    record(store, "baru", user=2)
    store.record_feedback(old, -1)
    with store.session() as session:
        conv_id = session.get(Message, old).conversation_id  # type: ignore[union-attr]
        session.execute(
            update(Conversation)
            .where(Conversation.id == conv_id)
            .values(last_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=100))
        )
    assert store.purge(dt.timedelta(days=90)) == 1
    assert [r.question for r in store.messages(MessageFilter())] == ["baru"]


def test_migrations_go_down_and_up_again(store: LogStore) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    with store.engine.connect() as conn:
        assert inspect(conn).get_table_names() == ["alembic_version"]
    store.migrate()
    record(store, "after")
    assert len(store.messages(MessageFilter())) == 1
