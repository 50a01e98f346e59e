"""The engine's one retrieval-and-answer step as a typed callable, so the scope, comparison and both-period
answers (:mod:`.compare`, :mod:`.by_period`) search without importing the engine (no cycle inside qa)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import numpy as np
from reportqa.index.records import DocFilter

from .query import Query
from .records import Answer


class Search(Protocol):
    """One retrieval and answer: ``documents`` None searches the whole library; a query vector None is embedded
    by the callee; ``query`` (when given) is the question as understood, about this search's report."""

    def __call__(
        self, question: str, k: int, mode: str, documents: DocFilter | None, qvec: np.ndarray | None,
        query: Query | None = None,
    ) -> Answer: ...  # fmt: skip


Embed = Callable[[str], np.ndarray]
"""The query vector of a searched text."""

__all__ = ["Embed", "Search"]
