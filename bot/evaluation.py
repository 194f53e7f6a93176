"""The evaluation set: questions with the documents that answer them, scored on the advisor."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field

from bot.answer.advisor import Advisor
from bot.answer.models import Answer, Lang, Turn

Kind = Literal["formal_id", "colloquial_id", "en", "followup", "out_of_scope", "injection"]
METRICS = ("hit_at_1", "hit_at_3", "mrr", "refusal_precision", "refusal_recall")


class EvalCase(BaseModel):
    q: str
    kind: Kind
    lang: Lang
    expect: list[str] | Literal["refuse"]
    history: list[str] = Field(default_factory=list)

    @property
    def should_refuse(self) -> bool:
        return self.expect == "refuse"


class CaseResult(BaseModel):
    case: EvalCase
    refused: bool
    ranked_docs: list[str]
    rank: int | None
    confidence: float


def load_cases(path: Path) -> list[EvalCase]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return [EvalCase.model_validate(item) for item in data]


def ranked_docs(answer: Answer) -> list[str]:
    """Document ids in the order the advisor ranked their sections."""
    return list(dict.fromkeys(c.doc_id for c in answer.candidates))


def run_case(advisor: Advisor, case: EvalCase) -> CaseResult:
    history = [Turn(question=q) for q in case.history]
    answer = advisor.ask(case.q, history=history)
    docs = ranked_docs(answer)
    if answer.sources:
        docs = list(dict.fromkeys([answer.sources[0].id, *docs]))
    rank = None
    if not case.should_refuse and not answer.refused:
        expected = set(case.expect)
        rank = next((i + 1 for i, d in enumerate(docs) if d in expected), None)
    return CaseResult(
        case=case,
        refused=answer.refused,
        ranked_docs=docs,
        rank=rank,
        confidence=answer.confidence,
    )


def score(results: Iterable[CaseResult]) -> dict[str, float | int]:
    """hit@1, hit@3 and MRR over answerable cases; refusal precision/recall over all."""
    results = list(results)
    answerable = [r for r in results if not r.case.should_refuse]
    n = len(answerable)
    refused = [r for r in results if r.refused]
    should = [r for r in results if r.case.should_refuse]
    correct = [r for r in refused if r.case.should_refuse]
    return {
        "n": len(results),
        "hit_at_1": _ratio(sum(r.rank == 1 for r in answerable), n),
        "hit_at_3": _ratio(sum(r.rank is not None and r.rank <= 3 for r in answerable), n),
        "mrr": _ratio(sum(1 / r.rank for r in answerable if r.rank), n),
        "refusal_precision": _ratio(len(correct), len(refused)),
        "refusal_recall": _ratio(len(correct), len(should)),
    }


def _ratio(num: float, den: int) -> float:
    return round(num / den, 4) if den else 1.0


def breakdown(results: list[CaseResult]) -> dict[str, dict[str, float | int]]:
    """Scores overall, per language and per question kind."""
    groups: dict[str, list[CaseResult]] = defaultdict(list)
    for r in results:
        groups["all"].append(r)
        groups[f"lang={r.case.lang}"].append(r)
        groups[f"kind={r.case.kind}"].append(r)
    return {name: score(rs) for name, rs in sorted(groups.items())}


def failures(scores: dict[str, float | int], thresholds: dict[str, float]) -> list[str]:
    """The metrics below their thresholds."""
    return [
        f"{name} {scores[name]:.3f} < {limit:.3f}"
        for name, limit in thresholds.items()
        if float(scores[name]) < limit
    ]
