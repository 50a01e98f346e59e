"""The BM25 keyword index over the chunks' tokens (:mod:`reportqa.index.text.tokens`), stored with the index.

The BM25 index is saved with ``bm25s``' own ``save`` as plain ``.npy``/``.json`` files named ``bm25.*`` in the
index directory (no pickle) and loaded with ``BM25.load(…, mmap=…)``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
from reportqa.index.text.tokens import EMPTY_TOKEN

BM25_FILES = {
    "data_name": "bm25.data.npy",
    "indices_name": "bm25.indices.npy",
    "indptr_name": "bm25.indptr.npy",
    "vocab_name": "bm25.vocab.json",
    "params_name": "bm25.params.json",
}
"""The files ``bm25s`` writes (method ``lucene`` writes no non-occurrence array), by its keyword names."""

class LexicalIndex:
    """BM25 over chunk tokens, plus the per-token chunk frequency used for coverage signals.

    bm25s builds the index (it precomputes every token's BM25 contribution per chunk as a sparse
    token × chunk matrix) and writes it as plain files. Loading and scoring need only numpy: a question's
    scores are the sums of its tokens' columns, exactly what bm25s's ``get_scores_from_ids`` computes —
    without importing bm25s and scipy (≈ 0.5 s) in every ``reportqa ask`` process.
    """

    def __init__(self, data: np.ndarray, indices: np.ndarray, indptr: np.ndarray, vocab: dict[str, int],
                 num_docs: int, bm25: Any = None) -> None:  # fmt: skip
        self.data = np.asarray(data, dtype=np.float32)
        """Non-zero BM25 contributions, token by token."""
        self.indices = np.asarray(indices)
        """Chunk id of each entry of :attr:`data`."""
        self.indptr = np.asarray(indptr)
        """Token ``t``'s entries are ``data[indptr[t]:indptr[t + 1]]``."""
        self.vocab = vocab
        self.num_docs = int(num_docs)
        self.bm25 = bm25
        """The bm25s model right after :meth:`build` (None after :meth:`load`)."""
        self._df = np.diff(self.indptr).astype(np.int64)  # chunks containing each token id

    @classmethod
    def build(cls, corpus_tokens: Sequence[Sequence[str]]) -> LexicalIndex:
        import bm25s

        bm25 = bm25s.BM25(method="lucene")
        docs = [list(toks) for toks in corpus_tokens]
        if not any(docs):
            # nothing but punctuation: bm25s needs one token; this one no question can produce
            docs = [[EMPTY_TOKEN] for _ in docs]
        bm25.index(docs, show_progress=False)
        sc = bm25.scores
        return cls(sc["data"], sc["indices"], sc["indptr"], dict(bm25.vocab_dict), int(sc["num_docs"]), bm25)

    def save(self, directory: Path) -> list[str]:
        """Write the ``bm25.*`` files into ``directory`` (bm25s's format); returns their names."""
        if self.bm25 is None:
            raise ValueError("only a freshly built LexicalIndex can be saved")
        self.bm25.save(str(directory), show_progress=False, **BM25_FILES)
        return [n for n in BM25_FILES.values() if (Path(directory) / n).exists()]

    @classmethod
    def load(cls, directory: Path, mmap: bool = False) -> LexicalIndex:
        """Read the ``bm25.*`` files written by :meth:`save` with numpy and json only."""
        d = Path(directory)
        mode: Literal["r"] | None = "r" if mmap else None
        data = np.load(d / BM25_FILES["data_name"], mmap_mode=mode, allow_pickle=False)
        indices = np.load(d / BM25_FILES["indices_name"], mmap_mode=mode, allow_pickle=False)
        indptr = np.load(d / BM25_FILES["indptr_name"], allow_pickle=False)
        vocab = json.loads((d / BM25_FILES["vocab_name"]).read_text(encoding="utf-8"))
        params = json.loads((d / BM25_FILES["params_name"]).read_text(encoding="utf-8"))
        if not isinstance(vocab, dict) or not isinstance(params, dict) or "num_docs" not in params:
            raise ValueError("the keyword index files are not in the expected format")
        # bm25s's vocabulary also holds "" (the empty token), which has no column
        if len(indptr) < len(vocab) or int(indptr[-1]) != len(data) or len(data) != len(indices):
            raise ValueError("the keyword index files do not agree with each other")
        return cls(data, indices, indptr, {str(k): int(v) for k, v in vocab.items()}, int(params["num_docs"]))

    def df(self, token: str) -> int:
        i = self.vocab.get(token)
        return 0 if i is None or i >= len(self._df) else int(self._df[i])

    def postings(self, tokens: Sequence[str], ranges: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """``(chunk ids ascending, BM25 scores)`` of the chunks holding any of ``tokens``, restricted to the
        chunk id ``ranges`` (rows ``start, end``; sorted, disjoint) when given.

        Only the postings of the question's tokens are read (each token's postings are sorted by chunk id, as
        bm25s writes its CSC matrix, so a range is two binary searches). Duplicates are summed with a
        ``bincount`` over the touched id span when that span is small, else a sort; either way the cost
        follows the number of postings, not the number of chunks. A repeated token counts each time."""
        ids_parts: list[np.ndarray] = []
        data_parts: list[np.ndarray] = []
        for t in tokens:
            i = self.vocab.get(t)
            if i is None or t == "" or i + 1 >= len(self.indptr):
                continue
            a, b = int(self.indptr[i]), int(self.indptr[i + 1])
            if ranges is None:
                ids_parts.append(self.indices[a:b])
                data_parts.append(self.data[a:b])
                continue
            idx = self.indices[a:b]
            lo = np.searchsorted(idx, ranges[:, 0])
            hi = np.searchsorted(idx, ranges[:, 1])
            keep = hi > lo
            for x, y in zip(lo[keep].tolist(), hi[keep].tolist(), strict=True):
                ids_parts.append(idx[x:y])
                data_parts.append(self.data[a + x : a + y])
        if not ids_parts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        ids = np.concatenate(ids_parts).astype(np.int64, copy=False)
        data = np.concatenate(data_parts).astype(np.float32, copy=False)
        lo_id, hi_id = int(ids.min()), int(ids.max())
        if hi_id - lo_id + 1 <= 4 * len(ids):
            acc = np.bincount(ids - lo_id, weights=data, minlength=hi_id - lo_id + 1)
            nz = np.flatnonzero(acc)
            return nz + lo_id, acc[nz].astype(np.float32)
        uniq, inverse = np.unique(ids, return_inverse=True)
        return uniq, np.bincount(inverse, weights=data).astype(np.float32)

    def scores(self, tokens: Sequence[str]) -> np.ndarray:
        """BM25 score of every chunk for the query ``tokens`` (zeros when none is known); a repeated token
        counts each time, as in bm25s."""
        out = np.zeros(self.num_docs, dtype=np.float32)
        for t in tokens:
            i = self.vocab.get(t)
            if i is None or t == "" or i + 1 >= len(self.indptr):
                continue
            a, b = int(self.indptr[i]), int(self.indptr[i + 1])
            np.add.at(out, self.indices[a:b], self.data[a:b])
        return out
