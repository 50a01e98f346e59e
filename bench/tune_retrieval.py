"""Grid search of the fusion settings on the DEV split only (query vectors cached; no test data read).

    .venv/bin/python bench/tune_retrieval.py --index-dir /tmp/rq/idx bench/eval/tibet-2024.dev.jsonl
"""

from __future__ import annotations

import argparse
import itertools
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
from reportqa.index.embedding.embedders import Embedder
from reportqa.qa.engine import Engine
from reportqa.qa.evaluate import engine_ranker, evaluate_ranker, read_questions


class Cached(Embedder):
    def __init__(self, inner: Embedder) -> None:
        self.inner, self.id, self.dim, self.cache = inner, inner.id, inner.dim, {}

    def embed(self, texts, kind):  # type: ignore[no-untyped-def]
        out = []
        for t in texts:
            if (t, kind) not in self.cache:
                self.cache[(t, kind)] = self.inner.embed([t], kind)[0]
            out.append(self.cache[(t, kind)])
        return np.array(out, dtype=np.float32)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("questions")
    ap.add_argument("--index-dir", required=True)
    args = ap.parse_args()
    if "test" in Path(args.questions).name:
        sys.exit("tune on the dev split only")
    base = Engine.open(Path(args.index_dir), check_sources=False)
    engine = Engine(base.index, Cached(base.embedder))
    qs = read_questions(Path(args.questions))
    grid = {
        "fusion": ["score"],
        "w_lexical": [0.3, 0.4],
        "sentence_weight": [0.4, 0.5, 0.6],
        "period_boost": [0.05, 0.1, 0.15],
        "figure_boost": [0.0, 0.05, 0.1, 0.15, 0.2],
    }
    rows = []
    for values in itertools.product(*grid.values()):
        kw = dict(zip(grid, values, strict=True))
        kw["w_dense"] = 1 - kw["w_lexical"]
        engine.retriever.params = replace(engine.retriever.params, **kw)
        rep = evaluate_ranker("x", qs, engine_ranker(engine, "hybrid"), with_answers=True)
        o = rep.overall
        en = rep.per_kind.get("english")
        rows.append((o.hit1 or 0, o.hit5 or 0, o.mrr or 0, en.hit1 if en else 0, o.answer or 0, kw))
    rows.sort(key=lambda r: (r[2], r[0], r[1]), reverse=True)
    for r in rows[:25]:
        print(f"hit1={r[0]:.3f} hit5={r[1]:.3f} mrr={r[2]:.3f} en_hit1={r[3]:.3f} ans={r[4]:.3f} {r[5]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
