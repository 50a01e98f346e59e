"""Removing (and adding) a report without rebuilding the HNSW graph, at library sizes.

    python bench/bench_library.py --sizes 100000      # → results/library.json
    python bench/bench_library.py --part build --sizes 100000   # → results/library_build.json

Vectors as in ``bench_milvus.py`` (384-d, documents of ``--per-doc`` rows clustered round a centre). For each
size: ``FaissStore.build`` (the type ``make_faiss_index`` chooses: HNSW above 50K rows), then

* ``delete_documents`` of one document — now marking its rows dead (the graph is kept);
* search p50/p90 and recall@10 against exact search over the live rows, before and after, and that no
  removed row is ever returned;
* ``FaissStore.derive`` — what the next build does when one report was removed and another added: the old
  graph copied, one document dead, one document's rows added to the graph;
* ``compact`` — rebuilding the graph from the live rows, which is what every removal cost before (and what
  happens once dead rows pass 25 %).

``--part build``: the whole path at that size — a generated corpus (``bench/corpus.py``) built with the
constant-cost hash embedder, then ``remove_document`` of one report (graph kept), adding it back with
``build_index(files=…)`` (its rows added to the graph), and the same removal with the graph rebuilt (what a
removal cost before), each timed in a child process.
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from typing import Any

import numpy as np
from _common import WORK, median, pct, save
from bench_milvus import data, lat


def recall(store: Any, queries: np.ndarray, live_vecs: np.ndarray, live_ids: np.ndarray, k: int = 10) -> float:
    exact = np.argsort(-(queries @ live_vecs.T), axis=1)[:, :k]
    hits = 0
    for q, want in zip(queries, exact, strict=True):
        got = set(store.search(q, k).ids.tolist())
        hits += len(got & set(live_ids[want].tolist()))
    return hits / (k * len(queries))


def bench(n: int, per_doc: int, nq: int) -> dict[str, Any]:
    from reportqa.index.storage.faiss_store import FaissStore

    ids, vecs, docs = data(n, per_doc)
    rng = np.random.default_rng(7)
    queries = vecs[rng.integers(0, n, nq)] + 0.5 * rng.standard_normal((nq, vecs.shape[1])).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    out: dict[str, Any] = {"rows": n, "per_doc": per_doc, "queries": nq}
    t = time.perf_counter()
    st = FaissStore.build(vecs, docs, ids)
    out["build_s"] = time.perf_counter() - t
    out["type"] = st.info.get("type")
    s = lat(lambda q: st.search(q, 10), queries)
    out["before"] = {"search_p50_ms": median(s), "search_p90_ms": pct(s, 90),
                     "recall_at_10": recall(st, queries, vecs, ids)}  # fmt: skip
    victim = int(docs[-1]) // 2
    t = time.perf_counter()
    gone = st.delete_documents([victim])
    out["delete_one_doc_s"] = time.perf_counter() - t
    out["deleted_rows"] = gone
    out["dead_rows"] = st.dead
    live = docs != victim
    s = lat(lambda q: st.search(q, 10), queries)
    returned = set()
    for q in queries:
        returned |= set(st.search(q, 50).ids.tolist())
    out["after_delete"] = {"search_p50_ms": median(s), "search_p90_ms": pct(s, 90),
                           "recall_at_10": recall(st, queries, vecs[live], ids[live]),
                           "removed_rows_returned": len(returned & set(ids[~live].tolist()))}  # fmt: skip
    # the next build: another document removed, one new document (per_doc rows) added to the graph
    second = victim + 1
    moved = {d: (d, 0) for d in range(int(docs[-1]) + 1) if d not in (victim, second)}
    new_ids = np.arange(n, n + per_doc, dtype=np.int64)
    new_vecs = vecs[:per_doc]
    t = time.perf_counter()
    derived = FaissStore.derive(st, moved, new_ids, new_vecs, np.full(per_doc, int(docs[-1]) + 1))
    out["derive_remove_and_add_s"] = time.perf_counter() - t
    out["derived_dead_rows"] = derived.dead
    t = time.perf_counter()
    st.compact()
    out["full_rebuild_s"] = time.perf_counter() - t
    return out


BUILD_CHILD = r"""
import json, shutil, sys, time
sys.path.insert(0, {bench!r})
from pathlib import Path
from _common import hash_embedder
import reportqa.index.pipeline.build as b
from reportqa.index.storage import store
from reportqa.index.pipeline.library import remove_document
idx, mode, name = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
emb = hash_embedder()
if mode == "rebuild-graph":
    b.derived_stores = lambda *a, **k: None
t = time.perf_counter()
if mode == "add":
    src = Path(sys.argv[4])
    files = [(Path(s.path), s.name) for s in store.read_manifest(idx.resolve()).sources] + [(src, name)]
    r = b.build_index([], idx, emb, files=files)
    out = {{"documents": r.documents, "chunks": r.chunks}}
else:
    g = remove_document(idx, name, emb)
    shutil.move(g.moved_to, Path(g.moved_to).parent.parent / name)
    out = {{"documents": g.documents}}
out["wall_s"] = time.perf_counter() - t
out["faiss"] = store.read_manifest(idx.resolve()).faiss
print(json.dumps(out))
"""


def part_build(n: int) -> dict[str, Any]:
    import subprocess

    from _common import BENCH, PY, ROOT
    from bench_scale import _child, _corpus

    docs = _corpus(n) / "docs"
    idx = WORK / f"library-index-{n}" / "index"
    out: dict[str, Any] = {"chunks_target": n}
    if not (idx / "manifest.json").exists():
        shutil.rmtree(idx.parent, ignore_errors=True)
        out["cold_build"] = _child(docs, idx, "build")
    victim = sorted(p.name for p in docs.iterdir())[len(list(docs.iterdir())) // 2]

    def child(*args: str) -> dict[str, Any]:
        proc = subprocess.run([PY, "-c", BUILD_CHILD.format(bench=str(BENCH)), str(idx), *args],
                              capture_output=True, text=True, cwd=ROOT)  # fmt: skip
        if proc.returncode != 0:
            raise RuntimeError(proc.stderr[-3000:])
        return dict(json.loads(proc.stdout.strip().splitlines()[-1]))

    out["remove_graph_kept"] = child("remove", victim)
    out["add_back_graph_kept"] = child("add", victim, str(docs / victim))
    out["remove_graph_rebuilt"] = child("rebuild-graph", victim)
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--part", choices=["store", "build"], default="store")
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    ap.add_argument("--per-doc", type=int, default=300)
    ap.add_argument("--queries", type=int, default=200)
    args = ap.parse_args()
    results = []
    for n in args.sizes:
        r = bench(n, args.per_doc, args.queries) if args.part == "store" else part_build(n)
        print(r, flush=True)
        results.append(r)
    save("library" if args.part == "store" else "library_build", {"sizes": results})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
