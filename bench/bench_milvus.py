"""Milvus Lite vs FAISS behind the vector-store seam, and the fixed cost of embedding through Ray.

Stores (side by side in one run, same rows): 384-d unit vectors in documents of ``--per-doc`` rows, each row
with a real passage from the test corpus (for Milvus's BM25). Per size: insert (all rows), search p50 (k=10)
without and with a filter (3 documents), hybrid p50 (Milvus: dense + BM25 fused by RRF inside Milvus), and
deleting one document. FAISS is reportqa's ``FaissStore`` (exact flat ≤ 50K rows, HNSW above).

Ray: a local instance (``ray.init(num_cpus=2)``); time to start Ray, to embed 2 texts (actor start
included) and the steady throughput of 1 and 2 actors with a fixed-cost embedder, which gives the model
``T(N, W) ≈ T0 + N · t / (W · e)`` written to the results.

    python bench/bench_milvus.py --sizes 10000 100000
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from _common import RESULTS, ROOT, WORK, median, pct, save

DIM = 384
CORPUS = ROOT / "tests" / "data" / "corpus"


def passages(n: int) -> list[str]:
    """``n`` real paragraphs from the test corpus (cycled when the corpus has fewer)."""
    paras: list[str] = []
    for path in sorted(CORPUS.rglob("*.txt")):
        paras.extend(p.strip() for p in path.read_text(encoding="utf-8", errors="ignore").split("\n") if len(p) > 20)
    return [paras[i % len(paras)][:400] for i in range(n)]


def data(n: int, per_doc: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    docs = (np.arange(n) // per_doc).astype(np.int64)
    centres = rng.standard_normal((int(docs[-1]) + 1, DIM)).astype(np.float32)
    vecs = centres[docs] + rng.standard_normal((n, DIM)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    return np.arange(n, dtype=np.int64), vecs, docs


def lat(fn: Callable[[np.ndarray], Any], queries: np.ndarray) -> list[float]:
    fn(queries[0])  # warm
    out = []
    for q in queries:
        t = time.perf_counter()
        fn(q)
        out.append((time.perf_counter() - t) * 1000)
    return out


def bench_stores(n: int, per_doc: int, nq: int) -> dict[str, Any]:
    from reportqa.index.storage.milvus_store import MilvusStore, RowMeta, parse_store_spec

    ids, vecs, docs = data(n, per_doc)
    texts = passages(n)
    rng = np.random.default_rng(5)
    queries = vecs[rng.integers(0, n, nq)] + 0.5 * rng.standard_normal((nq, DIM)).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    words = [texts[i][5:13] for i in rng.integers(0, n, nq)]
    ndocs = int(docs[-1]) + 1
    filt = frozenset(int(d) for d in rng.choice(ndocs, 3, replace=False))
    out: dict[str, Any] = {"rows": n, "per_doc": per_doc, "queries": nq}

    try:
        from reportqa.index.storage.faiss_store import FaissStore
    except ImportError:
        FaissStore = None
    if FaissStore is not None:
        t = time.perf_counter()
        fs = FaissStore.build(vecs, docs, ids)
        r: dict[str, Any] = {"insert_s": time.perf_counter() - t, "type": fs.info.get("type")}
        s = lat(lambda q: fs.search(q, 10), queries)
        f = lat(lambda q: fs.search(q, 10, filt), queries)
        r.update(search_p50_ms=median(s), search_p90_ms=pct(s, 90), filtered_p50_ms=median(f))
        t = time.perf_counter()
        fs.delete_documents([int(ndocs // 2)])
        r["delete_doc_s"] = time.perf_counter() - t
        out["faiss"] = r

    db = WORK / f"milvus-bench-{n}.db"
    shutil.rmtree(db, ignore_errors=True)
    spec = parse_store_spec(f"milvus:{db}")
    t = time.perf_counter()
    ms = MilvusStore.open(spec, f"bench_{n}", DIM, "bench", keyword=True, create=True, fix="-")
    r = {"open_s": time.perf_counter() - t}
    t = time.perf_counter()
    ms.add(ids, vecs, docs, [RowMeta(text=x) for x in texts])
    r["insert_s"] = time.perf_counter() - t
    t = time.perf_counter()
    ms.flush()  # seal the rows so the HNSW / BM25 indexes are built (what a build does after syncing)
    r["flush_index_s"] = time.perf_counter() - t
    t = time.perf_counter()
    ms.search(queries[0], 10)
    r["first_search_s"] = time.perf_counter() - t
    s = lat(lambda q: ms.search(q, 10), queries)
    f = lat(lambda q: ms.search(q, 10, filt), queries)
    it = iter(words * 2)
    h = lat(lambda q: ms.hybrid_search(q, next(it), 10, rrf_k=60), queries)
    it = iter(words * 2)
    kw = lat(lambda q: ms.keyword_search(next(it), 10), queries)
    r.update(search_p50_ms=median(s), search_p90_ms=pct(s, 90), filtered_p50_ms=median(f), hybrid_p50_ms=median(h),
             keyword_p50_ms=median(kw))  # fmt: skip
    t = time.perf_counter()
    gone = ms.delete_documents([int(ndocs // 2)])
    r["delete_doc_s"] = time.perf_counter() - t
    r["deleted_rows"] = gone
    r["disk_mib"] = sum(p.stat().st_size for p in db.rglob("*") if p.is_file()) / 2**20
    out["milvus_lite"] = r
    ms.client.drop_collection(ms.collection)
    return out


class FixedCost:
    """An embedder costing a fixed amount of CPU per text (a 384×384 matrix chain), picklable for Ray."""

    id = "bench-fixed:384"
    dim = DIM

    def __init__(self, rounds: int = 400) -> None:
        self.rounds = rounds
        self.m = np.random.default_rng(0).standard_normal((DIM, DIM)).astype(np.float32) / np.sqrt(DIM)

    def embed(self, texts: Sequence[str], kind: str) -> np.ndarray:
        v = np.ones((len(texts), DIM), dtype=np.float32)
        for _ in range(self.rounds):
            v = np.tanh(v @ self.m)
        return v / np.linalg.norm(v, axis=1, keepdims=True)

    def embed_batched(self, texts: Sequence[str], kind: str, **_: Any) -> np.ndarray:
        return self.embed(texts, kind)


def bench_ray(n_texts: int) -> dict[str, Any]:
    import ray
    from reportqa.index.embedding.ray_embed import RayEmbedder

    sys.path.insert(0, str(Path(__file__).parent))
    t = time.perf_counter()
    address = os.environ.get("RAY_ADDRESS") or None  # a cluster to measure, else a local 2-CPU instance
    ray.init(address=address, num_cpus=None if address else 2, include_dashboard=False, log_to_driver=False,
             runtime_env={"env_vars": {"PYTHONPATH": str(Path(__file__).parent)}})  # fmt: skip
    r: dict[str, Any] = {"ray_init_s": time.perf_counter() - t}
    texts = [f"文本 {i}" for i in range(n_texts)]
    local = FixedCost()
    t = time.perf_counter()
    local.embed(texts, "passage")
    r["local_per_text_ms"] = (time.perf_counter() - t) / n_texts * 1000
    for w in (1, 2):
        emb = RayEmbedder(FixedCost, workers=w, batch_size=64, embedder_id=FixedCost.id)  # type: ignore[arg-type]
        t = time.perf_counter()
        emb.embed_batched(texts[:2], "passage")
        r[f"first_w{w}_s"] = time.perf_counter() - t  # first use: Ray Data start-up as well
        t = time.perf_counter()
        emb.embed_batched(texts[:2], "passage")
        r[f"fixed_w{w}_s"] = time.perf_counter() - t  # every build: pipeline + actor pool start + model load
        t = time.perf_counter()
        emb.embed_batched(texts, "passage")
        r[f"n_w{w}_s"] = time.perf_counter() - t
        r[f"per_text_w{w}_ms"] = (r[f"n_w{w}_s"] - r[f"fixed_w{w}_s"]) / n_texts * 1000
    r["n_texts"] = n_texts
    r["efficiency_w2"] = r["per_text_w1_ms"] / max(2 * r["per_text_w2_ms"], 1e-9)
    ray.shutdown()
    return r


def markdown(result: dict[str, Any]) -> str:
    """The tables for bench/RESULTS.md and docs/SCALE.md."""
    m = result.get("machine", {})
    lines = [f"Machine: {m.get('cpu')}, {m.get('cores')} cores, {m.get('mem_gib')} GiB, Python {m.get('python')}, "
             f"{m.get('date')}; load average at start {m.get('load_avg_at_start')} (shared, noisy machine: other "
             f"test suites ran at the same time); OMP_NUM_THREADS={result.get('omp_num_threads')}; 384-d vectors, "
             "documents of 200 rows, k = 10, 50 queries, medians.", ""]  # fmt: skip
    if result.get("stores"):
        lines += ["| rows | store | insert s | search p50 ms | p90 ms | filtered (3 docs) p50 ms | hybrid p50 ms "
                  "| BM25 p50 ms | delete 1 doc s |", "|---|---|---|---|---|---|---|---|---|"]  # fmt: skip
        for r in sorted(result["stores"], key=lambda x: x["rows"]):
            f, lt, n = r.get("faiss"), r["milvus_lite"], f"{r['rows']:,}"
            if f:
                lines.append(f"| {n} | FAISS ({f['type']}) | {f['insert_s']:.2f} | {f['search_p50_ms']:.2f} | "
                             f"{f['search_p90_ms']:.2f} | {f['filtered_p50_ms']:.2f} | — | — | "
                             f"{f['delete_doc_s']:.3f} |")  # fmt: skip
            lines.append(f"| {n} | Milvus Lite (HNSW + BM25) | {lt['insert_s']:.1f} + {lt['flush_index_s']:.1f} "
                         f"flush | {lt['search_p50_ms']:.1f} | {lt['search_p90_ms']:.1f} | "
                         f"{lt['filtered_p50_ms']:.1f} | {lt['hybrid_p50_ms']:.1f} | {lt['keyword_p50_ms']:.1f} | "
                         f"{lt['delete_doc_s']:.2f} |")  # fmt: skip
            if f:
                ratio = {k: lt[k] / max(f[k], 1e-9) for k in ("insert_s", "search_p50_ms", "filtered_p50_ms",
                                                             "delete_doc_s")}  # fmt: skip
                lines.append(f"| {n} | ratio Lite / FAISS | ×{ratio['insert_s']:.3g} | ×{ratio['search_p50_ms']:.3g} "
                             f"| | ×{ratio['filtered_p50_ms']:.3g} | | | ×{ratio['delete_doc_s']:.3g} |")  # fmt: skip
    ray = result.get("ray")
    if ray:
        lines += ["", "| Ray (local instance, 2 CPUs) | value |", "|---|---|",
                  f"| `ray.init` (start a local Ray) | {ray['ray_init_s']:.1f} s |",
                  f"| first embedding call, 2 texts (Ray Data start-up) | {ray['first_w1_s']:.1f} s |",
                  f"| fixed cost of every later call, 1 / 2 actors (pipeline, actor start, model load) | "
                  f"{ray['fixed_w1_s']:.1f} / {ray['fixed_w2_s']:.1f} s |",
                  f"| {ray['n_texts']:,} texts, 1 / 2 actors | {ray['n_w1_s']:.1f} / {ray['n_w2_s']:.1f} s |",
                  f"| per text: in-process / 1 actor / 2 actors (fixed cost removed) | "
                  f"{ray['local_per_text_ms']:.2f} / {ray['per_text_w1_ms']:.2f} / {ray['per_text_w2_ms']:.2f} ms |",
                  f"| parallel efficiency e, 2 actors on 2 cores | {ray['efficiency_w2']:.2f} |"]  # fmt: skip
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="*", default=[10_000], help="store sizes (none: skip the stores)")
    ap.add_argument("--per-doc", type=int, default=200)
    ap.add_argument("--queries", type=int, default=50)
    ap.add_argument("--ray-texts", type=int, default=2000, help="0: skip the Ray part")
    ap.add_argument("--markdown", action="store_true", help="print the tables of results/milvus.json and stop")
    ap.add_argument("--out", default="milvus", help="results file name (results/NAME.json)")
    a = ap.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{a.out}.json"
    if a.markdown:
        print(markdown(json.loads(path.read_text(encoding="utf-8"))))
        return
    old = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    result: dict[str, Any] = {"stores": list(old.get("stores", [])), "ray": old.get("ray")}
    result["omp_num_threads"] = os.environ.get("OMP_NUM_THREADS")
    for n in a.sizes:  # each size replaces an earlier result for that size; saved as soon as measured
        r = bench_stores(n, a.per_doc, a.queries)
        print(r, flush=True)
        result["stores"] = [x for x in result["stores"] if x["rows"] != n] + [r]
        save(a.out, result)
    if a.ray_texts:
        result["ray"] = bench_ray(a.ray_texts)
        print(result["ray"], flush=True)
        save(a.out, result)


if __name__ == "__main__":
    main()
