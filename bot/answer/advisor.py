"""The advisor: one question in, one grounded answer out. Knows nothing of Telegram."""

from __future__ import annotations

import datetime as dt
import logging
import time
from typing import Protocol

from bot.answer.followup import standalone_question
from bot.answer.guard import Guard
from bot.answer.models import Answer, Candidate, Lang, SourceRef, Timings, Turn
from bot.answer.offline import Composition
from bot.prompts import PromptBook
from bot.retrieval.hybrid import Hit, HybridRetriever, SearchResult, Section

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 1000
PEAK_WEIGHT = 6.0
CONFIDENCE_SCALE = 2.6
MAX_SOURCES = 3
MAX_FOLLOWUPS = 3


class Composer(Protocol):
    """Turns retrieved sections into answer text (offline extract, or an LLM synthesis)."""

    mode: str

    def compose(
        self, question: str, lang: str, hits: list[Hit], history: list[Turn]
    ) -> Composition: ...


class Rewriter(Protocol):
    """Rewrites a follow-up into a standalone question (e.g. with an LLM)."""

    def __call__(self, question: str, history: list[Turn], lang: str) -> str: ...


class Advisor:
    """Retrieves, decides whether it can answer, and composes the reply with its sources."""

    def __init__(
        self,
        retriever: HybridRetriever,
        composer: Composer,
        prompts: PromptBook,
        *,
        threshold: float = 0.29,
        top_k: int = 5,
        default_lang: Lang = "id",
        today: dt.date | None = None,
        rewriter: Rewriter | None = None,
    ) -> None:
        self.retriever = retriever
        self.composer = composer
        self.prompts = prompts
        self.threshold = threshold
        self.top_k = top_k
        self.default_lang: Lang = default_lang
        self._today = today
        self.rewriter = rewriter
        self.guard = Guard.load()

    @property
    def today(self) -> dt.date:
        return self._today or dt.date.today()

    def detect_lang(self, question: str, history: list[Turn] | None = None) -> Lang:
        """The asker's language: detected, else the conversation's, else the default."""
        found = self.retriever.normalizer.detect_lang(question)
        if found:
            return found
        for turn in reversed(history or []):
            if turn.lang:
                return turn.lang
        return self.default_lang

    def ask(
        self, question: str, history: list[Turn] | None = None, lang: Lang | None = None
    ) -> Answer:
        """Answer ``question`` in ``lang`` (detected when None), using the recent ``history``."""
        start = time.perf_counter()
        history = history or []
        question = " ".join(question.split())[:MAX_QUESTION_CHARS]
        lang = lang or self.detect_lang(question, history)
        standalone = self._standalone(question, history, lang)
        result = self.retriever.search(standalone, lang, k=max(self.top_k, 8))
        confidence = self.confidence(result, lang)
        timings = Timings(
            embed_ms=result.embed_ms, search_ms=result.search_ms, fusion_ms=result.fusion_ms
        )
        candidates = [_candidate(h) for h in result.hits]
        blocked = self.guard.reason(" ".join(self.retriever.normalizer.words(question)))
        if blocked:
            log.info("question refused by guard rule %s", blocked)
            answer = self._refusal(question, lang, 0.0)
        elif confidence < self.threshold:
            answer = self._refusal(question, lang, confidence)
        else:
            t0 = time.perf_counter()
            answer = self._answer(question, lang, result.hits, history, confidence)
            timings.compose_ms = (time.perf_counter() - t0) * 1e3
        timings.total_ms = (time.perf_counter() - start) * 1e3
        return answer.model_copy(
            update={
                "candidates": candidates,
                "timings": timings,
                "standalone_question": standalone,
            }
        )

    def _standalone(self, question: str, history: list[Turn], lang: str) -> str:
        """The configured rewriter for follow-ups, falling back to the offline rule."""
        if history and self.rewriter is not None:
            try:
                rewritten = self.rewriter(question, history, lang).strip()
            except Exception:
                log.warning("follow-up rewriter failed; using the offline rule", exc_info=True)
            else:
                if rewritten:
                    return rewritten[:MAX_QUESTION_CHARS]
        return standalone_question(question, history, self.retriever.normalizer)

    def confidence(self, result: SearchResult, lang: str) -> float:
        """0..1 from dense similarity, term coverage and how much the best match stands out.

        The weights and the refusal threshold were chosen on the evaluation set
        (``advisor eval --sweep``).
        """
        if not result.hits or not result.tokens:
            return 0.0
        best = max(self._hit_evidence(h, lang) for h in result.hits[:3])
        return round(min((best + PEAK_WEIGHT * result.peak) / CONFIDENCE_SCALE, 1.0), 4)

    @staticmethod
    def _hit_evidence(hit: Hit, lang: str) -> float:
        """Dense plus coverage; across languages coverage means little, so dense counts twice."""
        if hit.section.lang != lang:
            return 1.8 * hit.dense_scaled
        return hit.dense_scaled + hit.coverage

    def _refusal(self, question: str, lang: Lang, confidence: float) -> Answer:
        text = self.prompts.text(
            lang,
            "answer.refusal",
            topics=self.prompts.raw(lang, "answer.refusal_topics"),
            example=self.prompts.raw(lang, "answer.refusal_example"),
        )
        return Answer(question=question, text=text, lang=lang, refused=True, confidence=confidence)

    def _answer(
        self, question: str, lang: Lang, hits: list[Hit], history: list[Turn], confidence: float
    ) -> Answer:
        hits = self._in_language(hits, lang)
        composition = self.composer.compose(question, lang, hits, history)
        used = composition.sections or [hits[0].section]
        main = used[0]
        notes = self._notes(main, lang)
        text = "\n\n".join([composition.text, *notes])
        return Answer(
            question=question,
            text=text,
            lang=lang,
            refused=False,
            confidence=confidence,
            sources=_sources(used),
            followups=self._followups(question, hits, lang),
            as_of=main.updated,
            warnings=notes[1:],
            mode="llm" if composition.mode == "llm" else "offline",
            topics=list(main.topics),
        )

    def _in_language(self, hits: list[Hit], lang: str) -> list[Hit]:
        """Put the best section in the asker's language first, via the top doc's translation."""
        top = hits[0]
        if top.section.lang == lang or not top.section.translation:
            return hits
        same = [h for h in hits if h.section.doc_id == top.section.translation]
        if same:
            return [same[0], *[h for h in hits if h is not same[0]]]
        sections = self.retriever.sections_of(top.section.translation)
        if not sections:
            return hits
        tokens = set(
            self.retriever.normalizer.tokens(top.section.heading + " " + top.section.text)
        )
        best = max(
            sections,
            key=lambda s: len(
                tokens & set(self.retriever.normalizer.tokens(s.heading + " " + s.text))
            ),
        )
        return [Hit(best, top.score, top.dense, top.lexical, top.coverage), *hits]

    def _notes(self, section: Section, lang: Lang) -> list[str]:
        """The "as of" line, then warnings: language fallback, past review date, superseded."""
        notes = []
        if section.updated:
            date = self.prompts.month_date(lang, section.updated)
            notes.append(self.prompts.text(lang, "answer.as_of", date=date))
        if section.lang != lang:
            notes.append(self.prompts.text(lang, "answer.fallback_note"))
        if section.review_by and section.review_by < self.today:
            date = self.prompts.month_date(lang, section.review_by)
            notes.append(self.prompts.text(lang, "answer.review_warning", date=date))
        if section.superseded_by:
            newer = self.retriever.sections_of(section.superseded_by)
            title = newer[0].title if newer else section.superseded_by
            notes.append(self.prompts.text(lang, "answer.superseded_warning", title=title))
        return notes

    def _followups(self, question: str, hits: list[Hit], lang: str) -> list[str]:
        """Suggested next questions: from the next-best documents, then the answering one."""
        seen_docs: list[str] = []
        for hit in hits:
            if hit.section.lang == lang and hit.section.doc_id not in seen_docs:
                seen_docs.append(hit.section.doc_id)
        pools = [self._questions_of(d) for d in seen_docs[1:]] + [
            self._questions_of(seen_docs[0]) if seen_docs else []
        ]
        asked = question.strip().lower()
        out: list[str] = []
        for depth in range(3):
            for pool in pools:
                if depth < len(pool) and pool[depth].strip().lower() != asked:
                    if pool[depth] not in out:
                        out.append(pool[depth])
                if len(out) == MAX_FOLLOWUPS:
                    return out
        return out

    def _questions_of(self, doc_id: str) -> list[str]:
        sections = self.retriever.sections_of(doc_id)
        return list(sections[0].questions) if sections else []


def _candidate(hit: Hit) -> Candidate:
    s = hit.section
    return Candidate(
        doc_id=s.doc_id,
        chunk_id=s.id,
        heading=s.heading,
        lang="en" if s.lang == "en" else "id",
        score=round(hit.score, 4),
        dense=round(hit.dense, 4),
        lexical=round(hit.lexical, 4),
    )


def _sources(sections: list[Section]) -> list[SourceRef]:
    out: list[SourceRef] = []
    for section in sections:
        for src in section.sources:
            if len(out) < MAX_SOURCES and all(s.url != src["url"] for s in out):
                out.append(
                    SourceRef(
                        id=section.doc_id,
                        title=src["title"],
                        url=src["url"],
                        date=src.get("date"),
                        doc_title=section.title,
                    )
                )
    return out
