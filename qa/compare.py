"""Side-by-side comparisons, and one search restricted to the reports a question names.

:func:`search_target` is one retrieval and answer over one :class:`~reportqa.qa.scope.Target`'s reports, with
the question's narrowed terms (``Query.narrowed``: the region names left out once the filter says which
reports). :func:`compare` answers a question naming several reports (regions or years): one such search per
report, gathered as :class:`~reportqa.qa.records.ComparisonRow` s in the question's order; each row is
answered (or abstains) on its own, and the answer's hits and sentence are the first answered row's. Both
search with a :class:`~reportqa.qa.search.Searcher` (:mod:`.ask` owns the fan-out and gives it); nothing
here calls the engine.
"""

from __future__ import annotations

from dataclasses import replace

from reportqa.index.records import Document

from .query import Query
from .records import Answer, ComparisonRow, Hit
from .scope import Scope, Target
from .search import Searcher

ROW_HITS = 5
"""Passages kept per comparison row (the best one is shown; the others back it up)."""


def _document(docs: dict[str, Document], hits: tuple[Hit, ...]) -> Document | None:
    return docs.get(hits[0].citation.document) if hits else None


def search_target(searcher: Searcher, query: Query, k: int, mode: str, t: Target, n_docs: int) -> Answer:
    """One retrieval restricted to ``t``'s reports; when that narrows the library, with the narrowed terms
    (``Query.narrowed``: the filter already says which reports). The question as understood is asked about
    this report's year (a comparison row asks about its own year)."""
    searched = query.searched_in(len(t.documents) < n_docs)
    if t.year is not None and query.years and t.year in query.years:
        query = replace(query, years=(t.year,))
    a = searcher.search(query, k, mode, t.documents, searched)
    return replace(a, question=query.text) if a.question != query.text else a


def _row(
    searcher: Searcher, query: Query, k: int, mode: str, t: Target, docs: dict[str, Document]
) -> ComparisonRow:  # fmt: skip
    region = t.region.name if t.region else None
    if not t.documents:
        return ComparisonRow(t.label, region, t.year, None, (), None, None, True, t.message, reason="scope")
    a = search_target(searcher, query, max(k, ROW_HITS), mode, t, len(docs))
    hits = tuple(Hit(rank=i + 1, score=h.score, chunk=h.chunk) for i, h in enumerate(a.hits[:ROW_HITS]))
    d = _document(docs, hits)
    return ComparisonRow(
        label=t.label,
        region=(d.region or region) if d else region,
        year=d.year if d and d.year is not None else t.year,
        document=d.name if d else (hits[0].citation.document if hits else None),
        hits=hits,
        sentence=None if a.abstained else a.sentence,
        highlight=None if a.abstained else a.highlight,
        abstained=a.abstained,
        message=a.message,
        reason=a.reason,
        clause=None if a.abstained else a.clause,
    )


def compare(
    query: Query, scope: Scope, documents: tuple[Document, ...], searcher: Searcher, k: int, mode: str
) -> Answer:  # fmt: skip
    """The side-by-side answer to ``query`` over the several reports ``scope`` names (module docstring)."""
    text, notice = query.text, query.notice
    by_name = {d.name: d for d in documents}
    rows = tuple(_row(searcher, query, k, mode, t, by_name) for t in scope.targets)
    first = next((r for r in rows if r.hits), None)
    if first is None:
        msgs = "; ".join(r.message for r in rows if r.message)
        return Answer(text, True, (), notice=msgs or notice, confidence=0.0, comparison=rows, reason="scope",
                      message=msgs or None)  # fmt: skip
    # the answer's own passages: each row's best passage first (question order), then the rest
    seen: set[int] = set()
    merged: list[Hit] = []
    for group in ([r.hits[0] for r in rows if r.hits], [h for r in rows for h in r.hits[1:]]):
        for h in group:
            if h.chunk.id not in seen and len(merged) < k:
                seen.add(h.chunk.id)
                merged.append(Hit(rank=len(merged) + 1, score=h.score, chunk=h.chunk))
    answered = [r for r in rows if not r.abstained]
    lead = answered[0] if answered else first
    rank = next((h.rank for h in merged if lead.hits and h.chunk.id == lead.hits[0].chunk.id), None)
    return Answer(
        text, not answered, tuple(merged),
        sentence=lead.sentence if answered else None, sentence_rank=rank if answered else None,
        highlight=lead.highlight if answered else None, notice=notice, comparison=rows,
        reason=None if answered else lead.reason, message=None if answered else lead.message,
    )  # fmt: skip


__all__ = ["ROW_HITS", "compare", "search_target"]
