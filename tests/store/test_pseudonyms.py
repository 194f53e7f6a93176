"""Raw Telegram ids never reach the database: every table is read back and searched."""

from __future__ import annotations

from sqlalchemy import inspect, text

from bot.store.models import Conversation, Handoff
from bot.store.privacy import pseudonym
from bot.store.store import LogStore
from tests.store.conftest import KEY
from tests.store.helpers import record

RAW = 987654321


def dump(store: LogStore) -> str:
    """Every row of every table, as text."""
    with store.engine.connect() as conn:
        tables = inspect(conn).get_table_names()
        rows = [conn.execute(text(f'SELECT * FROM "{t}"')).all() for t in tables]  # noqa: S608
    return repr(rows)


def test_no_table_holds_the_raw_user_id(store: LogStore) -> None:
    message = record(store, "my id is secret, phone 0812-3456-7890", user=RAW)
    store.record_feedback(message, -1, "seller", "hubungi 0812-3456-7890")
    store.add_turn(RAW, RAW, "pajak?", "ya", "id", keep=3)
    store.set_language(RAW, "en")
    store.count_hit(RAW, 10.0)
    handoff = store.open_handoff(RAW, RAW)
    store.add_note(handoff, "seller", "tolong")
    store.close_handoff(handoff)
    everything = dump(store)
    assert str(RAW) not in everything
    assert "3456-7890" not in everything
    assert pseudonym(KEY, RAW) in everything


def test_open_handoff_keeps_the_chat_id_only_until_closed(store: LogStore) -> None:
    handoff = store.open_handoff(RAW, RAW)
    found = store.open_handoff_of(RAW)
    assert found is not None and found.chat_id == RAW
    store.close_handoff(handoff)
    closed = store.handoff(handoff)
    assert closed is not None and closed.chat_id is None and closed.closed_at is not None
    assert store.open_handoff_of(RAW) is None


def test_conversation_keys_are_keyed_hashes(store: LogStore) -> None:
    record(store, "q", user=RAW)
    with store.session() as session:
        conv = session.query(Conversation).one()
        assert session.query(Handoff).count() == 0
    assert conv.user_key == pseudonym(KEY, RAW) != pseudonym("other-key", RAW)
    assert conv.chat_key == pseudonym(KEY, RAW)
