"""The FAISS search structure over chunk vectors, chosen by corpus size.

Vectors are L2-normalised, so inner product is cosine similarity. The type is chosen by the number of
vectors ``n`` (thresholds measured on the 2-core reference machine, see ``bench/RESULTS.md``):

* ``n <= FLAT_MAX``: exact ``IndexFlatIP``. One query scans every vector (≈ 0.14 ms per 1 000 vectors of
  dimension 384, single-threaded), which stays within a few milliseconds up to ``FLAT_MAX``.
* ``FLAT_MAX < n <= HNSW_MAX``: ``IndexHNSWFlat`` (inner product, graph degree ``HNSW_M``): sub-millisecond
  to a few milliseconds per query at any size in range; building costs roughly a minute per million vectors
  on two cores.
* ``n > HNSW_MAX``: ``IndexIVFFlat`` (inner product, ``nlist ≈ 4·√n``): cheap to (re)build at any size.

For the approximate types the search breadth (``efSearch`` / ``nprobe``) is *calibrated at build time*: it is
raised until recall@10 against exact search, measured on held-out probe queries drawn from the data, reaches
``RECALL_TARGET``. The chosen breadth and the measured recall are in the returned info dict (the manifest's
``faiss`` entry); :func:`configure_for_search` re-applies the breadth to an index read from disk. Searching
(with document filters) is :class:`reportqa.index.storage.faiss_store.FaissStore`'s job.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .rowfile import blocks, release

FLAT_MAX = 50_000
"""Largest corpus searched exactly (≈ 7 ms per query on the reference machine at 50 000 × 384)."""
HNSW_MAX = 4_000_000
"""Largest corpus indexed with HNSW; beyond it IVF is built instead (HNSW building grows to many minutes)."""
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 40
RECALL_TARGET = 0.98
"""Calibration aims above the 0.95 requirement so that real queries, which differ from the probes, keep it."""
BREADTH_MARGIN = 2
"""The calibrated breadth is multiplied by this before it is stored: probe queries (midpoints of stored
vectors) are easier than real questions — at 1M vectors a breadth calibrated to 0.98 on probes gave 0.93 on
real query vectors (bench/RESULTS.md); doubling it restores ≥ 0.95 for a few extra milliseconds."""
PROBE_QUERIES = 200
CALIBRATION_K = 10


def _faiss() -> Any:
    import faiss

    return faiss


def _choose_kind(n: int, flat_max: int, hnsw_max: int) -> str:
    if n <= flat_max:
        return "flat"
    if n <= hnsw_max:
        return "hnsw"
    return "ivf"


def _probe_queries(vectors: np.ndarray, count: int, seed: int = 1234) -> np.ndarray:
    """Queries that look like the data but are not in it: normalised midpoints of random pairs plus noise."""
    rng = np.random.default_rng(seed)
    n, d = vectors.shape
    a = vectors[rng.integers(0, n, count)]
    b = vectors[rng.integers(0, n, count)]
    release(vectors)
    noise = rng.standard_normal((count, d)).astype(np.float32) / math.sqrt(d)
    q = a + 0.5 * b + 0.3 * noise
    q /= np.maximum(np.linalg.norm(q, axis=1, keepdims=True), 1e-12)
    return np.ascontiguousarray(q, dtype=np.float32)


def _exact_topk(vectors: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    """Exact inner-product top-``k`` of ``queries`` over ``vectors``, read in place block by block: a flat
    index here would copy every vector (576 MB for 375K sentences) while the approximate index holds its own
    copy, and a file-mapped array stays resident one block at a time (:func:`.rowfile.blocks`)."""
    faiss = _faiss()
    best_d = np.full((len(queries), 0), -np.inf, dtype=np.float32)
    best_i = np.zeros((len(queries), 0), dtype=np.int64)
    for start, block in blocks(vectors):
        d, i = faiss.knn(queries, np.ascontiguousarray(block), min(k, len(block)), metric=faiss.METRIC_INNER_PRODUCT)
        best_d = np.concatenate([best_d, d], axis=1)
        best_i = np.concatenate([best_i, np.asarray(i, dtype=np.int64) + start], axis=1)
        order = np.argsort(-best_d, axis=1, kind="stable")[:, :k]
        best_d = np.take_along_axis(best_d, order, axis=1)
        best_i = np.take_along_axis(best_i, order, axis=1)
    return best_i


def recall_at_k(approx_ids: np.ndarray, exact_ids: np.ndarray) -> float:
    """Mean fraction of each exact top-k list found in the approximate top-k list (−1 ids never count)."""
    total = 0.0
    for a, e in zip(approx_ids, exact_ids, strict=True):
        e_set = {int(i) for i in e if i >= 0}
        if not e_set:
            total += 1.0
            continue
        total += len(e_set & {int(i) for i in a if i >= 0}) / len(e_set)
    return total / max(len(exact_ids), 1)


def _calibrate(
    index: Any,
    vectors: np.ndarray,
    kind: str,
    start: int,
    limit: int,
    target: float,
    probes: int,
) -> tuple[int, float]:
    """Smallest power-of-two breadth (efSearch or nprobe) ≥ ``start`` reaching ``target`` recall@10."""
    faiss = _faiss()
    k = min(CALIBRATION_K, int(vectors.shape[0]))
    queries = _probe_queries(vectors, probes)
    exact = _exact_topk(vectors, queries, k)
    breadth = start
    recall = 0.0
    while True:
        params = (
            faiss.SearchParametersHNSW(efSearch=max(breadth, k))
            if kind == "hnsw"
            else faiss.SearchParametersIVF(nprobe=breadth)
        )
        _, ids = index.search(queries, k, params=params)
        recall = recall_at_k(ids, exact)
        if recall >= target or breadth >= limit:
            return breadth, recall
        breadth = min(breadth * 2, limit)


def _add(index: Any, vectors: np.ndarray) -> None:
    """Add ``vectors`` block by block (a file-mapped array is never resident beside the index's copy). A flat
    or HNSW index's vector storage is grown to its final size first: growing block by block, its buffer
    would double as it fills and hold the old and the new buffer at once (+ 384 MB at 375K sentences)."""
    faiss = _faiss()
    flat = faiss.downcast_index(index.storage) if hasattr(index, "storage") else index
    if isinstance(flat, faiss.IndexFlatCodes) and len(vectors):
        size = flat.codes.size()
        flat.codes.resize(size + len(vectors) * flat.code_size)  # capacity stays when it shrinks back
        flat.codes.resize(size)
    for _, block in blocks(vectors):
        index.add(np.ascontiguousarray(block))


def make_faiss_index(
    vectors: np.ndarray,
    flat_max: int = FLAT_MAX,
    hnsw_max: int = HNSW_MAX,
    recall_target: float = RECALL_TARGET,
    probes: int = PROBE_QUERIES,
) -> tuple[Any, dict[str, Any]]:
    """Build a FAISS index over ``vectors`` (n × d float32); returns the index and its manifest entry.

    The entry always has ``type``, ``metric``, ``exact`` and ``ntotal``; approximate types add their build
    parameters, the calibrated search breadth (``efSearch`` or ``nprobe``) and ``recall_at_10`` measured
    against exact search on ``probes`` held-out probe queries.
    """
    faiss = _faiss()
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    n, dim = int(vectors.shape[0]), int(vectors.shape[1])
    kind = _choose_kind(n, flat_max, hnsw_max)
    if kind == "flat":
        index = faiss.IndexFlatIP(dim)
        _add(index, vectors)
        return index, {"type": "IndexFlatIP", "metric": "inner_product", "exact": True, "ntotal": int(index.ntotal)}

    if kind == "hnsw":
        index = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        _add(index, vectors)
        ef, recall = _calibrate(index, vectors, "hnsw", 64, 1024, recall_target, probes)
        ef *= BREADTH_MARGIN
        index.hnsw.efSearch = ef
        info = {
            "type": "IndexHNSWFlat",
            "metric": "inner_product",
            "exact": False,
            "ntotal": int(index.ntotal),
            "M": HNSW_M,
            "efConstruction": HNSW_EF_CONSTRUCTION,
            "efSearch": int(ef),
        }
    else:
        # ≈ 4·√n lists, with at least 39 training points per list (FAISS's k-means minimum)
        nlist = int(max(1, min(65536, 4 * round(math.sqrt(n)), n // 39)))
        quantizer = faiss.IndexFlatIP(dim)
        index = faiss.IndexIVFFlat(quantizer, dim, nlist, faiss.METRIC_INNER_PRODUCT)
        rng = np.random.default_rng(1234)
        train_n = min(n, 40 * nlist)
        sample = vectors if train_n == n else vectors[np.sort(rng.choice(n, train_n, replace=False))]
        index.train(np.ascontiguousarray(sample))
        release(vectors)
        _add(index, vectors)
        nprobe, recall = _calibrate(index, vectors, "ivf", 8, nlist, recall_target, probes)
        nprobe = min(nprobe * BREADTH_MARGIN, nlist)
        index.nprobe = nprobe
        info = {
            "type": "IndexIVFFlat",
            "metric": "inner_product",
            "exact": False,
            "ntotal": int(index.ntotal),
            "nlist": nlist,
            "nprobe": int(nprobe),
        }
    info["recall_at_10"] = round(float(recall), 4)  # on the probes, at the breadth before the margin
    info["recall_probes"] = int(probes)
    return index, info


def configure_for_search(index: Any, info: dict[str, Any] | None) -> Any:
    """Re-apply the search breadth recorded in the manifest's ``faiss`` entry to an index read from disk.

    FAISS serialises ``efSearch``/``nprobe`` itself, so this is a safeguard (e.g. for an index written by a
    tool that reset them). Call it right after ``faiss.read_index``. Returns ``index``.
    """
    if not info:
        return index
    faiss = _faiss()
    if "efSearch" in info:
        hnsw_index = faiss.downcast_index(index)
        if hasattr(hnsw_index, "hnsw"):
            hnsw_index.hnsw.efSearch = int(info["efSearch"])
    if "nprobe" in info:
        ivf = faiss.extract_index_ivf(index)
        ivf.nprobe = int(info["nprobe"])
    return index

