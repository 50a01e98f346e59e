"""The FAISS index type follows the corpus size; approximate types keep recall@10 ≥ 0.95 against exact search.

Thresholds are parameters, so small synthetic sets exercise every type in well under a second each.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from reportqa.index.storage.faiss_store import FaissStore, runs_of
from reportqa.index.storage.vectorindex import configure_for_search, make_faiss_index, recall_at_k


def search(index: Any, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Top-k (scores, ids) per query row through the store that wraps the index (one document)."""
    n = int(index.ntotal)
    st = FaissStore(index, runs_of(np.arange(n), np.zeros(n, dtype=np.int64)), {})
    hits = [st.search(q, k) for q in np.atleast_2d(queries)]
    return np.stack([h.scores for h in hits]), np.stack([h.ids for h in hits])


def clustered(n: int, dim: int = 64, clusters: int = 40, seed: int = 0, centres_seed: int = 0) -> np.ndarray:
    """Unit vectors around ``clusters`` centres (fixed by ``centres_seed``), like embeddings of topical passages."""
    centres = np.random.default_rng(centres_seed).standard_normal((clusters, dim)).astype(np.float32)
    rng = np.random.default_rng(seed + 1000)
    x = centres[rng.integers(0, clusters, n)] + 0.6 * rng.standard_normal((n, dim)).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    return np.ascontiguousarray(x, dtype=np.float32)


def exact_ids(x: np.ndarray, q: np.ndarray, k: int) -> np.ndarray:
    return np.argsort(-(q @ x.T), axis=1, kind="stable")[:, :k]


def test_small_corpus_is_exact() -> None:
    x = clustered(500)
    index, info = make_faiss_index(x)
    assert info["type"] == "IndexFlatIP" and info["exact"] is True and info["ntotal"] == 500
    q = clustered(20, seed=1)
    scores, ids = search(index, q, 10)
    assert ids.shape == (20, 10)
    np.testing.assert_array_equal(ids[:, 0], exact_ids(x, q, 1)[:, 0])
    assert np.all(np.diff(scores, axis=1) <= 1e-6)


@pytest.mark.parametrize(
    ("flat_max", "hnsw_max", "expected", "breadth"),
    [(1000, 10**9, "IndexHNSWFlat", "efSearch"), (1000, 2000, "IndexIVFFlat", "nprobe")],
)
def test_large_corpus_is_approximate_with_measured_recall(
    flat_max: int, hnsw_max: int, expected: str, breadth: str
) -> None:
    x = clustered(4000)
    index, info = make_faiss_index(x, flat_max=flat_max, hnsw_max=hnsw_max)
    assert info["type"] == expected and info["exact"] is False and info["ntotal"] == 4000
    assert info[breadth] >= 1 and info["recall_at_10"] >= 0.95
    # recall on queries the calibration never saw
    q = clustered(100, seed=7)
    _, ids = search(index, q, 10)
    assert recall_at_k(ids, exact_ids(x, q, 10)) >= 0.95


@pytest.mark.parametrize(("flat_max", "hnsw_max"), [(10**9, 10**9), (1, 10**9), (1, 2)])
def test_no_missing_ids_when_fewer_vectors_than_k(flat_max: int, hnsw_max: int) -> None:
    x = clustered(40, clusters=4)
    index, _ = make_faiss_index(x, flat_max=flat_max, hnsw_max=hnsw_max, probes=20)
    scores, ids = search(index, x[:3], 50)
    assert ids.shape == (3, 40)
    assert (ids >= 0).all()
    assert all(len(set(row.tolist())) == 40 for row in ids)
    assert ids[0, 0] == 0 and scores[0, 0] == pytest.approx(1.0, abs=1e-5)


def test_single_vector_and_single_query_row() -> None:
    x = clustered(1)
    index, info = make_faiss_index(x)
    assert info["ntotal"] == 1
    scores, ids = search(index, x[0], 5)
    assert ids.tolist() == [[0]] and scores.shape == (1, 1)


def test_breadth_survives_write_read_and_configure(tmp_path: Path) -> None:
    import faiss

    x = clustered(3000)
    for hnsw_max, key in ((10**9, "efSearch"), (1000, "nprobe")):
        index, info = make_faiss_index(x, flat_max=500, hnsw_max=hnsw_max)
        path = tmp_path / f"{key}.faiss"
        faiss.write_index(index, str(path))
        loaded = faiss.read_index(str(path))
        # simulate a reader that lost the setting, then restore it from the manifest entry
        if key == "efSearch":
            loaded.hnsw.efSearch = 1
        else:
            faiss.extract_index_ivf(loaded).nprobe = 1
        configure_for_search(loaded, info)
        got = loaded.hnsw.efSearch if key == "efSearch" else faiss.extract_index_ivf(loaded).nprobe
        assert got == info[key]
        np.testing.assert_array_equal(search(loaded, x[:5], 10)[1], search(index, x[:5], 10)[1])


def test_configure_for_search_accepts_flat_and_missing_info() -> None:
    index, info = make_faiss_index(clustered(10))
    assert configure_for_search(index, info) is index
    assert configure_for_search(index, None) is index


def test_recall_at_k_counts_overlap() -> None:
    assert recall_at_k(np.array([[1, 2, 3]]), np.array([[3, 2, 9]])) == pytest.approx(2 / 3)
    assert recall_at_k(np.array([[-1, -1]]), np.array([[0, 1]])) == 0.0
