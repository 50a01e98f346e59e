"""Answers from the figures read at build time (``figures.jsonl``): when a question asks one indicator's target
or result for one year of the reports it names, and the stored :class:`~reportqa.index.records.Figure` records
hold exactly that figure, the answer is the paragraph and sentence stating it, with the value itself marked.

The figure reader keeps a figure only when its quote is in the cited paragraph and its value in the quote, so
the figure's paragraph is a passage of the index; retrieval still decides everything else (the other passages,
the answerability checks). The stored figure is used only when it is unambiguous: one indicator, a target or a
result (not "either": those questions show both, :mod:`.by_period`), one year (not a span such as 今后五年:
the records are one year's figures), searched within named reports, and every matching record giving the same
value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportqa.index.records import Chunk, DocFilter, Document, Figure
from reportqa.index.text.numbers import find_values, fold

from .query import Query
from .support import qualified


@dataclass(frozen=True)
class StoredFigure:
    """A stored figure answering a question, and where it is in the index."""

    figure: Figure
    chunk: int
    """Id of the chunk holding the figure's quote (in the figure's cited paragraph)."""
    start: int
    """Offset of the quote in that chunk's text."""


def _year_matches(query: Query, f: Figure, year: int) -> bool:
    """``year`` is the year the figure is about, or, when the question's year names the report itself
    ("2025年政府工作报告提出…"), the report's year (a result then is the year before's)."""
    if query.report_named:
        return f.citation.year == year
    return f.year == year


def stored_figure(
    query: Query, figures: Sequence[Figure], documents: DocFilter | None, docs: Sequence[Document],
    chunks: Sequence[Chunk],
) -> StoredFigure | None:  # fmt: skip
    """The one stored figure ``query`` asks for within the ``documents`` searched, or None (see the module
    docstring for when it applies)."""
    if documents is None or not figures or query.shape == "table":
        return None
    if query.period not in ("target", "actual") or len(query.indicators) != 1 or len(query.years) != 1:
        return None
    if query.relative or query.span:  # stored figures are one year's; 今后五年 asks a five-year plan's
        return None
    year = query.years[0]
    ind = query.indicators[0]
    found = [
        f for f in figures
        if f.document_id in documents and f.indicator == ind and f.kind == query.period
        and _year_matches(query, f, year)
    ]  # fmt: skip
    if not found or len({(f.value, f.document_id) for f in found}) != 1:
        return None
    fig = found[0]
    if not qualified(query.asked, fig.quote):  # 农村 asked, the figure is all residents'
        return None
    if query.asked.qualifiers and len(find_values(fold(fig.value))) > 1:
        return None  # 农村 asked, the figure is the 城镇/农村 pair "4.3%、5.3%": support picks the asked item
    if not 0 <= fig.document_id < len(docs):
        return None
    doc = docs[fig.document_id]
    for cid in doc.chunk_ids:
        c = chunks[cid]
        if c.citation.paragraph != fig.citation.paragraph:
            continue
        at = c.text.find(fig.quote)
        if at >= 0:
            return StoredFigure(fig, cid, at)
    return None


__all__ = ["StoredFigure", "stored_figure"]
