"""Any text, however hostile, gets an Answer: no exception, bounded size, no invented sources."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.answer.models import Turn
from bot.runtime import Runtime

NASTY = st.sampled_from(
    ["\u200b", "\u202e", "\u2066", "\ufeff", "<b>", "</a>", "&amp;", "```", "\x00", "\n" * 5, "🔥"]
)
TEXT = st.lists(st.one_of(st.text(max_size=40), NASTY), max_size=30).map("".join)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(question=TEXT, previous=st.none() | TEXT)
def test_any_text_gets_an_answer(small: Runtime, question: str, previous: str | None) -> None:
    history = [Turn(question=previous)] if previous is not None else []
    answer = small.advisor.ask(question, history=history)
    assert answer.lang in {"id", "en"}
    assert 0.0 <= answer.confidence <= 1.0
    assert len(answer.text) < 2000
    assert {s.id for s in answer.sources} <= small.retriever.doc_ids
    assert answer.refused == (answer.sources == [])


def test_hundred_thousand_characters(small: Runtime) -> None:
    answer = small.advisor.ask("<script>alert(1)</script> shopee " * 4000)
    assert len(answer.question) <= 1000
    assert "<script>" not in answer.text
