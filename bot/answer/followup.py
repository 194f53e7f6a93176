"""Offline follow-up handling: turn "kalau di Lazada gimana?" into a standalone question."""

from __future__ import annotations

import re

from bot.answer.models import Turn
from bot.retrieval.normalize import Normalizer

SHORT = 2
MARKED_SHORT = 4


def is_dependent(question: str, normalizer: Normalizer) -> bool:
    """A question too short to stand alone, or opening with a follow-up marker."""
    tokens = normalizer.tokens(question)
    if len(tokens) <= SHORT:
        return True
    text = " ".join(normalizer.words(question))
    markers = [m for ms in normalizer.lexicon.followup_markers.values() for m in ms]
    starts = any(text == m or text.startswith(m + " ") for m in markers)
    return starts and len(tokens) <= MARKED_SHORT


def standalone_question(question: str, history: list[Turn], normalizer: Normalizer) -> str:
    """The question to search for: itself, or rewritten with the previous one's context."""
    if not history or not is_dependent(question, normalizer):
        return question
    previous = history[-1].question
    new, old = normalizer.entities_in(question), normalizer.entities_in(previous)
    if new and old and new[0] != old[0]:
        prev_norm = normalizer.normalize(previous)
        return re.sub(rf"\b{re.escape(old[0])}\b", new[0], prev_norm)
    return f"{question} {previous}"
