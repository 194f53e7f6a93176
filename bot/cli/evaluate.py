"""``advisor eval``: score the advisor on the evaluation set; non-zero exit below thresholds."""

from __future__ import annotations

import json
from pathlib import Path

import typer
import yaml

from bot.cli import app, settings_of
from bot.evaluation import METRICS, CaseResult, breakdown, failures, load_cases, run_case, score
from bot.runtime import build_runtime
from bot.settings import PROJECT_ROOT

EVAL_DIR = PROJECT_ROOT / "tests" / "eval"


@app.command("eval")
def evaluate(
    ctx: typer.Context,
    questions: Path = typer.Option(EVAL_DIR / "questions.yaml", help="Evaluation set (YAML)"),
    thresholds: Path = typer.Option(EVAL_DIR / "thresholds.yaml", help="Minimum scores"),
    as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON"),
    misses: bool = typer.Option(False, "--misses", help="List the questions answered wrongly"),
    sweep: bool = typer.Option(False, "--sweep", help="Show refusal scores per threshold"),
) -> None:
    """Run the evaluation set and print hit@1, hit@3, MRR, refusal precision/recall."""
    runtime = build_runtime(settings_of(ctx))
    if sweep:
        runtime.advisor.threshold = 0.0
    results = [run_case(runtime.advisor, case) for case in load_cases(questions)]
    if sweep:
        _print_sweep(results)
        return
    table = breakdown(results)
    if as_json:
        typer.echo(json.dumps(table, indent=2))
    else:
        typer.echo(f"{'group':<22}{'n':>5}" + "".join(f"{m:>19}" for m in METRICS))
        for name, row in table.items():
            cells = "".join(f"{float(row[m]):>19.3f}" for m in METRICS)
            typer.echo(f"{name:<22}{row['n']:>5}{cells}")
    if misses:
        for r in results:
            wrong = r.refused != r.case.should_refuse or (
                not r.case.should_refuse and (r.rank is None or r.rank > 3)
            )
            if wrong:
                typer.echo(
                    f"MISS [{r.case.kind}] {r.case.q!r} expect={r.case.expect} "
                    f"refused={r.refused} conf={r.confidence:.3f} got={r.ranked_docs[:3]}"
                )
    limits = yaml.safe_load(thresholds.read_text(encoding="utf-8")) if thresholds.exists() else {}
    failed = failures(table["all"], limits or {})
    if failed:
        typer.echo("below threshold: " + "; ".join(failed), err=True)
        raise typer.Exit(1)


def _print_sweep(results: list[CaseResult]) -> None:
    """Refusal precision/recall and hit@3 if the threshold were each value from 0.20 to 0.60."""
    typer.echo(f"{'threshold':>10}{'refusal_precision':>19}{'refusal_recall':>16}{'hit_at_3':>10}")
    for step in range(20, 61):
        limit = step / 100
        moved = [
            r.model_copy(
                update={
                    "refused": r.refused or r.confidence < limit,
                    "rank": None if r.confidence < limit else r.rank,
                }
            )
            for r in results
        ]
        row = score(moved)
        typer.echo(
            f"{limit:>10.2f}{row['refusal_precision']:>19.3f}{row['refusal_recall']:>16.3f}"
            f"{row['hit_at_3']:>10.3f}"
        )
