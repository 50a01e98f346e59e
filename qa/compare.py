"""Answers scoped to the reports a question names, and side-by-side comparisons.

:func:`answer_in_scope` takes the question read once (:class:`~reportqa.qa.query.Query`) and the reports it
names (:class:`~reportqa.qa.scope.Scope`), and searches with a :data:`Search` callable (the engine's one
retrieval and answer, :meth:`Engine.run <reportqa.qa.engine.Engine.run>`); it never calls the engine
itself, so :mod:`.engine` → :mod:`.ask` → this module has no cycle. When the scope

* names no report → one ordinary answer over the whole library;
* names one → one answer whose retrieval only considers that report's passages (the filter is applied
  inside the search, before the top k is cut); when the library lacks it → an abstention saying what the
  library holds instead, with the nearest passages (of the region's other reports) as low-confidence context;
* names several → one retrieval per report, gathered as :class:`~reportqa.qa.records.ComparisonRow` s in the
  question's order (a report the library lacks gives an abstained row with the message); the answer's own
  hits and sentence are the first answered row's.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from reportqa.index.records import Document

from .answerable import scope_message
from .by_period import both_periods
from .query import Query
from .question import clean_question
from .records import Answer, ComparisonRow, Hit
from .scope import Scope, Target, without_region_names
from .search import Embed as Embed
from .search import Search as Search

ROW_HITS = 5
"""Passages kept per comparison row (the best one is shown; the others back it up)."""


def _document(docs: dict[str, Document], hits: tuple[Hit, ...]) -> Document | None:
    return docs.get(hits[0].citation.document) if hits else None


QueryVectors = dict[str, np.ndarray]
"""Query vectors by searched text, shared by the rows of one comparison (their searched text is usually the
same, and embedding it is most of a row's cost)."""


def _run(
    search: Search, embed: Embed, query: Query, question: str, k: int, mode: str, t: Target, n_docs: int,
    qvecs: QueryVectors | None = None,
) -> Answer:  # fmt: skip
    """One retrieval restricted to ``t``'s reports; when that narrows the library, the region names are left
    out of the searched text (the filter already says which reports). The question as understood is asked
    about this report's year (a comparison row asks about its own year)."""
    searched = without_region_names(question, query.regions) if len(t.documents) < n_docs else question
    qvec = None
    if qvecs is not None and mode != "keyword":
        text = clean_question(searched)[0]
        if text not in qvecs:
            qvecs[text] = embed(text)
        qvec = qvecs[text]
    if t.year is not None and query.years and t.year in query.years:
        query = replace(query, years=(t.year,))
    a = search(searched, k, mode, t.documents, qvec, query)
    return replace(a, question=question) if a.question != question else a


def _row(
    search: Search, embed: Embed, query: Query, question: str, k: int, mode: str, t: Target,
    docs: dict[str, Document], qvecs: QueryVectors,
) -> ComparisonRow:  # fmt: skip
    region = t.region.name if t.region else None
    if not t.documents:
        return ComparisonRow(t.label, region, t.year, None, (), None, None, True, t.message, reason="scope")
    a = _run(search, embed, query, question, max(k, ROW_HITS), mode, t, len(docs), qvecs)
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


def answer_in_scope(
    query: Query, scope: Scope, documents: tuple[Document, ...], search: Search, embed: Embed, k: int, mode: str
) -> Answer:  # fmt: skip
    """Answer ``query`` from the reports ``scope`` names (one of ``documents``); see the module docstring."""
    text, notice = query.text, query.notice
    if not scope.targets:
        a = search(text, k, mode, None, None, query)
        return replace(a, notice=notice) if notice and not a.notice else a
    if not scope.comparison:
        t = scope.targets[0]
        if not t.documents:
            # abstain, saying what the library holds; the nearest passages (the region's other reports, or the
            # whole library) are shown as low-confidence context, never as an answer
            msg = t.message if not notice else f"{notice} {t.message}"
            near = search(text, k, mode, t.nearest, None)
            return Answer(text, True, near.hits, notice=msg, confidence=0.0, reason="scope",
                          message=scope_message(t, documents, query.language))  # fmt: skip
        a = _run(search, embed, query, text, k, mode, t, len(documents))
        if not a.abstained:
            # a figure asked with no period cue ("2025年GDP增长多少"): the target and the result, labelled
            both = both_periods(search, embed, query, t, documents, k, mode, len(documents))
            if both:
                a = replace(a, by_period=both)
        return replace(a, notice=notice) if notice and not a.notice else a  # e.g. the question was cut
    by_name = {d.name: d for d in documents}
    qvecs: QueryVectors = {}
    rows = tuple(_row(search, embed, query, text, k, mode, t, by_name, qvecs) for t in scope.targets)
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
