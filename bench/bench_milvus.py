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
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from _common import ROOT, WORK, median, pct, save

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
    from reportqa.index.milvus_store import MilvusStore, RowMeta, parse_store_spec

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
        from reportqa.index.faiss_store import FaissStore
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

    def __init__(self, rounds: int = 40) -> None:
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
    from reportqa.index.ray_embed import RayEmbedder

    sys.path.insert(0, str(Path(__file__).parent))
    t = time.perf_counter()
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False,
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
        r[f"tiny_w{w}_s"] = time.perf_counter() - t  # pipeline + actor start + 2 texts: the fixed overhead
        t = time.perf_counter()
        emb.embed_batched(texts, "passage")
        r[f"n_w{w}_s"] = time.perf_counter() - t
    r["n_texts"] = n_texts
    t1 = r["n_w1_s"] - r["tiny_w1_s"]
    r["per_text_w1_ms"] = t1 / n_texts * 1000
    r["efficiency_w2"] = (r["n_w1_s"] - r["tiny_w1_s"]) / max(2 * (r["n_w2_s"] - r["tiny_w2_s"]), 1e-9)
    ray.shutdown()
    return r


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    ap.add_argument("--per-doc", type=int, default=200)
    ap.add_argument("--queries", type=int, default=50)
    ap.add_argument("--ray-texts", type=int, default=2000)
    ap.add_argument("--no-ray", action="store_true")
    a = ap.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    result: dict[str, Any] = {"stores": []}
    for n in a.sizes:
        r = bench_stores(n, a.per_doc, a.queries)
        print(r, flush=True)
        result["stores"].append(r)
    if not a.no_ray:
        result["ray"] = bench_ray(a.ray_texts)
        print(result["ray"], flush=True)
    save("milvus", result)


if __name__ == "__main__":
    main()
