"""Table answers: the figure rows (:class:`~reportqa.index.records.Figure`) that answer a question over many
reports — "2026年各省地区生产总值增长目标", "历年国内生产总值增长目标", "Which provinces target more than 5%?",
"西藏近年GDP增长目标和实际增长".

:func:`figure_table` reads only the :class:`~reportqa.qa.query.Query` (never the question's text) and the
figures the index read at build time:

* **indicators**: the ones the question names (none → no table);
* **regions**: every province-level region the library holds a report of for 各省 / provinces /
  哪些省份 (``Query.all_regions``), else the named ones; none named → the national level for an across-years
  question ("历年国内生产总值增长目标"), every province-level region otherwise;
* **years**: the named ones; an across-years question (历年, over the years) takes every year that has a
  figure, or — naming one year ("2015年以来", "since 2015") — every year from it; "近年" / "recent years" the
  last :data:`~reportqa.qa.query.RECENT_YEARS` years up to the latest that has a figure;
* **kind** from ``Query.period``: ``target`` → targets, ``actual`` → results, ``either`` → both; a question
  naming each year with its own period (``Query.year_periods``) keeps only those (year, kind) cells;
* **threshold** ("高于5%", "more than 5%"): a figure passes when its whole stated interval satisfies the
  condition — for ``>``/``>=`` its lower bound ``low`` is compared (``5%左右`` and ``5%`` give 5; ``4.5%—5%``
  gives 4.5, so a range passes "高于4%" but not "高于4.8%"; ``5%以上`` gives 5), for ``<``/``<=`` its upper
  bound ``high``; a figure without that bound does not pass (qualitative, unset, ``5.5%以内`` for ``>``,
  ``7%以上`` for ``<``);
* **one row per cell** (indicator, region, year, kind): when several figures state the same cell, the one from
  the report whose own year it is about (a target from that year's report, a result from the next year's
  review) is kept, then the first in the report;
* **order**: by region (national first, then the official province order), then year, then kind (target
  before actual); an across-years question of one region is ordered by year.

Cells the question asks for that have no figure are listed as :class:`~reportqa.qa.records.MissingCell` s,
never filled in: a cell is expected when the library holds the report that would state it (a target of year
*Y* in the *Y* report, a result of *Y* in the *Y+1* report); a named year whose report the library lacks is
listed once per region with the reason. For an across-years question only the years between the first and
the last found figure are checked (a 1954 report sets no GDP growth target).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from reportqa.index.figures.extract import select_figures
from reportqa.index.records import FIGURE_KINDS, Document, Figure
from reportqa.index.text.regions import NATION, PROVINCE, REGIONS, Region

from .query import RECENT_YEARS, Query, Threshold
from .records import MissingCell

_REGION_ORDER = {r.name: i for i, r in enumerate(REGIONS)}


@dataclass(frozen=True)
class FigureTable:
    """What :func:`figure_table` found."""

    rows: tuple[Figure, ...]
    """The figure rows, in table order (module docstring)."""
    missing: tuple[MissingCell, ...]
    """Cells asked for that no figure states."""
    by_year: bool
    """Rows run across years (a line chart), rather than across regions for one year (bars)."""


def wanted_kinds(query: Query) -> tuple[str, ...]:
    """``("target",)``, ``("actual",)`` or both, from the question's period."""
    return FIGURE_KINDS if query.period == "either" else (query.period,)


def passes(figure: Figure, threshold: Threshold | None) -> bool:
    """Whether ``figure``'s whole stated interval satisfies ``threshold`` (module docstring)."""
    if threshold is None:
        return True
    if threshold.op in (">", ">="):
        if figure.modifier == "at_most":  # "5.5%以内" bounds it from above only
            return False
        v = figure.low
        return v is not None and (v > threshold.value if threshold.op == ">" else v >= threshold.value)
    if figure.modifier == "at_least":  # "7%以上" bounds it from below only
        return False
    v = figure.high if figure.high is not None else figure.low
    return v is not None and (v < threshold.value if threshold.op == "<" else v <= threshold.value)


def region_key(name: str) -> int:
    """Sort key of a region's full name: national first, then the official province order, others last."""
    return _REGION_ORDER.get(name, len(_REGION_ORDER))


def _regions(query: Query, documents: Sequence[Document]) -> tuple[list[str], bool]:
    """The full names of the regions asked about, and whether they are "every province-level region"."""
    held = {d.region for d in documents if d.region}
    provinces = [r.name for r in REGIONS if r.level == PROVINCE and r.name in held]
    if query.all_regions:
        return provinces, True
    if query.regions:
        return [r.name for r in query.regions], False
    if query.across_years:
        return [NATION.name], False
    return provinces, True


