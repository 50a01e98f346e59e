"""The in-process :class:`~reportqa.index.storage.vectorstore.VectorStore`: one FAISS index plus its row map.

Rows are kept in the order they were added; which id and which document each row holds is stored as *runs*
(maximal stretches of rows with consecutive ids and one document), so a library of thousands of documents
costs a few kilobytes of row map however many rows it has, and the rows of a document set are a handful of
contiguous ranges. A filtered search is restricted to those ranges *inside* FAISS:

* one range → ``IDSelectorRange`` (exact flat search then scans only that slice of the vectors);
* several ranges → ``IDSelectorBitmap`` over the rows (one bit per row, O(1) membership);
* on an approximate index (HNSW/IVF) a filter covering at most :data:`EXACT_FILTER_MAX` rows is searched
  exactly over its ranges (the HNSW graph cannot find the few members of a very selective filter), a wider
  one through the approximate index with the selector and a search breadth widened by the share of rows
  left out.

Removing documents does not rebuild an approximate index: their runs are marked dead (document
:data:`DEAD`) and every search leaves dead rows out (unfiltered searches go through a bitmap of the live
rows); the index is compacted (rebuilt from the live vectors) only once dead rows exceed
:data:`COMPACT_SHARE` of it. A flat index is rebuilt at once (a copy of its vectors, no graph).
:meth:`FaissStore.derive` makes the next build's store the same way: the previous graph, its kept documents
renumbered, dead rows for the removed ones, and the new documents' vectors added to the graph.

Files (``<stem>`` is ``index`` for chunk vectors, ``sentences`` for sentence vectors): ``<stem>.faiss``
(``faiss.write_index``) and ``<stem>.runs.npy`` (int64 rows ``document, first id, first row, count``).
On load the FAISS index is memory-mapped where FAISS can (flat codes, HNSW storage), so opening a large
index costs little resident memory until it is searched.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

import numpy as np
from reportqa.index.records import DocFilter

from .vectorindex import configure_for_search, make_faiss_index
from .vectorstore import VectorHits, range_rows

EXACT_FILTER_MAX = 50_000
"""A filter selecting at most this many rows of an approximate index is searched exactly (as fast as the
flat search of a corpus that size, see :data:`reportqa.index.storage.vectorindex.FLAT_MAX`)."""
MAX_WIDEN = 16
"""Upper bound on how much a wide filter multiplies the search breadth of an approximate index."""
_RUN_COLUMNS = 4  # document, first id, first row, count
DEAD = -1
"""The document of a removed row's run (never selected, never returned)."""
COMPACT_SHARE = 0.25
"""Dead rows beyond this share of an approximate index make the store rebuild it from the live vectors."""
SEARCH_THREADS = 1
"""OpenMP threads for one query: FAISS gains nothing from threads for a single query vector, and on a busy
machine their barriers cost more than the scan (measured: 2 threads 3× slower than 1 at 37K vectors)."""


def _faiss() -> Any:
    import faiss

    return faiss


def runs_of(ids: np.ndarray, documents: np.ndarray, first_row: int = 0) -> np.ndarray:
    """Run-length rows ``(document, first id, first row, count)`` of consecutive ids within one document."""
    ids = np.asarray(ids, dtype=np.int64)
    documents = np.asarray(documents, dtype=np.int64)
    if len(ids) == 0:
        return np.zeros((0, _RUN_COLUMNS), dtype=np.int64)
    cut = np.flatnonzero((np.diff(ids) != 1) | (np.diff(documents) != 0)) + 1
    starts = np.concatenate(([0], cut))
    counts = np.diff(np.concatenate((starts, [len(ids)])))
    return np.stack([documents[starts], ids[starts], starts + first_row, counts], axis=1).astype(np.int64)


