"""Both readings of a question that may ask for a target or a result.

"2025年GDP增长多少" may mean the target set for 2025 (in the 2025 report) or what 2025 achieved (in the 2026
report's review). When a question naming one report asks for a figure and its words ask for neither period
(:func:`reportqa.index.text.periods.question_period` is ``either``), :func:`both_periods` answers it twice — once
for the target, from the report of the named year (or the named report's plan), once for the result, from the
next year's report (or the named report's review) — and keeps each side whose answer sentence states that
period (:func:`reportqa.index.text.periods.sentence_period`). The answer then shows both, labelled.

When the named year's report has no sentence stating what is asked (``no_figure``: "2006年全国粮食产量是多少" —
the 2006 report plans, the 2007 report states the harvest), :func:`reviewed_instead` asks the next year's report
for the result: a right answer is not declined because the question did not say which report holds it.
"""

from __future__ import annotations

from dataclasses import replace

from reportqa.index.records import Document
from reportqa.index.text.periods import preferred_report_year, sentence_period

from .query import Query
from .records import Answer, PeriodAnswer
from .scope import Target, region_matches
from .search import Searcher


def _documents(docs: tuple[Document, ...], t: Target, year: int | None) -> frozenset[int]:
    """The reports of ``year`` of the target's region (every report of that year when it names no region); the
    target's own documents when ``year`` is None."""
    if year is None:
        return t.documents
    return frozenset(d.id for d in docs if d.year == year and (t.region is None or region_matches(d, t.region)))


def both_periods(
    searcher: Searcher, query: Query, t: Target, docs: tuple[Document, ...], k: int, mode: str, n_docs: int
) -> tuple[PeriodAnswer, ...]:  # fmt: skip
    """The target and the result answering ``query`` (an ``either`` question naming one report), each from the
    report that states it; empty unless both are found and differ."""
    if query.period != "either" or not query.indicators or query.report_named or len(query.years) > 1:
        return ()
    year = query.years[0] if query.years else None
    by_id = {d.id: d for d in docs}
    out: list[PeriodAnswer] = []
    searched = query.searched_in(len(t.documents) < n_docs)  # embedded once per ask (the searcher keeps it)
    for period in ("target", "actual"):
        ids = _documents(docs, t, preferred_report_year(period, year) if year is not None else None)
        if not ids:
            continue
        q = replace(query, period=period)
        a: Answer = searcher.search(q, k, mode, ids, searched)
        if a.abstained or not a.sentence or not a.hits:
            continue
        doc = by_id.get(next(iter(ids))) if len(ids) == 1 else None
        report_year = doc.year if doc is not None else None
        hit = a.hits[(a.sentence_rank or 1) - 1]
        if report_year is None:
            report_year = next((d.year for d in docs if d.name == hit.citation.document), None)
        section = hit.chunk.extra.get("period")
        stated = sentence_period(a.sentence, report_year, section if isinstance(section, str) else None)
        if stated.period != period:
            continue
        out.append(PeriodAnswer(period, a.sentence, a.highlight, a.clause, hit, report_year))
    if len(out) < 2 or out[0].sentence == out[1].sentence:
        return ()
    return tuple(out)


def _next_of(docs: tuple[Document, ...], t: Target, year: int) -> frozenset[int]:
    """The next year's report of the one report ``t`` found for ``year`` (its region's): the national report of
    2007 for a question naming 2006 and no region, when 2006's only report is the national one."""
    (only,) = (d for d in docs if d.id in t.documents)
    return frozenset(d.id for d in docs if d.year == year + 1 and d.region == only.region)


def reviewed_instead(
    searcher: Searcher, query: Query, t: Target, docs: tuple[Document, ...], k: int, mode: str, n_docs: int
) -> Answer | None:  # fmt: skip
    """The result for ``query``'s one year from the next year's report, for an ``either`` question the named
    year's report declined as ``no_figure``; None when it asks no figure, names a report or several years, names no
    region while the year has several reports, the library has no next report of the region, or that one does not
    state it either."""
    if query.period != "either" or query.report_named or len(query.years) != 1 or not query.asks_figure:
        return None  # (a figure: who won a match is in no report, however many are asked)
    if t.region is None and len(t.documents) != 1:
        return None  # no region named and several reports that year: the next year's every report is no scope
    ids = _documents(docs, t, query.years[0] + 1) if t.region is not None else _next_of(docs, t, query.years[0])
    if not ids:
        return None
    a = searcher.search(replace(query, period="actual"), k, mode, ids, query.searched_in(len(ids) < n_docs))
    if a.abstained:
        return None
    y = query.years[0]
    if query.language == "en":
        said = f"The {y} report gives no figure for this; the answer is the {y + 1} report's review of {y}."
    else:
        said = f"{y}年的报告没有给出这一数字；以下是{y + 1}年报告对{y}年的回顾。"
    return replace(a, question=query.text, notice=f"{a.notice} {said}" if a.notice else said)


__all__ = ["both_periods", "reviewed_instead"]
