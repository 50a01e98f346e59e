"""One question, two periods: "西藏2025年地区生产总值增长了多少、2026年目标是多少" / "what was Beijing's GDP
growth in 2025 and what is the 2026 target".

:func:`~reportqa.index.text.periods.year_periods` (read once into ``Query.year_periods``) gives each named year its
own period. :func:`answer_mixed` answers each (year, period) from the report that states it — a year's result
from the next year's review, a year's target from that year's plan (:func:`~reportqa.index.text.periods.
preferred_report_year`) — with the question as understood narrowed to that year and period, so the stored
figure and the sentence choice look for that side. The answer shows each side labelled with its year and
period (``Answer.by_period``, in the question's order); its own sentence is the first answered side's.
The figure table of such a question keeps only the asked (year, period) cells (:mod:`.table`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from reportqa.index.records import Document
from reportqa.index.text.periods import Stated, preferred_report_year, sentence_period

from .query import Query
from .records import Answer, Hit, PeriodAnswer
from .scope import region_matches
from .search import Searcher


def mixed_reports(query: Query, docs: Sequence[Document], year: int, period: str) -> frozenset[int]:
    """The reports stating ``period`` of ``year`` for the question's one region (every region: none named)."""
    report_year = preferred_report_year("actual" if period == "actual" else "target", year)
    return frozenset(d.id for d in _regional(query, docs) if d.year == report_year)


def _regional(query: Query, docs: Sequence[Document]) -> list[Document]:
    region = query.regions[0] if query.regions else None
    return [d for d in docs if region is None or region_matches(d, region)]


def asked_years(query: Query, docs: Sequence[Document]) -> tuple[tuple[int, str], ...]:
    """``Query.year_periods`` as years: offsets (去年/今年) resolved against the region's latest report."""
    if query.years or not query.relative:
        return query.year_periods
    latest = max((d.year for d in _regional(query, docs) if d.year is not None), default=None)
    if latest is None:
        return ()
    return tuple((latest + off, p) for off, p in query.year_periods)


def answer_mixed(
    query: Query, documents: Sequence[Document], searcher: Searcher, k: int, mode: str
) -> Answer | None:  # fmt: skip
    """Each named year's own period answered from its report (module docstring); None when the query is not
    such a question or names several regions (a comparison then answers it)."""
    if not query.year_periods or len(query.regions) > 1:
        return None
    docs = tuple(documents)
    searched = query.searched_in(bool(query.regions))
    sides: list[PeriodAnswer] = []
    answers: list[Answer] = []
    missing: list[str] = []
    for year, period in asked_years(query, docs):
        ids = mixed_reports(query, docs, year, period)
        if not ids or period == "either":
            missing.append(f"{year}")
            continue
        q = replace(query, period=period, years=(year,), year_periods=(), shape="single", relative=False)
        a = searcher.search(q, k, mode, ids, searched)
        if a.abstained or not a.sentence or not a.hits:
            missing.append(f"{year}")
            answers.append(a)
            continue
        hit = a.hits[(a.sentence_rank or 1) - 1]
        report_year = next((d.year for d in docs if d.name == hit.citation.document), None)
        section = hit.chunk.extra.get("period")
        stated = sentence_period(a.sentence, report_year, section if isinstance(section, str) else None)
        if stated.period is not None and stated.period != period:
            missing.append(f"{year}")
            answers.append(a)
            continue
        side: Stated = "target" if period == "target" else "actual"
        sides.append(PeriodAnswer(side, a.sentence, a.highlight, a.clause, hit, report_year, fact_year=year))
        answers.append(a)
    if not sides:
        first = answers[0] if answers else None
        if first is None:
            return None
        return replace(first, question=query.text)
    hits = _merged([s.hit for s in sides], [h for a in answers for h in a.hits], k)
    lead = sides[0]
    rank = next((h.rank for h in hits if h.chunk.id == lead.hit.chunk.id), None)
    notice = query.notice
    if missing:
        gap = ("no answer found for " + ", ".join(missing)) if query.latin else f"未找到{'、'.join(missing)}年的答案"
        notice = f"{notice} {gap}" if notice else gap
    return Answer(
        query.text, False, hits, sentence=lead.sentence, sentence_rank=rank, highlight=lead.highlight,
        notice=notice, confidence=None, clause=lead.clause, by_period=tuple(sides),
    )  # fmt: skip


def _merged(first: Sequence[Hit], rest: Sequence[Hit], k: int) -> tuple[Hit, ...]:
    """Each side's answer passage first (question order), then the other passages, renumbered."""
    seen: set[int] = set()
    out: list[Hit] = []
    for h in (*first, *rest):
        if h.chunk.id not in seen and len(out) < max(k, len(first)):
            seen.add(h.chunk.id)
            out.append(Hit(rank=len(out) + 1, score=h.score, chunk=h.chunk))
    return tuple(out)


__all__ = ["answer_mixed", "mixed_reports"]
