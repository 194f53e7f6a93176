"""Hybrid retrieval: dense (Chroma) and lexical (BM25) scores fused into one ranking."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from langchain_chroma import Chroma
from langchain_core.embeddings import Embeddings

from bot.retrieval.lexical import BM25
from bot.retrieval.normalize import Normalizer

PEAK_TAIL = (10, 30)


@dataclass(frozen=True)
class Section:
    """A retrievable section with the document facts an answer needs."""

    id: str
    doc_id: str
    lang: str
    title: str
    heading: str
    text: str
    topics: tuple[str, ...]
    sources: tuple[dict[str, Any], ...]
    updated: dt.date | None
    review_by: dt.date | None
    superseded_by: str
    translation: str
    questions: tuple[str, ...]

    @classmethod
    def from_store(cls, cid: str, content: str, meta: Mapping[str, Any]) -> Section:
        _, _, text = content.partition("\n")
        return cls(
            id=cid,
            doc_id=str(meta.get("doc_id", cid.split("#")[0])),
            lang=str(meta.get("lang", "id")),
            title=str(meta.get("title", "")),
            heading=str(meta.get("heading", "")),
            text=text or content,
            topics=tuple(t for t in str(meta.get("topics", "")).split(",") if t),
            sources=tuple(json.loads(str(meta.get("sources") or "[]"))),
            updated=_date(meta.get("updated")),
            review_by=_date(meta.get("review_by")),
            superseded_by=str(meta.get("superseded_by") or ""),
            translation=str(meta.get("translation") or ""),
            questions=tuple(json.loads(str(meta.get("questions") or "[]"))),
        )


def _peak(dense_hits: list[Any]) -> float:
    """How far the best match stands above the crowd (ranks 10-30).

    An off-topic question is about equally far from every section; a real one has a few
    sections clearly closer than the rest.
    """
    sims = sorted((1.0 - float(score) for _, score in dense_hits), reverse=True)
    if len(sims) < PEAK_TAIL[1]:
        return 0.0  # too few sections for a crowd to compare with
    tail = sims[PEAK_TAIL[0] : PEAK_TAIL[1]]
    return max(sims[0] - sum(tail) / len(tail), 0.0)


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


@dataclass
class Hit:
    """A section with its fused score and the signals behind it."""

    section: Section
    score: float
    dense: float
    lexical: float
    coverage: float
    dense_scaled: float = 0.0


@dataclass
class SearchResult:
    hits: list[Hit]
    tokens: list[str]
    peak: float = 0.0
    embed_ms: float = 0.0
    search_ms: float = 0.0
    fusion_ms: float = 0.0


@dataclass(frozen=True)
class Weights:
    """How dense and lexical evidence combine; chosen on the evaluation set."""

    dense: float = 0.7
    lexical: float = 0.2
    same_lang: float = 0.08
    dense_floor: float = 0.78
    dense_span: float = 0.14
    dense_k: int = 40


@dataclass
class Corpus:
    """An immutable snapshot of the indexed sections with their BM25 index."""

    sections: list[Section] = field(default_factory=list)
    bm25: BM25 = field(default_factory=lambda: BM25([]))
    position: dict[str, int] = field(default_factory=dict)


class HybridRetriever:
    """Dense + BM25 over the same sections. Safe to query while another thread re-indexes."""

    def __init__(
        self,
        store: Chroma,
        embeddings: Embeddings,
        normalizer: Normalizer,
        weights: Weights | None = None,
    ) -> None:
        self.store = store
        self.embeddings = embeddings
        self.normalizer = normalizer
        self.weights = weights or Weights()
        self._corpus = Corpus()
        self._lock = threading.Lock()

    @property
    def size(self) -> int:
        return len(self._corpus.sections)

    @property
    def doc_ids(self) -> set[str]:
        """Ids of the documents currently searchable."""
        return {s.doc_id for s in self._corpus.sections}

    def sections_of(self, doc_id: str) -> list[Section]:
        return [s for s in self._corpus.sections if s.doc_id == doc_id]

    def refresh(self) -> None:
        """Reload the lexical snapshot from the store (after a sync); readers keep the old one."""
        data = self.store.get(include=["documents", "metadatas"])
        sections = [
            Section.from_store(cid, doc or "", meta or {})
            for cid, doc, meta in zip(
                data["ids"], data["documents"], data["metadatas"], strict=True
            )
        ]
        sections.sort(key=lambda s: s.id)
        tokens = [
            self.normalizer.tokens(f"{s.title} {s.heading} {s.text}", s.lang) for s in sections
        ]
        corpus = Corpus(sections, BM25(tokens), {s.id: i for i, s in enumerate(sections)})
        with self._lock:
            self._corpus = corpus

    def embed(self, query: str) -> list[float]:
        return self.embeddings.embed_query(query)

    def search(
        self, query: str, lang: str | None, k: int = 5, vector: list[float] | None = None
    ) -> SearchResult:
        """Top ``k`` sections for ``query``, preferring ``lang``."""
        corpus = self._corpus
        tokens = self.normalizer.tokens(query, lang)
        if not corpus.sections:
            return SearchResult([], tokens)
        t0 = time.perf_counter()
        if vector is None:
            vector = self.embed(self.normalizer.normalize(query))
        t1 = time.perf_counter()
        n = min(self.weights.dense_k, len(corpus.sections))
        dense_hits = self.store.similarity_search_by_vector_with_relevance_scores(vector, k=n)
        t2 = time.perf_counter()
        hits = self._fuse(corpus, dense_hits, tokens, lang)[:k]
        t3 = time.perf_counter()
        ms = ((t1 - t0) * 1e3, (t2 - t1) * 1e3, (t3 - t2) * 1e3)
        return SearchResult(hits, tokens, _peak(dense_hits), *ms)

    def _fuse(
        self, corpus: Corpus, dense_hits: list[Any], tokens: list[str], lang: str | None
    ) -> list[Hit]:
        w = self.weights
        bm25 = corpus.bm25.scores(tokens)
        top_lex = max(bm25, default=0.0) or 1.0
        dense: dict[str, tuple[Section, float]] = {}
        for doc, score in dense_hits:
            cid = str(doc.id or "")
            pos = corpus.position.get(cid)
            section = (
                corpus.sections[pos]
                if pos is not None
                else Section.from_store(cid, doc.page_content, doc.metadata)
            )
            dense[cid] = (section, 1.0 - float(score))  # Chroma gives cosine distance
        floor = min((s for _, s in dense.values()), default=0.0)
        candidates = {cid: sec for cid, (sec, _) in dense.items()}
        ranked_lex = sorted(range(len(bm25)), key=bm25.__getitem__, reverse=True)[: w.dense_k]
        for i in ranked_lex:
            if bm25[i] > 0:
                candidates.setdefault(corpus.sections[i].id, corpus.sections[i])
        hits = []
        for cid, section in candidates.items():
            cos = dense.get(cid, (section, floor))[1]
            d = min(max((cos - w.dense_floor) / w.dense_span, 0.0), 1.0)
            pos = corpus.position.get(cid)
            lex = bm25[pos] / top_lex if pos is not None else 0.0
            cov = corpus.bm25.coverage(tokens, pos) if pos is not None else 0.0
            score = w.dense * d + w.lexical * lex + (w.same_lang if section.lang == lang else 0)
            hits.append(Hit(section, score, cos, lex, cov, d))
        hits.sort(key=lambda h: h.score, reverse=True)
        return hits
