"""Asking, end to end: the question is read once (:func:`~reportqa.qa.query.understand`), and the one
:class:`~reportqa.qa.query.Query` goes down the fan-out this module owns:

* a ``diff`` or ``trend`` question (``Query.intent``) → the year-over-year answer (:mod:`.yoy`);
* a question about the report itself (who delivered it, when, at which meeting: ``Query.asked.report``) → its
  opening lines (:mod:`.about_report`), then the ordinary passages up to ``k``;
* each named year with its own period ("2025年增长了多少、2026年目标是多少") → :mod:`.mixed_period`;
* else the scope (:func:`~reportqa.qa.scope.scope_named`: which reports) →
  no report named: one search over the whole library; one report: one search restricted to it (when the
  library lacks it, an abstention saying what it holds, with the nearest passages as context), and for a
  figure asked with no period cue both the target and the result (:mod:`.by_period`); several reports: the
  side-by-side comparison (:mod:`.compare`);
* then, for an attainment question, the targets paired with their results (:mod:`.attainment`), and for a
  table question the figure rows (:mod:`.table`).

Every search goes through one :class:`~reportqa.qa.search.Searcher` (the engine gives its
:class:`~reportqa.qa.search.EngineSearcher`, which embeds each searched text once per ask) with the
``Query`` and its :class:`~reportqa.qa.terms.Searched` terms, never the question's text; nothing here or
below calls the engine back, so the modules form a chain (engine → ask → compare/by_period/mixed_period →
search), not a cycle.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from reportqa.index.records import Document, Figure
from reportqa.index.text.places import library_places

from .about_report import with_passages
from .answerable import scope_message
from .attainment import answer_attainment
from .by_period import both_periods, reviewed_instead
from .compare import compare, search_target
from .mixed_period import answer_mixed
from .query import Query
from .records import Answer
from .scope import Scope, scope_named
from .search import Searcher
from .table import figure_table


def wants_table(query: Query) -> bool:
    """A table question ("各省", "历年", "高于5%"), or a comparison that names an indicator."""
    return bool(query.indicators) and query.shape in ("table", "comparison")


def answer_query(
    query: Query, documents: Sequence[Document], figures: Sequence[Figure], searcher: Searcher, k: int, mode: str
) -> Answer:  # fmt: skip
    """The answer to ``query`` over a library of ``documents`` with its ``figures`` (module docstring): the
    passages (scoped to the reports the query names; a comparison when it names several) and, for a table
    question, the figure rows (a comparison gets them when any of its cells has a figure); for an attainment
    question (``Query.attainment``) the targets paired with their results (:mod:`.attainment`)."""
    if query.intent != "ask":  # what changed between two reports, or a term's counts (issue 25)
        return searcher.year_over_year(query)
    about = searcher.about_report(query, documents, k)  # who delivered the report, when, where
    if about is None:
        return answer_passages(query, documents, figures, searcher, k, mode)
    if len(about.hits) >= k:
        return about
    return with_passages(about, answer_passages(query, documents, figures, searcher, k, mode).hits, k)


def answer_passages(
    query: Query, documents: Sequence[Document], figures: Sequence[Figure], searcher: Searcher, k: int, mode: str
) -> Answer:  # fmt: skip
    """:func:`answer_query` for a question asked of the reports' passages (not of a report's opening lines):
    the scoped passages, both periods, a comparison, the attainment rows or the figure table."""
    docs = tuple(documents)
    scope = scope_of(query, docs)
    mixed = answer_mixed(query, docs, searcher, k, mode) if query.year_periods else None
    answer = mixed if mixed is not None else answer_in_scope(query, scope, docs, searcher, k, mode)
    if query.attainment is not None:  # "…目标完成了吗": targets paired with results, judged
        att = answer_attainment(query, figures, docs)
        return replace(answer, attainment=att.rows, attainment_missing=att.missing)  # its rows are the table
    if not wants_table(query):
        return answer
    table = figure_table(query, figures, docs)
    if query.shape != "table" and not table.rows:
        return answer
    return replace(answer, table=table.rows, table_missing=table.missing, table_by_year=table.by_year)


def scope_of(query: Query, documents: Sequence[Document]) -> Scope:
    """The reports ``query`` names (its regions, years and filters), resolved against ``documents``."""
    docs = tuple(documents)
    return scope_named(
        docs, query.regions, query.years, query.report_named, query.relative, query.filters, query.period,
        library_places(d.region for d in docs), query.horizons,
    )


def answer_in_scope(
    query: Query, scope: Scope, documents: tuple[Document, ...], searcher: Searcher, k: int, mode: str
) -> Answer:  # fmt: skip
    """Answer ``query`` from the reports ``scope`` names (one of ``documents``): the whole library, one report
    (and its two periods), or a comparison (module docstring)."""
    text, notice = query.text, query.notice
    if not scope.targets:
        a = searcher.search(query, k, mode, None, query.searched)
        return replace(a, notice=notice) if notice and not a.notice else a
    if scope.comparison:
        return compare(query, scope, documents, searcher, k, mode)
    t = scope.targets[0]
    if not t.documents:
        # abstain, saying what the library holds; the nearest passages (the region's other reports, or the
        # whole library) are shown as low-confidence context, never as an answer
        msg = t.message if not notice else f"{notice} {t.message}"
        near = searcher.search(query, k, mode, t.nearest, query.searched)
        return Answer(text, True, near.hits, notice=msg, confidence=0.0, reason="scope",
                      message=scope_message(t, documents, query.language))  # fmt: skip
    a = search_target(searcher, query, k, mode, t, len(documents))
    if a.abstained and a.reason == "no_figure":  # the named year's plan has no figure: its result, next year's
        a = reviewed_instead(searcher, query, t, documents, k, mode, len(documents)) or a
    elif not a.abstained:
        # a figure asked with no period cue ("2025年GDP增长多少"): the target and the result, labelled
        both = both_periods(searcher, query, t, documents, k, mode, len(documents))
        if both:
            a = replace(a, by_period=both)
    return replace(a, notice=notice) if notice and not a.notice else a  # e.g. the question was cut


__all__ = ["answer_in_scope", "answer_query", "scope_of", "wants_table"]
