"""LLM answer mode: a synthesis of the retrieved sections, cited and checked.

Any langchain chat model works (``init_chat_model`` from the settings, or one passed in). The
offline composer stays the fallback: an error, a timeout, an answer without valid citations,
``NO_ANSWER`` or a leak of the system prompt all send the offline answer instead.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.prompts import ChatPromptTemplate

from bot.answer.advisor import Composer
from bot.answer.models import Turn
from bot.answer.offline import Composition, trim
from bot.prompts import PromptBook
from bot.retrieval.hybrid import Hit
from bot.settings import Settings

log = logging.getLogger(__name__)
CITATION = re.compile(r"\[(\d{1,2})\]")
NO_ANSWER = "NO_ANSWER"
MAX_SECTIONS = 4
MAX_CHARS = 1200
LEAK_WORDS = 8


class LLMError(RuntimeError):
    """The model's reply cannot be used (the reason is the message)."""


def build_chat_model(settings: Settings) -> BaseChatModel:
    """The chat model named by the settings, through langchain's ``init_chat_model``."""
    from langchain.chat_models import init_chat_model

    if not settings.llm_model:
        raise ValueError("answer_mode is 'llm' but ADVISOR_LLM_MODEL is not set")
    kwargs: dict[str, Any] = {
        "temperature": settings.llm_temperature,
        "timeout": settings.llm_timeout,
        "max_retries": 0,
    }
    if settings.llm_base_url:
        kwargs["base_url"] = settings.llm_base_url
    if settings.llm_api_key is not None:
        kwargs["api_key"] = settings.llm_api_key.get_secret_value()
    return init_chat_model(settings.llm_model, model_provider=settings.llm_provider, **kwargs)


class _Deadline:
    """Runs blocking model calls in worker threads and gives up after ``timeout`` seconds."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="llm")

    def run(self, fn: Any, *args: Any) -> Any:
        future = self.pool.submit(fn, *args)
        try:
            return future.result(timeout=self.timeout)
        except FutureTimeout as exc:
            future.cancel()
            raise LLMError(f"no reply within {self.timeout:g} s") from exc


class LLMComposer:
    """Composes from numbered sections with a chat model; checks before trusting it."""

    mode = "llm"

    def __init__(
        self, model: BaseChatModel, prompts: PromptBook, fallback: Composer, timeout: float
    ) -> None:
        self.model = model
        self.prompts = prompts
        self.fallback = fallback
        self.deadline = _Deadline(timeout)
        self.templates = {
            lang: ChatPromptTemplate.from_messages(
                [
                    ("system", prompts.raw(lang, "llm_system")),
                    ("human", prompts.raw(lang, "llm_answer")),
                ]
            )
            for lang in ("id", "en")
        }

    def messages(self, question: str, lang: str, hits: list[Hit]) -> list[Any]:
        """The prompt for ``question`` over the top sections, numbered from 1."""
        sections = "\n\n".join(
            f"[{i}] {h.section.title} — {h.section.heading}\n{h.section.text}"
            for i, h in enumerate(hits[:MAX_SECTIONS], start=1)
        )
        return self.templates[lang].format_messages(sections=sections, question=question)

    def compose(
        self, question: str, lang: str, hits: list[Hit], history: list[Turn]
    ) -> Composition:
        """The model's answer when it passes the checks, else the offline answer."""
        try:
            reply = self.deadline.run(self.model.invoke, self.messages(question, lang, hits))
            return self.check(str(reply.content), lang, hits)
        except Exception as exc:  # any failure of the model falls back, and is logged
            event = f"llm_fallback: {type(exc).__name__}: {exc}"
            log.warning("LLM answer not used (%s)", event)
            offline = self.fallback.compose(question, lang, hits, history)
            offline.events.append(event)
            return offline

    def stream(self, question: str, lang: str, hits: list[Hit]) -> Iterator[str]:
        """The model's answer as text deltas, for a front end that shows progress.

        The caller must still pass the full text to ``check`` before showing it as final.
        """
        for chunk in self.model.stream(self.messages(question, lang, hits)):
            if chunk.content:
                yield str(chunk.content)

    def check(self, text: str, lang: str, hits: list[Hit]) -> Composition:
        """Accept only a cited, non-leaking answer; its sections are the cited ones."""
        text = text.strip()
        if not text or NO_ANSWER in text:
            raise LLMError("the model found no answer in the sections")
        given = min(len(hits), MAX_SECTIONS)
        cited = [int(n) for n in CITATION.findall(text)]
        if not cited:
            raise LLMError("the answer cites no section")
        if any(n < 1 or n > given for n in cited):
            raise LLMError(f"the answer cites a section that was not given: {cited}")
        if self._leaks(text, lang):
            raise LLMError("the answer repeats the system prompt")
        order = list(dict.fromkeys(cited))
        return Composition(trim(text, MAX_CHARS), [hits[n - 1].section for n in order], "llm")

    def _leaks(self, text: str, lang: str) -> bool:
        """True when any run of LEAK_WORDS words of the system prompt appears in the text."""
        words = re.findall(r"\w+", self.prompts.raw(lang, "llm_system").lower())
        said = " ".join(re.findall(r"\w+", text.lower()))
        return any(
            " ".join(words[i : i + LEAK_WORDS]) in said for i in range(len(words) - LEAK_WORDS + 1)
        )


class LLMRewriter:
    """Rewrites a follow-up into a standalone question with the chat model."""

    def __init__(self, model: BaseChatModel, prompts: PromptBook, timeout: float) -> None:
        self.model = model
        self.prompts = prompts
        self.deadline = _Deadline(timeout)

    def __call__(self, question: str, history: list[Turn], lang: str) -> str:
        text = self.prompts.text(
            lang,
            "llm_rewrite",
            history="\n".join(f"- {t.question}" for t in history),
            question=question,
        )
        reply = self.deadline.run(self.model.invoke, text)
        rewritten = str(reply.content).strip().splitlines()
        if not rewritten or NO_ANSWER in rewritten[0]:
            raise LLMError("no rewritten question")
        return rewritten[0]


def build_llm_composer(
    settings: Settings, prompts: PromptBook, fallback: Composer, model: BaseChatModel | None = None
) -> LLMComposer:
    """The LLM composer with the offline one as fallback."""
    chosen = model or build_chat_model(settings)
    return LLMComposer(chosen, prompts, fallback, settings.llm_timeout)
