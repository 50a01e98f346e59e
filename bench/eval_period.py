"""The period set (bench/eval/library-period.*.jsonl) on an index: hit@1/5, English hit@1, period-correct
answers, both periods for either-period questions, the figure held and highlighted, comparison rows.

    python bench/eval_period.py bench/eval/library-period.dev.jsonl --index-dir IDX [--indexed-only] [-v]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from reportqa.qa.engine import Engine
from reportqa.qa.evaluate import evaluate_periods, indexed_questions, period_table, read_period_questions


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("questions", type=Path)
    ap.add_argument("--index-dir", type=Path, required=True)
    ap.add_argument("--indexed-only", action="store_true")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    engine = Engine.open(args.index_dir, check_sources=False)
    qs = read_period_questions(args.questions)
    if args.indexed_only:
        names = [d.name for d in engine.index.documents]
        keep = {q.id for q in indexed_questions([p.question for p in qs], names)}
        qs = [p for p in qs if p.question.id in keep and all(
            any(n == e.document or n.endswith("/" + e.document) or e.document.endswith("/" + n) for n in names)
            for e in p.by_period.values())]  # fmt: skip
    report = evaluate_periods(engine, qs)
    print(period_table(report))
    if args.verbose:
        for f in report.failures:
            print("  -", f)


if __name__ == "__main__":
    main()
