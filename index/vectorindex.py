"""The FAISS search structure over chunk vectors, chosen by corpus size.

Vectors are L2-normalised, so inner product is cosine similarity. Small corpora use exact search
(``IndexFlatIP``); the choice is recorded in the manifest so a loaded index says what it is.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def make_faiss_index(vectors: np.ndarray) -> tuple[Any, dict[str, Any]]:
    """Build a FAISS index over ``vectors`` (n × d float32); returns the index and its manifest entry."""
    import faiss

    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    dim = int(vectors.shape[1])
    index = faiss.IndexFlatIP(dim)
    if len(vectors):
        index.add(vectors)
    return index, {"type": "IndexFlatIP", "metric": "inner_product", "exact": True, "ntotal": int(index.ntotal)}


def search(index: Any, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Top-``k`` (scores, ids) for each query row; ids are -1 where fewer than ``k`` vectors exist."""
    queries = np.ascontiguousarray(np.atleast_2d(queries), dtype=np.float32)
    k = max(1, min(int(k), int(index.ntotal) or 1))
    scores, ids = index.search(queries, k)
    return scores, ids