class FaissStore:
    """Vectors in one FAISS index (type chosen by size, see :mod:`.vectorindex`) with a run-length row map."""

    def __init__(self, index: Any, runs: np.ndarray, info: dict[str, Any], stem: str = "index") -> None:
        self.stem = stem
        self._attach(index, runs, info)

    def _attach(self, index: Any, runs: np.ndarray, info: dict[str, Any]) -> None:
        self.index = index
        self.runs = np.asarray(runs, dtype=np.int64).reshape(-1, _RUN_COLUMNS)
        self.info = info
        """The manifest entry (type, metric, exact, ntotal; approximate types: breadth and measured recall)."""
        self.dead = int(self.runs[self.runs[:, 0] == DEAD, 3].sum())
        """Rows of removed documents still in the FAISS index (skipped by every search)."""
        self._live_bits: np.ndarray | None = None
        if int(self.runs[:, 3].sum()) != int(index.ntotal):
            raise ValueError(f"the row map covers {int(self.runs[:, 3].sum())} rows, the index has {index.ntotal}")
        inner = _faiss().downcast_index(index)
        self._inner = inner
        self._hnsw = hasattr(inner, "hnsw")
        self._ivf = hasattr(inner, "nprobe")
        self._storage = _faiss().downcast_index(inner.storage) if self._hnsw else None
        if self._ivf and not inner.direct_map.type:
            inner.make_direct_map()  # row → list position, for the exact search of small filters

    # ------------------------------------------------------------------------------------------ building

    @classmethod
    def build(
        cls, vectors: np.ndarray, documents: np.ndarray, ids: np.ndarray | None = None, stem: str = "index",
        **kind: int,
    ) -> FaissStore:  # fmt: skip
        """A store over ``vectors`` (rows ``ids``, default ``0..n-1``) of ``documents``; ``kind`` passes
        ``flat_max``/``hnsw_max`` through to :func:`.vectorindex.make_faiss_index`."""
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.ndim != 2:
            raise ValueError(f"vectors must be a 2-d array, got shape {vectors.shape}")
        ids = np.arange(len(vectors), dtype=np.int64) if ids is None else np.asarray(ids, dtype=np.int64)
        if len(ids) != len(vectors) or len(documents) != len(vectors):
            raise ValueError("ids, vectors and documents must have one row each")
        index, info = make_faiss_index(vectors, **kind)
        return cls(index, runs_of(ids, documents), info, stem)

    # ------------------------------------------------------------------------------------------ protocol

    @property
    def dim(self) -> int:
        return int(self.index.d)

    def __len__(self) -> int:
        """Live rows (removed documents' rows excluded)."""
        return int(self.index.ntotal) - self.dead

    @property
    def rows(self) -> int:
        """Rows in the FAISS index, dead ones included."""
        return int(self.index.ntotal)

    @property
    def approximate(self) -> bool:
        return self._hnsw or self._ivf

    def add(self, ids: np.ndarray, vectors: np.ndarray, documents: np.ndarray) -> None:
        vectors = np.ascontiguousarray(np.atleast_2d(vectors), dtype=np.float32)
        if vectors.shape[1] != self.dim or len(ids) != len(vectors) or len(documents) != len(vectors):
            raise ValueError(f"add needs one id and document per row of dimension {self.dim}")
        if len(vectors) == 0:
            return
        new = runs_of(np.asarray(ids), np.asarray(documents), first_row=self.rows)
        if self._ivf and not self.index.is_trained:  # pragma: no cover - IVF indexes are built trained
            raise ValueError("the IVF index is not trained")
        self.index.add(vectors)
        self.runs = np.concatenate([self.runs, new]) if len(self.runs) else new
        self._live_bits = None
        self.info = {**self.info, "ntotal": len(self)}

    def delete_documents(self, documents: Collection[int]) -> int:
        """Remove these documents' rows. An approximate index keeps its graph and marks the rows dead until
        they exceed :data:`COMPACT_SHARE`; a flat one is rebuilt from the remaining vectors."""
        docs = np.fromiter(documents, dtype=np.int64)
        gone = np.isin(self.runs[:, 0], docs[docs != DEAD])
        removed = int(self.runs[gone, 3].sum())
        if not removed:
            return 0
        runs = self.runs.copy()
        runs[gone, 0] = DEAD
        runs[gone, 1] = -1
        self._attach(self.index, runs, self.info)
        self.info = {**self.info, "ntotal": len(self), "dead": self.dead}
        if not self.approximate or self.dead > COMPACT_SHARE * self.rows:
            self.compact()
        return removed

    def compact(self) -> None:
        """Rebuild the FAISS index from the live rows only (the type may change with the new size)."""
        keep = self.runs[self.runs[:, 0] != DEAD]
        rows = range_rows(keep[:, 2], keep[:, 3])
        vectors = self._vectors(rows)
        ids = range_rows(keep[:, 1], keep[:, 3])
        docs = np.repeat(keep[:, 0], keep[:, 3])
        rebuilt = FaissStore.build(vectors.reshape(len(rows), self.dim), docs, ids, self.stem)
        self._attach(rebuilt.index, rebuilt.runs, rebuilt.info)

    @classmethod
    def derive(
        cls, old: FaissStore, moved: Mapping[int, tuple[int, int]], ids: np.ndarray, vectors: np.ndarray,
        documents: np.ndarray,
    ) -> FaissStore:  # fmt: skip
        """The next build's store from ``old`` without rebuilding its graph: each old document ``d`` in
        ``moved`` becomes document ``moved[d][0]`` with its ids shifted by ``moved[d][1]``, every other old
        row is dead, and rows ``ids`` (``vectors`` of ``documents``) are added. Compacts when dead rows
        exceed :data:`COMPACT_SHARE`."""
        runs = old.runs.copy()
        for r, (doc, first_id) in enumerate(zip(old.runs[:, 0].tolist(), old.runs[:, 1].tolist(), strict=True)):
            target = moved.get(int(doc)) if doc != DEAD else None
            if target is None:
                runs[r, 0], runs[r, 1] = DEAD, -1
            else:
                runs[r, 0], runs[r, 1] = target[0], first_id + target[1]
        index = _faiss().clone_index(old.index)  # in memory, writable (the old one may be memory-mapped)
        index = configure_for_search(index, old.info)
        out = cls(index, runs, dict(old.info), old.stem)
        out.add(ids, vectors, documents)
        out.info = {**out.info, "ntotal": len(out), "dead": out.dead}
        if out.dead > COMPACT_SHARE * out.rows:
            out.compact()
        return out

    def search(self, query: np.ndarray, k: int, documents: DocFilter | None = None) -> VectorHits:
        q = np.ascontiguousarray(np.asarray(query, dtype=np.float32).reshape(1, -1))
        if len(self) == 0 or k <= 0:
            return _empty()
        faiss = _faiss()
        threads = faiss.omp_get_max_threads()
        faiss.omp_set_num_threads(SEARCH_THREADS)  # this thread's setting only
        try:
            return self._search(q, k, documents)
        finally:
            faiss.omp_set_num_threads(threads)

    def _search(self, q: np.ndarray, k: int, documents: DocFilter | None) -> VectorHits:
        n = len(self)
        if documents is None and self.dead:
            scores, rows = self._search_live(q, min(k, n))
        elif documents is None:
            scores, rows = self._search_all(q, min(k, n))
        else:
            ranges = self.row_ranges(documents)
            total = int((ranges[:, 1] - ranges[:, 0]).sum()) if len(ranges) else 0
            if total == 0:
                return _empty()
            scores, rows = self._search_ranges(q, min(k, total), ranges, total)
        keep = rows >= 0
        return VectorHits(self.ids_of(rows[keep]), scores[keep].astype(np.float32))

    def save(self, directory: Path) -> list[str]:
        faiss = _faiss()
        names = [f"{self.stem}.faiss", f"{self.stem}.runs.npy"]
        faiss.write_index(self.index, str(Path(directory) / names[0]))
        np.save(Path(directory) / names[1], self.runs, allow_pickle=False)
        return names

    # ------------------------------------------------------------------------------------------ row map

    def row_ranges(self, documents: DocFilter) -> np.ndarray:
        """``(start, end)`` row ranges of these documents, sorted, adjacent ranges merged."""
        sel = self.runs[np.isin(self.runs[:, 0], np.fromiter(documents, dtype=np.int64))]
        if not len(sel):
            return np.zeros((0, 2), dtype=np.int64)
        sel = sel[np.argsort(sel[:, 2], kind="stable")]
        starts, ends = sel[:, 2], sel[:, 2] + sel[:, 3]
        new = np.concatenate(([True], starts[1:] != ends[:-1]))
        first = np.flatnonzero(new)
        last = np.concatenate((first[1:], [len(sel)])) - 1
        return np.stack([starts[first], ends[last]], axis=1)

    def ids_of(self, rows: np.ndarray) -> np.ndarray:
        """Ids of ``rows`` (vectorised run lookup)."""
        rows = np.asarray(rows, dtype=np.int64)
        r = np.searchsorted(self.runs[:, 2], rows, side="right") - 1
        return self.runs[r, 1] + (rows - self.runs[r, 2])

    # ------------------------------------------------------------------------------------------ internals

    def _search_all(self, q: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        inner = self._inner
        if self._hnsw or self._ivf:
            d, i = inner.search(q, k, params=self._params(k))
            if (i < 0).any():  # fewer than k found: the widest look
                d, i = inner.search(q, k, params=self._params(k, widest=True))
        else:
            d, i = self.index.search(q, k)
        return d[0], i[0]

    def _search_live(self, q: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Every live row (a store with dead rows): through a bitmap of the live rows, built once."""
        if self._live_bits is None:
            mask = np.zeros(self.rows, dtype=bool)
            live = self.runs[self.runs[:, 0] != DEAD]
            mask[range_rows(live[:, 2], live[:, 3])] = True
            self._live_bits = np.packbits(mask, bitorder="little")
        faiss = _faiss()
        sel = faiss.IDSelectorBitmap(self.rows, faiss.swig_ptr(self._live_bits))
        params = self._params(k, self._widen(max(len(self), 1)), sel)
        d, i = self._inner.search(q, k, params=params)
        if (i < 0).any():
            live = self.runs[self.runs[:, 0] != DEAD]
            ranges = np.stack([live[:, 2], live[:, 2] + live[:, 3]], axis=1)
            return self._exact_ranges(q, k, ranges[np.argsort(ranges[:, 0])])
        return d[0], i[0]

    def _widen(self, allowed: int) -> int:
        """How much wider a search through a selector that lets ``allowed`` of the rows through looks: rows /
        allowed, at most :data:`MAX_WIDEN` (so that enough allowed rows are among those it visits)."""
        return min(MAX_WIDEN, max(1, math.ceil(self.rows / allowed)))

    def _params(self, k: int, widen: int = 1, sel: Any = None, widest: bool = False) -> Any:
        """The one place an approximate index's search breadth is set: HNSW's efSearch and IVF's nprobe times
        ``widen`` (at least ``k`` for HNSW, at most every list for IVF), or with ``widest`` the retry when fewer
        than ``k`` were found (efSearch ×4, at least 256; every IVF list); through the selector ``sel`` when
        given. An exact index takes only the selector."""
        faiss = _faiss()
        kw: dict[str, Any] = {} if sel is None else {"sel": sel}
        if self._hnsw:
            ef = max(int(self._inner.hnsw.efSearch) * widen, k)
            return faiss.SearchParametersHNSW(efSearch=max(4 * ef, 256) if widest else ef, **kw)
        if self._ivf:
            nlist = int(self._inner.nlist)
            nprobe = nlist if widest else min(nlist, int(self._inner.nprobe) * widen)
            return faiss.SearchParametersIVF(nprobe=nprobe, **kw)
        return faiss.SearchParameters(**kw)

    def _selector(self, ranges: np.ndarray) -> tuple[Any, Any]:
        """A FAISS selector for the row ranges, and the object that must outlive it (the bitmap)."""
        faiss = _faiss()
        if len(ranges) == 1:
            return faiss.IDSelectorRange(int(ranges[0, 0]), int(ranges[0, 1])), None
        mask = np.zeros(self.rows, dtype=bool)
        mask[range_rows(ranges[:, 0], ranges[:, 1] - ranges[:, 0])] = True
        bits = np.packbits(mask, bitorder="little")
        return faiss.IDSelectorBitmap(self.rows, faiss.swig_ptr(bits)), bits

    def _search_ranges(self, q: np.ndarray, k: int, ranges: np.ndarray, total: int) -> tuple[np.ndarray, np.ndarray]:
        approx = self._hnsw or self._ivf
        if approx and total <= EXACT_FILTER_MAX:
            return self._exact_ranges(q, k, ranges)
        sel, keep_alive = self._selector(ranges)
        params = self._params(k, self._widen(total), sel)
        d, i = self._inner.search(q, k, params=params)
        del keep_alive
        if approx and (i < 0).any():
            return self._exact_ranges(q, k, ranges)
        return d[0], i[0]

    def _exact_ranges(self, q: np.ndarray, k: int, ranges: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Exact top ``k`` over the row ranges (approximate indexes: their stored vectors, slice by slice)."""
        best_d = np.zeros(0, dtype=np.float32)
        best_i = np.zeros(0, dtype=np.int64)
        for a, b in ranges:
            vec = self._vectors(np.arange(int(a), int(b)))
            s = vec @ q[0]
            top = np.argpartition(-s, min(k, len(s)) - 1)[:k] if len(s) > k else np.arange(len(s))
            best_d = np.concatenate([best_d, s[top]])
            best_i = np.concatenate([best_i, top + int(a)])
            if len(best_d) > 4 * k:
                cut = np.argpartition(-best_d, k - 1)[:k]
                best_d, best_i = best_d[cut], best_i[cut]
        order = np.lexsort((best_i, -best_d))[:k]
        return best_d[order], best_i[order]

    def _vectors(self, rows: np.ndarray) -> np.ndarray:
        """The stored vectors of ``rows`` (reconstructed from the index)."""
        rows = np.asarray(rows, dtype=np.int64)
        if not len(rows):
            return np.zeros((0, self.dim), dtype=np.float32)
        src = self._storage if self._storage is not None else self._inner
        if len(rows) == int(rows[-1]) - int(rows[0]) + 1 and not self._ivf:
            return np.asarray(src.reconstruct_n(int(rows[0]), len(rows)), dtype=np.float32)
        return np.asarray(src.reconstruct_batch(rows), dtype=np.float32)


def load_faiss_store(directory: Path, stem: str, info: dict[str, Any] | None, mmap: bool = True) -> FaissStore:
    """Read a store written by :meth:`FaissStore.save` (memory-mapped where FAISS supports it)."""
    faiss = _faiss()
    path = str(Path(directory) / f"{stem}.faiss")
    index = None
    if mmap:
        try:
            index = faiss.read_index(path, faiss.IO_FLAG_MMAP_IFC | faiss.IO_FLAG_READ_ONLY)
        except RuntimeError:  # an index type FAISS cannot map: read it into memory
            index = None
    if index is None:
        index = faiss.read_index(path)
    index = configure_for_search(index, info)
    runs = np.load(Path(directory) / f"{stem}.runs.npy", allow_pickle=False)
    return FaissStore(index, runs, dict(info or {}), stem)


def _empty() -> VectorHits:
    return VectorHits(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32))
