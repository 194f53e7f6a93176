"""Chroma, embedded (persistent folder) or client/server (``chroma run`` + ``HttpClient``)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import chromadb
from chromadb.config import Settings as ChromaSettings
from langchain_chroma import Chroma
from langchain_core.embeddings import Embeddings


def chroma_client(path: Path | None = None, url: str | None = None) -> chromadb.ClientAPI:
    """A Chroma client with telemetry off: ``HttpClient`` when a URL is given."""
    settings = ChromaSettings(anonymized_telemetry=False, allow_reset=True)
    if url:
        parsed = urlparse(url)
        return chromadb.HttpClient(
            host=parsed.hostname or "127.0.0.1",
            port=parsed.port or (443 if parsed.scheme == "https" else 8000),
            ssl=parsed.scheme == "https",
            settings=settings,
        )
    if path is None:
        raise ValueError("either a Chroma path or a server URL is needed")
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=settings)


def open_vectorstore(
    client: chromadb.ClientAPI, embeddings: Embeddings, collection: str
) -> Chroma:
    """The langchain vector store over one cosine-distance collection."""
    return Chroma(
        collection_name=collection,
        embedding_function=embeddings,
        client=client,
        collection_metadata={"hnsw:space": "cosine"},
    )
