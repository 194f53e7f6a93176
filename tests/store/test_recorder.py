"""The recorder never fails an answer: outages are buffered, bounded, and flushed in order."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.store.recorder import LogRecorder
from bot.store.records import MessageFilter
from bot.store.store import LogStore
from tests.store.conftest import Outage
from tests.store.helpers import make_answer


async def test_exchange_and_feedback_are_written(store: LogStore) -> None:
    recorder = LogRecorder(store)
    key = await recorder.record_exchange(
        1, 2, "pajak olshop 0812-3456-7890?", make_answer("x"), 41.26
    )
    await recorder.record_feedback(key, -1)
    [row] = store.messages(MessageFilter())
    assert (row.id, row.feedback, row.latency_ms) == (key, -1, 41.3)
    assert row.question == "pajak olshop [phone]?"
    assert row.sources[0]["url"] == "https://pajak.go.id/pmk37"
    assert row.topics == ["tax"]


async def test_outage_is_buffered_then_flushed_in_order(
    outage: Outage, caplog: pytest.LogCaptureFixture
) -> None:
    recorder = LogRecorder(outage.store, max_buffer=100, retry_seconds=0.0)
    outage.down()
    keys = [
        await recorder.record_exchange(5, 5, f"q{i}", make_answer(f"q{i}"), 10) for i in range(3)
    ]
    await recorder.record_feedback(keys[0], 1)
    assert len(recorder.pending) == 4
    assert "logs store unavailable" in caplog.text
    outage.up()
    assert await recorder.flush(force=True)
    rows = outage.store.messages(MessageFilter())
    assert [r.question for r in reversed(rows)] == ["q0", "q1", "q2"]
    assert {r.id: r.feedback for r in rows}[keys[0]] == 1
    assert not recorder.pending and recorder.dropped == 0


async def test_full_buffer_drops_the_oldest_and_counts(
    outage: Outage, caplog: pytest.LogCaptureFixture
) -> None:
    recorder = LogRecorder(outage.store, max_buffer=2, retry_seconds=0.0)
    outage.down()
    for i in range(5):
        await recorder.record_exchange(5, 5, f"q{i}", make_answer(f"q{i}"), 10)
    assert (len(recorder.pending), recorder.dropped) == (2, 3)
    assert "3 record(s) dropped" in caplog.text
    outage.up()
    await recorder.flush(force=True)
    assert {r.question for r in outage.store.messages(MessageFilter())} == {"q3", "q4"}


async def test_after_a_failure_writes_only_queue_until_the_retry_time(outage: Outage) -> None:
    recorder = LogRecorder(outage.store, retry_seconds=60.0)
    outage.down()
    await recorder.record_exchange(5, 5, "first", make_answer("first"), 10)
    outage.up()
    await recorder.record_exchange(5, 5, "second", make_answer("second"), 10)
    assert len(recorder.pending) == 2
    assert outage.store.messages(MessageFilter()) == []
    await recorder.aclose()
    assert len(outage.store.messages(MessageFilter())) == 2


async def test_background_run_retries(outage: Outage) -> None:
    recorder = LogRecorder(outage.store, retry_seconds=0.05)
    outage.down()
    await recorder.record_exchange(5, 5, "later", make_answer("later"), 10)
    outage.up()
    task = asyncio.create_task(recorder.run())
    try:
        for _ in range(100):
            if not recorder.pending:
                break
            await asyncio.sleep(0.05)
    finally:
        task.cancel()
    assert [r.question for r in outage.store.messages(MessageFilter())] == ["later"]


async def test_a_rejected_record_is_dropped_not_retried_forever(
    store: LogStore, caplog: pytest.LogCaptureFixture
) -> None:
    recorder = LogRecorder(store)

    def broken(_: LogStore) -> None:
        raise ValueError("bad record")

    caplog.set_level(logging.ERROR)
    assert await recorder.write(broken)
    await recorder.record_exchange(1, 1, "after", make_answer("after"), 1)
    assert recorder.dropped == 1 and not recorder.pending
    assert len(store.messages(MessageFilter())) == 1


async def test_handoff_through_the_recorder(store: LogStore) -> None:
    recorder = LogRecorder(store)
    handoff = await recorder.open_handoff(3, 3)
    assert handoff is not None and handoff == await recorder.open_handoff(3, 3)
    await recorder.add_note(handoff, "seller", "NIK 3174012345678901")
    await recorder.close_handoff(handoff)
    closed = store.handoff(handoff)
    assert closed is not None and closed.status == "closed"
    assert closed.notes[0].text == "NIK [nik]"


async def test_open_handoff_during_an_outage_returns_none(outage: Outage) -> None:
    recorder = LogRecorder(outage.store, retry_seconds=0.0)
    outage.down()
    assert await recorder.open_handoff(3, 3) is None
    outage.up()
    await recorder.flush(force=True)
    assert outage.store.open_handoff_of(3) is not None
