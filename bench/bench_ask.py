"""`reportqa ask` latency on the seed: per question in a batch, and process start to first answer.

    python bench/bench_ask.py [--questions 200] [--repeat 5]

* per question = (wall of ``ask -`` with N questions − wall with 1 question) / (N − 1), both through the real
  CLI in fresh processes, median of ``--repeat`` pairs run side by side;
* start overhead = wall with 1 question − per question (imports, index load and verification, model load);
* in-process breakdown of one ``Engine.ask`` (query encoding vs the rest), medians;
* which heavy modules the ask process imported (gradio, torch, sentence_transformers must be absent).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import time

from _common import PY, ROOT, SEED_DIR, WORK, cli, median, pct, save, seed_questions

HEAVY = ("gradio", "torch", "sentence_transformers", "transformers", "jieba", "bm25s", "langchain_text_splitters")


def seed_index() -> str:
    idx = WORK / "seed-index" / "index"
    cli("build", str(SEED_DIR), "--index-dir", str(idx), "--quiet")  # a no-op unless the seed changed
    return str(idx)


def imported_modules(idx: str) -> dict[str, bool]:
    code = (
        "import sys, io, contextlib\n"
        "from reportqa.ui.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main(['ask', {seed_questions(1)[0]!r}, '--index-dir', {idx!r}, '--json'])\n"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    out = subprocess.run([PY, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout.strip()
    found = set(out.split(",")) if out else set()
    return {m: m in found for m in HEAVY}


def importtime_top(idx: str, n: int = 12) -> list[tuple[str, float]]:
    proc = subprocess.run(
        [PY, "-X", "importtime", "-m", "reportqa.ui", "ask", seed_questions(1)[0], "--index-dir", idx, "--json"],
        capture_output=True, text=True, cwd=ROOT, check=True,
    )  # fmt: skip
    rows = []
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        parts = line.split("|")
        name = parts[2]
        if name.startswith(" ") and not name.startswith("  "):  # top-level imports only
            rows.append((name.strip(), int(parts[1]) / 1000))
    rows.sort(key=lambda r: -r[1])
    return rows[:n]


def in_process(idx: str, questions: list[str]) -> dict[str, float]:
    from reportqa.qa.engine import Engine

    t = time.perf_counter()
    engine = Engine.open(__import__("pathlib").Path(idx))
    open_s = time.perf_counter() - t
    for q in questions[:5]:
        engine.ask(q)  # warm up
    enc, total = [], []
    for q in questions:
        t = time.perf_counter()
        engine.embedder.embed([q], "query")
        enc.append(time.perf_counter() - t)
        t = time.perf_counter()
        engine.ask(q)
        total.append(time.perf_counter() - t)
    return {
        "engine_open_s": open_s,
        "ask_ms_p50": 1000 * median(total),
        "ask_ms_p99": 1000 * pct(total, 99),
        "query_encode_ms_p50": 1000 * median(enc),
        "rest_ms_p50": 1000 * (median(total) - median(enc)),
        "engine_class": type(engine).__module__ + "." + type(engine).__name__,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--questions", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    idx = seed_index()
    qs = seed_questions(args.questions)
    one = seed_questions(1)[0] + "\n"
    many = "\n".join(qs) + "\n"
    cli("ask", "-", "--index-dir", idx, "--json", input=one)  # warm the page cache
    walls_1, walls_n, per_q = [], [], []
    for _ in range(args.repeat):
        w1, _, _ = cli("ask", "-", "--index-dir", idx, "--json", input=one)
        wn, out, _ = cli("ask", "-", "--index-dir", idx, "--json", input=many)
        assert len(out.strip().splitlines()) == len(qs)
        walls_1.append(w1)
        walls_n.append(wn)
        per_q.append((wn - w1) / (len(qs) - 1))
    per_q_ms = 1000 * median(per_q)
    first = median(walls_1)
    answers = [json.loads(x) for x in cli("ask", "-", "--index-dir", idx, "--json", input=many)[1].splitlines()]
    data = {
        "questions": len(qs),
        "repeat": args.repeat,
        "per_question_ms": per_q_ms,
        "per_question_ms_all": [round(1000 * x, 2) for x in per_q],
        "one_question_wall_s": first,
        "start_overhead_s": first - per_q_ms / 1000,
        "n_question_wall_s": median(walls_n),
        "abstained": sum(a["abstained"] for a in answers),
        "imports": imported_modules(idx),
        "importtime_top_ms": importtime_top(idx),
        "in_process": in_process(idx, qs[:60]),
        "targets": {"per_question_ms": 20, "start_overhead_s": 1.5},
    }
    save("ask", data)
    print(json.dumps({k: v for k, v in data.items() if k != "importtime_top_ms"}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
