"""The evaluation set is a test: a knowledge edit that breaks answers fails CI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

from bot.evaluation import METRICS, load_cases
from bot.runtime import Runtime

HERE = Path(__file__).resolve().parent


def test_eval_set_is_well_formed() -> None:
    cases = load_cases(HERE / "questions.yaml")
    assert len(cases) >= 150
    kinds = {c.kind for c in cases}
    assert kinds == {"formal_id", "colloquial_id", "en", "followup", "out_of_scope", "injection"}
    assert all(c.history for c in cases if c.kind == "followup")
    assert all(c.should_refuse for c in cases if c.kind in {"out_of_scope", "injection"})


def test_expected_documents_exist(runtime: Runtime) -> None:
    known = {c["doc_id"] for c in runtime.store.get(include=["metadatas"])["metadatas"]}
    for case in load_cases(HERE / "questions.yaml"):
        if not case.should_refuse:
            assert set(case.expect) <= known, case.q


def test_advisor_eval_meets_the_thresholds(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADVISOR_")}
    env["ADVISOR_DATA_DIR"] = str(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "bot", "eval", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    table = json.loads(done.stdout)
    limits = yaml.safe_load((HERE / "thresholds.yaml").read_text())
    for metric in METRICS:
        assert table["all"][metric] >= limits[metric], metric
    assert {"lang=id", "lang=en", "kind=followup", "kind=injection"} <= set(table)
