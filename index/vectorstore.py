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

from .records import DocFilter


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
