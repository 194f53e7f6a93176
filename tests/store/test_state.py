"""Persistent conversation state and the shared rate limit, as two bot replicas see them."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from bot.answer.models import Turn
from bot.conversation import ConversationState
from bot.store.state import SharedRateLimiter, StoredState
from bot.store.store import LogStore
from tests.store.conftest import Outage


async def test_state_is_shared_by_replicas_and_bounded(store: LogStore) -> None:
    one: ConversationState = StoredState(store, max_turns=2)
    two: ConversationState = StoredState(store, max_turns=2)
    for i in range(3):
        await one.remember(1, 2, Turn(question=f"q{i}", answer=f"a{i}", lang="id"))
    assert [t.question for t in await two.history(1, 2)] == ["q1", "q2"]
    assert await two.history(1, 3) == []
    await two.reset(1, 2)
    assert await one.history(1, 2) == []
    assert await one.language(2) is None
    await one.set_language(2, "en")
    assert await two.language(2) == "en"


async def test_state_falls_back_to_memory_when_the_database_fails(outage: Outage) -> None:
    state = StoredState(outage.store, max_turns=3)
    outage.down()
    await state.remember(1, 2, Turn(question="q", answer="a", lang="id"))
    await state.set_language(2, "en")
    assert [t.question for t in await state.history(1, 2)] == ["q"]
    assert await state.language(2) == "en"
    outage.up()


async def test_rate_limit_is_shared_and_warns_once(store: LogStore) -> None:
    one, two = SharedRateLimiter(store, 3, 10.0), SharedRateLimiter(store, 3, 10.0)
    decisions = [await (one if i % 2 else two).check(42, at=1000.0) for i in range(5)]
    assert [d.allowed for d in decisions] == [True, True, True, False, False]
    assert [d.first_refusal for d in decisions] == [False, False, False, True, False]
    assert (await one.check(43, at=1000.0)).hits == 1
    assert (await one.check(42, at=1010.0)).allowed


def test_rate_counter_is_atomic_under_concurrency(store: LogStore) -> None:
    with ThreadPoolExecutor(8) as pool:
        counts = list(pool.map(lambda _: store.count_hit(7, 60.0, at=120.0), range(40)))
    assert sorted(counts) == list(range(1, 41))


async def test_rate_limit_allows_when_the_database_fails(outage: Outage) -> None:
    limiter = SharedRateLimiter(outage.store, 1, 10.0)
    outage.down()
    decision = await limiter.check(1)
    outage.up()
    assert decision.allowed and decision.hits == 0
