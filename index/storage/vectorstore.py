"""The vector-store seam: where chunk and sentence vectors live and how they are searched.

FAISS (in-process, the default) and Milvus (optional, beyond one machine) implement :class:`VectorStore`.
Rows are identified by integer ids (chunk ids or sentence ids); every row belongs to one document, and a
search may be restricted to a set of documents (:data:`reportqa.index.records.DocFilter`) *inside* the search,
before the top k is cut.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np
from reportqa.index.records import DocFilter


@dataclass(frozen=True)
class VectorHits:
    """Top-k results of one query: ``ids`` best first (no ``-1`` padding) and their inner-product scores."""

    ids: np.ndarray
    scores: np.ndarray


class VectorStore(Protocol):
    """Vectors keyed by row id, each row tagged with its document id."""

    @property
    def dim(self) -> int: ...

    def __len__(self) -> int: ...

    def add(self, ids: np.ndarray, vectors: np.ndarray, documents: np.ndarray) -> None:
        """Add rows ``ids`` (int64) with ``vectors`` (n × dim float32, L2-normalised) of ``documents`` (int64)."""

    def delete_documents(self, documents: Collection[int]) -> int:
        """Remove every row of these documents; returns how many rows went."""

    def search(self, query: np.ndarray, k: int, documents: DocFilter | None = None) -> VectorHits:
        """The ``k`` nearest rows to ``query`` (dim,) by inner product, among ``documents`` when given."""

    def save(self, directory: Path) -> list[str]:
        """Persist into ``directory``; returns the names of the files written (checksummed by the manifest)."""


def range_rows(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Concatenated ``arange(start, start + count)`` for every pair, vectorised (rows of id ranges)."""
    starts = np.asarray(starts, dtype=np.int64).reshape(-1)
    counts = np.asarray(counts, dtype=np.int64).reshape(-1)
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(starts - np.concatenate(([0], np.cumsum(counts)[:-1])), counts)
    return np.arange(total, dtype=np.int64) + offsets
