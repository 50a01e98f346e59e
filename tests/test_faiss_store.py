"""FaissStore: the VectorStore protocol, document filters inside the search, agreement with brute force.

Small random data; the index-type thresholds are parameters so every FAISS type is exercised."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from reportqa.index.storage.bm25 import LexicalIndex
from reportqa.index.storage.faiss_store import FaissStore, load_faiss_store, runs_of
from reportqa.index.storage.vectorstore import VectorHits, VectorStore

KINDS = {
    "flat": {},
    "hnsw": {"flat_max": 100, "hnsw_max": 10**9},
    "ivf": {"flat_max": 100, "hnsw_max": 200},
}


def unit(n: int, dim: int = 32, seed: int = 0) -> np.ndarray:
    x = np.random.default_rng(seed).standard_normal((n, dim)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def documents_of(sizes: list[int]) -> np.ndarray:
    return np.repeat(np.arange(len(sizes)), sizes).astype(np.int64)


def brute(x: np.ndarray, docs: np.ndarray, q: np.ndarray, k: int, keep: set[int] | None) -> list[int]:
    s = x @ q
    rows = [i for i in np.lexsort((np.arange(len(s)), -s)) if keep is None or int(docs[i]) in keep]
    return [int(i) for i in rows[:k]]


@pytest.mark.parametrize("kind", KINDS)
def test_filtered_and_unfiltered_search_agree_with_brute_force(kind: str) -> None:
    sizes = [37, 5, 120, 1, 64, 90, 33]
    x = unit(sum(sizes))
    docs = documents_of(sizes)
    store = FaissStore.build(x, docs, **KINDS[kind])
    assert store.info["exact"] is (kind == "flat")
    exact = kind == "flat"
    for seed in range(20):
        q = unit(1, seed=100 + seed)[0]
        for keep in (None, {1}, {3}, {0, 4}, {2, 5, 6}, {1, 3, 6}):
            got = store.search(q, 10, frozenset(keep) if keep is not None else None)
            want = brute(x, docs, q, 10, keep)
            assert all(int(docs[i]) in keep for i in got.ids) if keep else True
            if exact or keep is not None:  # a filter this small is searched exactly on every type
                assert got.ids.tolist() == want, (kind, keep)
            else:
                assert len(set(got.ids.tolist()) & set(want)) >= 8
            np.testing.assert_allclose(got.scores, x[got.ids] @ q, rtol=1e-5, atol=1e-5)
            assert np.all(np.diff(got.scores) <= 1e-6)


def test_filter_keeps_only_chosen_documents_when_others_score_higher() -> None:
    x = unit(300)
    docs = documents_of([100, 100, 100])
    q = x[5]  # a row of document 0: its own best match
    store = FaissStore.build(x, docs)
    assert int(store.search(q, 1).ids[0]) == 5
    got = store.search(q, 20, frozenset({2}))
    assert len(got.ids) == 20 and set(docs[got.ids].tolist()) == {2}
    assert float(got.scores[0]) < 0.99  # document 0 scores higher (1.0) and is left out
    assert store.search(q, 5, frozenset({7})).ids.size == 0  # an unknown document: nothing


def test_wide_filter_on_approximate_index_goes_through_the_selector() -> None:
    sizes = [60] * 10
    x = unit(600)
    docs = documents_of(sizes)
    store = FaissStore.build(x, docs, flat_max=100, hnsw_max=10**9)
    keep = frozenset(range(0, 10, 2))
    import reportqa.index.storage.faiss_store as fs

    old = fs.EXACT_FILTER_MAX
    fs.EXACT_FILTER_MAX = 10  # force the IDSelector path
    try:
        for seed in range(10):
            q = unit(1, seed=300 + seed)[0]
            got = store.search(q, 10, keep)
            assert set(docs[got.ids].tolist()) <= set(keep) and len(got.ids) == 10
            assert len(set(got.ids.tolist()) & set(brute(x, docs, q, 10, set(keep)))) >= 8
    finally:
        fs.EXACT_FILTER_MAX = old


@pytest.mark.parametrize("kind", KINDS)
def test_store_satisfies_the_protocol_round_trip(kind: str, tmp_path: Path) -> None:
    x = unit(400)
    docs = documents_of([150, 150, 100])
    store: VectorStore = FaissStore.build(x[:300], docs[:300], **KINDS[kind])
    assert store.dim == 32 and len(store) == 300
    store.add(np.arange(300, 400), x[300:], docs[300:])
    assert len(store) == 400
    q = x[350]
    hit = store.search(q, 3)
    assert isinstance(hit, VectorHits) and int(hit.ids[0]) == 350
    assert store.delete_documents([2]) == 100 and len(store) == 300
    assert store.search(q, 300, frozenset({2})).ids.size == 0
    assert 350 not in store.search(q, 300).ids.tolist()
    names = store.save(tmp_path)
    assert sorted(names) == ["index.faiss", "index.runs.npy"] and all((tmp_path / n).exists() for n in names)
    assert isinstance(store, FaissStore)
    loaded = load_faiss_store(tmp_path, "index", store.info)
    assert loaded.dim == 32 and len(loaded) == 300
    for seed in range(5):
        q = unit(1, seed=500 + seed)[0]
        for keep in (None, frozenset({0}), frozenset({1})):
            a, b = store.search(q, 7, keep), loaded.search(q, 7, keep)
            assert a.ids.tolist() == b.ids.tolist()
            assert set(docs[a.ids].tolist()) <= set(keep or {0, 1})


def test_ids_need_not_be_row_numbers() -> None:
    x = unit(50)
    ids = np.arange(1000, 1050)
    docs = documents_of([20, 30])
    store = FaissStore.build(x, docs, ids=ids)
    assert store.runs.tolist() == [[0, 1000, 0, 20], [1, 1020, 20, 30]]
    assert int(store.search(x[25], 1).ids[0]) == 1025
    assert set(store.search(x[25], 50, frozenset({0})).ids.tolist()) == set(range(1000, 1020))


def test_runs_are_compact() -> None:
    r = runs_of(np.array([0, 1, 2, 5, 6, 7, 8]), np.array([0, 0, 1, 1, 1, 2, 2]))
    assert r.tolist() == [[0, 0, 0, 2], [1, 2, 2, 1], [1, 5, 3, 2], [2, 7, 5, 2]]


def test_bm25_postings_match_the_full_scores_within_ranges() -> None:
    rng = np.random.default_rng(3)
    words = [f"w{i}" for i in range(40)]
    corpus = [[words[int(j)] for j in rng.integers(0, 40, rng.integers(1, 15))] for _ in range(300)]
    lex = LexicalIndex.build(corpus)
    for row in range(len(lex.indptr) - 1):  # postings are sorted by chunk id (the range search relies on it)
        assert np.all(np.diff(lex.indices[lex.indptr[row] : lex.indptr[row + 1]]) > 0)
    ranges = np.array([[10, 40], [100, 101], [250, 300]])
    inside = np.zeros(300, dtype=bool)
    for a, b in ranges:
        inside[a:b] = True
    for q in (["w1"], ["w2", "w3", "w2"], ["w5", "nope"], ["nope"]):
        full = lex.scores(q)
        ids, scores = lex.postings(q)
        assert ids.tolist() == np.flatnonzero(full).tolist()
        np.testing.assert_allclose(scores, full[ids], rtol=1e-5)
        ids, scores = lex.postings(q, ranges)
        assert ids.tolist() == np.flatnonzero((full > 0) & inside).tolist()
        np.testing.assert_allclose(scores, full[ids], rtol=1e-5)


def test_jsonl_rows_are_parsed_when_read(tmp_path: Path) -> None:
    import json

    from reportqa.index.storage.jsonl_rows import JsonlRows

    path = tmp_path / "rows.jsonl"
    rows = [{"n": i, "text": "行" * i} for i in range(7)]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows[:3]) + "\n\n  \n"
                    + "\n".join(json.dumps(r, ensure_ascii=False) for r in rows[3:]), encoding="utf-8")  # fmt: skip
    seen: list[int] = []

    def parse(d: dict[str, object]) -> int:
        seen.append(int(str(d["n"])))
        return int(str(d["n"]))

    lazy = JsonlRows(path, parse)
    assert len(lazy) == 7 and seen == []  # nothing parsed at open
    assert lazy[5] == 5 and lazy[-1] == 6 and lazy[1:3] == [1, 2] and seen == [5, 6, 1, 2]
    assert list(lazy) == list(range(7)) and lazy == list(range(7)) and lazy != [0]
    with pytest.raises(IndexError):
        lazy[7]
    (tmp_path / "empty.jsonl").write_bytes(b"")
    assert len(JsonlRows(tmp_path / "empty.jsonl", parse)) == 0
