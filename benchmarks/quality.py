"""Answer quality: this advisor beside the default LangChain recipe and BM25, same embeddings."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from langchain_core.embeddings import Embeddings

from bot.answer.advisor import Advisor
from bot.evaluation import CaseResult, EvalCase, breakdown, run_case
from bot.knowledge import KnowledgeBase

TOP_K = 4
METRIC_KEYS = ("hit_at_1", "hit_at_3", "mrr", "refusal_precision", "refusal_recall")

# one ranked list of (doc_id, score) per query, best first
Ranking = list[tuple[str, float]]


@dataclass
class SystemResult:
    name: str
    results: list[CaseResult]
    note: str = ""

    def scores(self) -> dict[str, dict[str, float | int]]:
        return breakdown(self.results)


def baseline_query(case: EvalCase) -> str:
    """Baselines have no conversation memory: follow-ups get the earlier questions prepended."""
    return " ".join([*case.history, case.q])


def to_result(case: EvalCase, ranking: Ranking, refused: bool) -> CaseResult:
    docs = list(dict.fromkeys(doc for doc, _ in ranking))
    rank = None
    if not case.should_refuse and not refused:
        expected = set(case.expect)
        rank = next((i + 1 for i, d in enumerate(docs) if d in expected), None)
    top = ranking[0][1] if ranking else 0.0
    return CaseResult(case=case, refused=refused, ranked_docs=docs, rank=rank, confidence=top)


def with_threshold(
    cases: Sequence[EvalCase], rankings: Sequence[Ranking], threshold: float
) -> list[CaseResult]:
    """Refuse when the top score is below ``threshold``."""
    out = []
    for case, ranking in zip(cases, rankings, strict=True):
        top = ranking[0][1] if ranking else float("-inf")
        out.append(to_result(case, ranking, refused=top < threshold))
    return out


def correct_outcomes(results: Sequence[CaseResult]) -> int:
    """Refused when it should, or answered with an expected document first."""
    return sum(
        (r.refused if r.case.should_refuse else (not r.refused and r.rank == 1)) for r in results
    )


def tune_threshold(
    cases: Sequence[EvalCase], rankings: Sequence[Ranking]
) -> tuple[float, list[CaseResult]]:
    """The single threshold with the most correct outcomes on these (test) cases."""
    tops = sorted({r[0][1] for r in rankings if r})
    candidates = [float("-inf"), *tops, (tops[-1] + 1.0) if tops else 0.0]
    best: tuple[int, float, list[CaseResult]] | None = None
    for t in candidates:
        results = with_threshold(cases, rankings, t)
        n = correct_outcomes(results)
        if best is None or n > best[0]:
            best = (n, t, results)
    assert best is not None
    return best[1], best[2]


# --- this advisor -------------------------------------------------------------------------
def run_advisor(advisor: Advisor, cases: Sequence[EvalCase]) -> SystemResult:
    return SystemResult("Seller Advisor (hybrid, run_case)", [run_case(advisor, c) for c in cases])


# --- the default LangChain recipe ---------------------------------------------------------
def langchain_rankings(
    kb: KnowledgeBase, embeddings: Embeddings, cases: Sequence[EvalCase]
) -> tuple[list[Ranking], int]:
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from langchain_chroma import Chroma
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    docs = [d for d in sorted(kb.documents.values(), key=lambda d: d.id) if not d.meta.draft]
    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
    pieces = splitter.create_documents(
        [d.body for d in docs], metadatas=[{"doc_id": d.id} for d in docs]
    )
    client = chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False))
    store = Chroma(
        collection_name=f"bench-{uuid.uuid4().hex[:8]}",
        embedding_function=embeddings,
        client=client,
        collection_metadata={"hnsw:space": "cosine"},
    )
    store.add_documents(pieces)
    rankings: list[Ranking] = []
    for case in cases:
        hits = store.similarity_search_with_score(baseline_query(case), k=TOP_K)
        # cosine distance -> similarity
        rankings.append([(doc.metadata["doc_id"], 1.0 - dist) for doc, dist in hits])
    store.delete_collection()
    return rankings, len(pieces)


# --- BM25 over the advisor's sections -----------------------------------------------------
def bm25_rankings(kb: KnowledgeBase, cases: Sequence[EvalCase]) -> list[Ranking]:
    import bm25s

    chunks = kb.chunks()
    corpus = [c.embedding_text() for c in chunks]
    retriever = bm25s.BM25()
    retriever.index(
        bm25s.tokenize(corpus, stopwords=None, show_progress=False), show_progress=False
    )
    rankings: list[Ranking] = []
    for case in cases:
        tokens = bm25s.tokenize(
            [baseline_query(case)], stopwords=None, return_ids=False, show_progress=False
        )
        known = [[t for t in tokens[0] if t in retriever.vocab_dict]]
        if not known[0]:
            rankings.append([])
            continue
        idx, scores = retriever.retrieve(known, k=TOP_K, show_progress=False)
        rankings.append(
            [(chunks[int(i)].doc_id, float(s)) for i, s in zip(idx[0], scores[0], strict=True)]
        )
    return rankings


def run_all(
    advisor: Advisor,
    kb: KnowledgeBase,
    embeddings: Embeddings,
    cases: Sequence[EvalCase],
    log: Callable[[str], None] = print,
) -> list[SystemResult]:
    systems = [run_advisor(advisor, cases)]
    log(f"  advisor: {len(cases)} cases")

    lc, n_pieces = langchain_rankings(kb, embeddings, cases)
    systems.append(
        SystemResult(
            "LangChain default (1000/200 splitter, Chroma top 4, never refuses)",
            [to_result(c, r, refused=False) for c, r in zip(cases, lc, strict=True)],
            f"{n_pieces} splitter chunks",
        )
    )
    t, tuned = tune_threshold(cases, lc)
    systems.append(
        SystemResult(
            f"LangChain default + similarity threshold {t:.3f} (tuned on the test set)", tuned
        )
    )
    log("  langchain baseline done")

    bm = bm25_rankings(kb, cases)
    systems.append(
        SystemResult(
            "BM25 (bm25s) over the advisor's sections, top 4, refuses on top score 0",
            [
                to_result(c, r, refused=not r or r[0][1] <= 0.0)
                for c, r in zip(cases, bm, strict=True)
            ],
        )
    )
    t, tuned = tune_threshold(cases, bm)
    systems.append(SystemResult(f"BM25 + score threshold {t:.2f} (tuned on the test set)", tuned))
    log("  bm25 baseline done")
    return systems
