"""Builds the advisor and its heavy parts once, from the settings. The one wiring place."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from langchain_chroma import Chroma
from langchain_core.embeddings import Embeddings

from bot.answer.advisor import Advisor, Composer, Rewriter
from bot.answer.offline import OfflineComposer
from bot.knowledge import KnowledgeBase, load_knowledge
from bot.prompts import PromptBook
from bot.retrieval.embeddings import build_embeddings
from bot.retrieval.hybrid import HybridRetriever
from bot.retrieval.index import Progress, SyncReport, sync_index
from bot.retrieval.normalize import Normalizer
from bot.retrieval.vectorstore import chroma_client, open_vectorstore
from bot.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    """The advisor with the objects behind it, for callers that also index or inspect."""

    settings: Settings
    advisor: Advisor
    retriever: HybridRetriever
    store: Chroma
    embeddings: Embeddings
    prompts: PromptBook
    _sync_lock: threading.Lock

    def sync(self, progress: Progress | None = None) -> tuple[KnowledgeBase, SyncReport]:
        """Re-read the knowledge folder and bring the index up to date; queries keep working."""
        with self._sync_lock:
            kb = load_knowledge(self.settings.knowledge_dir)
            report = sync_index(kb, self.store, progress)
            self.retriever.refresh()
        log.info("index sync: %s", report.summary())
        return kb, report


ComposerFactory = Callable[[Settings, PromptBook], Composer]


def offline_composer(settings: Settings, prompts: PromptBook) -> Composer:
    return OfflineComposer(settings.max_answer_chars, prompts.raw("id", "answer.ellipsis"))


def build_runtime(
    settings: Settings,
    *,
    embeddings: Embeddings | None = None,
    composer_factory: ComposerFactory | None = None,
    sync_if_empty: bool = True,
) -> Runtime:
    """Embeddings, Chroma, retriever and advisor; the index is built on first use if empty."""
    embeddings = embeddings or build_embeddings(
        settings.embedding_backend, settings.embedding_threads
    )
    client = chroma_client(settings.resolved_chroma_path, settings.chroma_url)
    store = open_vectorstore(client, embeddings, settings.chroma_collection)
    prompts = PromptBook(settings.prompts_dir)
    retriever = HybridRetriever(store, embeddings, Normalizer())
    composer = (composer_factory or default_composer)(settings, prompts)
    advisor = Advisor(
        retriever,
        composer,
        prompts,
        threshold=settings.refusal_threshold,
        top_k=settings.top_k,
        default_lang=settings.default_lang,
        rewriter=_rewriter(settings, prompts, composer),
    )
    runtime = Runtime(settings, advisor, retriever, store, embeddings, prompts, threading.Lock())
    retriever.refresh()
    if sync_if_empty and retriever.size == 0:
        runtime.sync()
    return runtime


def _rewriter(settings: Settings, prompts: PromptBook, composer: Composer) -> Rewriter | None:
    """In LLM mode, follow-ups are rewritten by the same chat model."""
    if settings.answer_mode != "llm":
        return None
    from bot.answer.llm import LLMComposer, LLMRewriter

    if not isinstance(composer, LLMComposer):
        return None
    return LLMRewriter(composer.model, prompts, settings.llm_timeout)


def default_composer(settings: Settings, prompts: PromptBook) -> Composer:
    """The offline composer, or the LLM one (with offline fallback) when configured."""
    if settings.answer_mode == "llm":
        from bot.answer.llm import build_llm_composer

        return build_llm_composer(settings, prompts, offline_composer(settings, prompts))
    return offline_composer(settings, prompts)
