"""Asking, end to end: the question is read once (:func:`~reportqa.qa.query.understand`), and the one
:class:`~reportqa.qa.query.Query` goes to the scope (which reports), the search or comparison
(:mod:`.compare`) and the figure table (:mod:`.table`).

:func:`answer_query` is what :meth:`Engine.ask <reportqa.qa.engine.Engine.ask>` does. It is given the engine's
one retrieval-and-answer step as a :data:`~reportqa.qa.compare.Search` callable and never imports the engine,
so the modules form a chain (engine → ask → compare/scope/table), not a cycle.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from reportqa.index.records import Document, Figure
from reportqa.index.text.places import library_places

from .attainment import answer_attainment
from .compare import Embed, Search, answer_in_scope
from .mixed_period import answer_mixed
from .query import Query
from .records import Answer
from .scope import scope_named
from .table import figure_table


def wants_table(query: Query) -> bool:
    """A table question ("各省", "历年", "高于5%"), or a comparison that names an indicator."""
    return bool(query.indicators) and query.shape in ("table", "comparison")


def answer_query(
    query: Query, documents: Sequence[Document], figures: Sequence[Figure], search: Search, embed: Embed,
    k: int, mode: str,
) -> Answer:  # fmt: skip
    """The answer to ``query`` over a library of ``documents`` with its ``figures``: the passages (scoped to
    the reports the query names; a comparison when it names several) and, for a table question, the figure
    rows (a comparison gets them when any of its cells has a figure); for an attainment question
    (``Query.attainment``) the targets paired with their results (:mod:`.attainment`)."""
    docs = tuple(documents)
    scope = scope_named(
        docs, query.regions, query.years, query.report_named, query.relative, query.filters, query.period,
        library_places(d.region for d in docs),
    )
    mixed = answer_mixed(query, docs, search, embed, k, mode) if query.year_periods else None
    answer = mixed if mixed is not None else answer_in_scope(query, scope, docs, search, embed, k, mode)
    if query.attainment is not None:  # "…目标完成了吗": targets paired with results, judged
        att = answer_attainment(query, figures, docs)
        return replace(answer, attainment=att.rows, attainment_missing=att.missing)  # its rows are the table
    if not wants_table(query):
        return answer
    table = figure_table(query, figures, docs)
    if query.shape != "table" and not table.rows:
        return answer
    return replace(answer, table=table.rows, table_missing=table.missing, table_by_year=table.by_year)


__all__ = ["answer_query", "wants_table"]
