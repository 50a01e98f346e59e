"""The one retrieval-and-answer step that :mod:`.ask`'s fan-out (scope, comparison, both periods, mixed
periods) calls, as a small typed protocol: :class:`Searcher`.

A searcher is given the :class:`~reportqa.qa.query.Query` (never the question's text) and the
:class:`~reportqa.qa.terms.Searched` terms of this search (``query.searched``, or ``query.narrowed`` within the
named reports). :class:`EngineSearcher` is the engine's: one per ``ask``, it embeds each searched text once
(the vector travels with the query's terms: a comparison's rows and a figure question's two periods share
it) and runs the engine's leaf step (:meth:`Engine.run <reportqa.qa.engine.Engine.run>`), which never calls
back up. Nothing here imports the engine (no cycle inside qa).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np
from reportqa.index.embedding.embedders import Embedder
from reportqa.index.records import DocFilter, Document
from reportqa.index.storage.store import LoadedIndex

from .about_report import answer_about_report
from .query import Query
from .records import Answer
from .terms import Searched


class Searcher(Protocol):
    """What asking needs from the library: one retrieval and answer, and the year-over-year answers."""

    def search(self, query: Query, k: int, mode: str, documents: DocFilter | None, searched: Searched) -> Answer:
        """One retrieval and answer for ``query`` with the ``searched`` terms; ``documents`` None searches the
        whole library."""
        ...

    def year_over_year(self, query: Query) -> Answer:
        """The answer to a ``diff`` or ``trend`` question (``query.intent``; :mod:`.yoy`)."""
        ...

    def about_report(self, query: Query, documents: Sequence[Document], k: int) -> Answer | None:
        """The answer to a question about the report itself from its opening lines (:mod:`.about_report`), or
        None when ``query`` asks no such thing or the report does not say."""
        ...


class _Run(Protocol):
    @property
    def answer(self) -> Answer: ...


class Runs(Protocol):
    """The engine as :class:`EngineSearcher` uses it (:class:`~reportqa.qa.engine.Engine`)."""

    index: LoadedIndex
    embedder: Embedder

    def run(
        self, query: Query | str, k: int, mode: str, documents: DocFilter | None, qvec: np.ndarray | None,
        searched: Searched | None,
    ) -> _Run: ...  # fmt: skip

    def vector(self, searched: Searched) -> np.ndarray: ...


class EngineSearcher:
    """The engine's :class:`Searcher` for one ``ask``: each searched text is embedded once."""

    def __init__(self, engine: Runs) -> None:
        self._engine = engine
        self._vectors: dict[str, np.ndarray] = {}

    def vector(self, searched: Searched) -> np.ndarray:
        """The query vector of ``searched`` (embedded on first use in this ask)."""
        v = self._vectors.get(searched.text)
        if v is None:
            v = self._vectors[searched.text] = self._engine.vector(searched)
        return v

    def search(self, query: Query, k: int, mode: str, documents: DocFilter | None, searched: Searched) -> Answer:
        qvec = None if mode == "keyword" else self.vector(searched)
        return self._engine.run(query, k, mode, documents, qvec, searched).answer

    def year_over_year(self, query: Query) -> Answer:
        from .yoy import answer_yoy

        return answer_yoy(query, self._engine.index, self._engine.embedder)

    def about_report(self, query: Query, documents: Sequence[Document], k: int) -> Answer | None:
        return answer_about_report(query, documents, self._engine.index.chunks, k)


__all__ = ["EngineSearcher", "Runs", "Searcher"]