def _years(query: Query, found: Iterable[int]) -> tuple[list[int] | None, bool]:
    """The years asked about (None: every year that has a figure), and whether they are an open range."""
    years = list(query.years)
    if not query.across_years:
        return years, False
    if query.recent and not years:  # 近年 / recent years: the last few years up to the latest with a figure
        have = sorted(set(found))
        return ([y for y in have if y > have[-1] - RECENT_YEARS] if have else None), True
    if len(years) == 1:
        return [y for y in sorted(set(found)) if y >= years[0]], True
    if len(years) == 2:
        lo, hi = sorted(years)
        return [y for y in sorted(set(found)) if lo <= y <= hi], True
    return (years or None), not years


def _preferred(f: Figure) -> tuple[int, int]:
    """Sort key among figures of one cell: the report whose own year it is about first, then paragraph order."""
    own = f.citation.year == (f.year if f.kind == "target" else (f.year + 1 if f.year is not None else None))
    return (0 if own else 1, f.citation.paragraph)


def figure_table(query: Query, figures: Sequence[Figure], documents: Sequence[Document]) -> FigureTable:
    """The figure rows answering ``query`` over ``figures`` (the index's), and the cells none states."""
    if not query.indicators:
        return FigureTable((), (), False)
    kinds = wanted_kinds(query)
    regions, every = _regions(query, documents)
    if not regions:
        return FigureTable((), (), False)
    chosen = select_figures(figures, indicators=query.indicators, regions=regions, kinds=kinds)
    candidates = [f for f in chosen if f.year is not None]
    years, open_range = _years(query, (f.year for f in candidates if f.year is not None))
    if years is not None:
        year_set = set(years)
        candidates = [f for f in candidates if f.year in year_set]
    if query.year_periods and query.years:  # "2025年增长了多少、2026年目标是多少": each year's own period
        asked = set(query.year_periods)
        candidates = [f for f in candidates if (f.year, f.kind) in asked]
    cells: dict[tuple[str, str, int, str], Figure] = {}
    for f in sorted(candidates, key=_preferred):
        assert f.year is not None
        cells.setdefault((f.indicator, f.region, f.year, f.kind), f)
    by_year = query.across_years or (len(regions) == 1 and len(set(years or ())) > 1)
    one_region = len(regions) == 1

    def order(f: Figure) -> tuple[int, int, int, int]:
        ind = query.indicators.index(f.indicator)
        kind = FIGURE_KINDS.index(f.kind) if f.kind in FIGURE_KINDS else len(FIGURE_KINDS)
        year = f.year or 0
        if by_year and one_region:
            return (ind, year, region_key(f.region), kind)
        return (ind, region_key(f.region), year, kind)

    present = sorted(cells.values(), key=order)
    rows = tuple(f for f in present if passes(f, query.threshold))
    # the cells asked for: the named years, or (across years) the span of the found figures' years
    if years is None or open_range:
        found_years = [f.year for f in present if f.year is not None]
        check_years = list(range(min(found_years), max(found_years) + 1)) if found_years else []
    else:
        check_years = years
    missing = _missing(query, regions, check_years, kinds, cells, documents, every, named=not query.across_years)
    return FigureTable(rows, tuple(missing), by_year)


def _missing(
    query: Query, regions: Sequence[str], years: Sequence[int], kinds: Sequence[str],
    cells: dict[tuple[str, str, int, str], Figure], documents: Sequence[Document], every: bool, named: bool,
) -> list[MissingCell]:  # fmt: skip
    reports = {(d.region, d.year) for d in documents if d.region and d.year is not None}
    out: list[MissingCell] = []
    for ind in query.indicators:
        for region in regions:
            for year in years:
                expected = [k for k in kinds if (region, year if k == "target" else year + 1) in reports
                            and (not query.year_periods or not query.years
                                 or (year, k) in query.year_periods)]  # fmt: skip
                if not expected:
                    # no report that would state it: say so for a named year of a named region only (a region
                    # of "every province" without that year's report, or a gap in an across-years span, is
                    # simply outside the library)
                    if named and not every:
                        why = f"no report of {region} for {year} in this index"
                        out.append(MissingCell(ind, region, year, None, why))
                    continue
                for k in expected:
                    if (ind, region, year, k) not in cells:
                        out.append(MissingCell(ind, region, year, k, "no figure found in the report"))
    return out


def region_of(name: str) -> Region | None:
    """The :class:`Region` of a full name (for labels)."""
    return next((r for r in REGIONS if r.name == name), None)


__all__ = ["FigureTable", "figure_table", "passes", "region_key", "region_of", "wanted_kinds"]
