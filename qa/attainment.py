"""Attainment: was a year's target met? A target for year *Y* (from report *Y*) against the result for *Y*
(from report *Y+1*'s review), both read at build time as :class:`~reportqa.index.records.Figure` records.

**The rules** (:func:`judge`), in the target's unit (the result is scaled to it through
:func:`~reportqa.index.text.numbers.split_multiplier`: 万人, 亿斤 and 万亿斤 compare; 斤 and 吨 do not):

* **direction**: most indicators are better higher (GDP growth, jobs, grain, income …): a target is a floor.
  :data:`CEILING_INDICATORS` (CPI, the unemployment rate, the deficit ratio, energy intensity) are better
  lower: a target is a ceiling. A fall is stored negative (``下降3%`` → −3), so "energy intensity down 3%
  or more" is a ceiling at −3;
* **modifier**: ``以上``/``不低于`` (``at_least``) a floor at the stated value, ``以内``/``控制在…以内``/
  ``不超过``/``低于`` (``at_most``) a ceiling, whatever the direction — except that a fall stated with
  ``以上`` (``下降3.1%以上``) is a ceiling at −3.1 (it asks for at least that much fall), and with ``以内`` a
  floor; a plain value (``7.5%``) a floor or ceiling by direction;
* **ranges** (``6.5%—7%``, ``6%—6.5%``): met when the result reaches the range's lower end (better-higher) or
  stays within its upper end (better-lower); above a growth range, or below a price range, is met too;
* **左右** (``about``): a floor (or ceiling) at the value less (plus) a tolerance: :data:`ABOUT_TOLERANCE_PP`
  percentage points for a percentage, :data:`ABOUT_TOLERANCE_REL` of the value for a count or an amount.
  ``7%左右`` is met by 6.9% and 6.5%, missed by 6.4%; CPI ``3%左右`` is met by 3.3%, missed by 3.6%;
* **results in words**: ``达到预期目标`` / ``实现…目标`` (:data:`REACHED_WORDS`) is met, as the report says; a fall
  without a figure (``出现下降``, ``比上年下降``: :data:`FALL_WORDS`) is a value below 0, judged only when every
  such value gives one verdict (under a CPI ceiling of 3% met, against a 6% growth floor missed);
* **not judged**: a qualitative or unset target (``与经济增长同步``, ``不设具体目标``), any other result stated in
  words (``保持较低水平``), units that do not compare. Nothing is guessed.

The **gap** is the result less the stated target (the value, or the range's end that was judged), in the
target's unit, positive above it — for a ceiling indicator a negative gap is the good side.

**Rows** (:func:`attainment_rows`): one per indicator, region and year that has a target and a result; when
several figures state the same cell, the target from report *Y* and the result from report *Y+1* win (as in
the figure table, :mod:`.table`). A target whose result cannot be known because the library lacks report
*Y+1* (or a result whose target needs report *Y*) is listed as a :class:`~reportqa.qa.records.MissingCell`
saying so — never judged on the target alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from reportqa.index.records import Document, Figure
from reportqa.index.text.numbers import split_multiplier
from reportqa.index.text.regions import NATION, PROVINCE, REGIONS, region_by_name

from .query import RECENT_YEARS, Query
from .records import Attainment, MissingCell, Verdict

CEILING_INDICATORS: frozenset[str] = frozenset({"cpi", "unemployment_rate", "deficit_ratio", "energy_intensity"})
"""Indicators whose target is a ceiling (lower is better)."""
ABOUT_TOLERANCE_PP = 0.5
"""How far below (above, for a ceiling) a ``左右`` percentage target a result may fall and still meet it."""
ABOUT_TOLERANCE_REL = 0.05
"""The same for a count or an amount (``1200万人左右``), as a share of the value."""
_PERCENT_UNITS = ("%", "‰", "个百分点", "百分点")
REACHED_WORDS = re.compile(r"(?:达到|实现|完成)了?(?:预期|预定)?目标|超额完成")
"""A result in words that says the target was reached (国内生产总值增长率达到预期目标): met, as the report says."""
FALL_WORDS = re.compile(r"下降|减少")
"""A result in words that says the quantity fell (进出口总额出现下降, 比上年下降): a value below 0."""
_REGION_ORDER = {r.name: i for i, r in enumerate(REGIONS)}


@dataclass(frozen=True)
class Judgement:
    """What :func:`judge` decided for one target and result."""

    verdict: Verdict
    gap: float | None
    """Result less the stated target in the target's unit (None when not judged)."""
    rule: str
    """``floor``, ``ceiling``, ``about-floor``, ``about-ceiling``, ``range-floor``, ``range-ceiling`` or ``none``."""
    reason: str
    """Why, in a few words (``qualitative target``, ``6.9 ≥ 7 − 0.5``)."""


def _scale(actual: Figure, unit: str) -> float | None:
    """The factor turning ``actual``'s unit into ``unit`` (万人 → 万人 1; 亿斤 → 万亿斤 1e-4), None if they differ."""
    if actual.unit == unit:
        return 1.0
    m_a, base_a = split_multiplier(actual.unit)
    m_t, base_t = split_multiplier(unit)
    if base_a != base_t:
        return None
    return m_a / m_t


def _num(x: float) -> str:
    return f"{x:g}"


def judge(target: Figure, actual: Figure) -> Judgement:
    """The verdict for ``target`` against ``actual`` by the module's rules."""
    if target.modifier in ("qualitative", "unset") or target.low is None:
        return Judgement("not_judged", None, "none", "qualitative target")
    if actual.low is None or actual.modifier in ("qualitative", "unset"):
        return _judge_words(target, actual)
    scale = _scale(actual, target.unit)
    if scale is None:
        return Judgement("not_judged", None, "none", f"units differ ({target.unit} vs {actual.unit})")
    t_low = target.low
    t_high = target.high if target.high is not None else target.low
    mod = target.modifier
    ceiling = _is_ceiling(target)
    bound = t_high if ceiling else t_low
    tol = 0.0
    kind = "ceiling" if ceiling else "floor"
    if mod == "about":
        tol = ABOUT_TOLERANCE_PP if target.unit in _PERCENT_UNITS else ABOUT_TOLERANCE_REL * abs(bound)
        kind = f"about-{kind}"
    elif mod in ("range", "pair") and t_low != t_high:
        kind = f"range-{kind}"
    a_low = actual.low * scale
    a_high = (actual.high if actual.high is not None else actual.low) * scale
    value = a_high if ceiling else a_low
    gap = round(value - bound, 4)
    met = value <= bound + tol + 1e-9 if ceiling else value >= bound - tol - 1e-9
    op = "≤" if ceiling else "≥"
    limit = f"{_num(bound)} {'+' if ceiling else '−'} {_num(round(tol, 4))}" if tol else _num(bound)
    why = f"{_num(round(value, 4))} {op if met else 'not ' + op} {limit}"
    return Judgement("met" if met else "missed", gap, kind, why)


def _is_ceiling(target: Figure) -> bool:
    """Whether the target is a ceiling (the result must stay at or below it), by modifier then direction."""
    assert target.low is not None
    t_high = target.high if target.high is not None else target.low
    if target.modifier == "at_least":
        return target.low < 0  # 下降3%以上: at least that much fall
    if target.modifier == "at_most":
        return not t_high < 0
    return target.indicator in CEILING_INDICATORS


def _judge_words(target: Figure, actual: Figure) -> Judgement:
    """A result stated in words: met when the report says the target was reached (:data:`REACHED_WORDS`); a
    fall without a figure (:data:`FALL_WORDS`) is a value below 0, judged only when every value below 0 gives
    the same verdict (a ceiling of 0 or more is met, a floor above 0 + tolerance missed); else not judged."""
    words = actual.value
    if REACHED_WORDS.search(words):
        return Judgement("met", None, "stated", f"the report says so ({words})")
    if FALL_WORDS.search(words) and target.unit in _PERCENT_UNITS and target.low is not None:
        t_high = target.high if target.high is not None else target.low
        ceiling = _is_ceiling(target)
        tol = ABOUT_TOLERANCE_PP if target.modifier == "about" else 0.0
        if ceiling and t_high + tol >= 0:
            return Judgement("met", None, "ceiling", f"a fall (< 0) ≤ {_num(t_high)}")
        if not ceiling and target.low - tol > 0:
            return Judgement("missed", None, "floor", f"a fall (< 0) not ≥ {_num(target.low)}")
    return Judgement("not_judged", None, "none", "result stated without a figure")


def _own_report(f: Figure) -> bool:
    """The figure comes from the report whose own year it is about (target: Y; result: Y+1)."""
    if f.year is None:
        return False
    return f.citation.year == (f.year if f.kind == "target" else f.year + 1)


def _cells(figures: Iterable[Figure], kind: str) -> dict[tuple[str, str, int], Figure]:
    out: dict[tuple[str, str, int], Figure] = {}
    for f in sorted((f for f in figures if f.kind == kind and f.year is not None),
                    key=lambda f: (0 if _own_report(f) else 1, f.citation.paragraph)):  # fmt: skip
        assert f.year is not None
        out.setdefault((f.indicator, f.region, f.year), f)
    return out


def region_names(names: Iterable[str]) -> list[str]:
    """Full region names of any form :func:`~reportqa.index.text.regions.region_by_name` knows."""
    out = []
    for n in names:
        r = region_by_name(n)
        out.append(r.name if r is not None else n)
    return out


@dataclass(frozen=True)
class AttainmentTable:
    """What :func:`attainment_rows` found."""

    rows: tuple[Attainment, ...]
    missing: tuple[MissingCell, ...]
    """Targets whose result is not known (or results whose target is not), and why."""


def attainment_rows(
    figures: Sequence[Figure], documents: Sequence[Document], *, indicators: Iterable[str] = (),
    regions: Iterable[str] = (), years: Iterable[int] = (), report_missing: bool = True,
) -> AttainmentTable:  # fmt: skip
    """Every target of ``figures`` (within the filters; empty = all) paired with its result and judged, ordered
    by region (national first), indicator, year; and, with ``report_missing``, the cells that cannot be judged
    because the library lacks the report that would state the other half."""
    want_ind = set(indicators)
    want_reg = set(region_names(regions))
    want_years = set(years)

    def keep(f: Figure) -> bool:
        return ((not want_ind or f.indicator in want_ind) and (not want_reg or f.region in want_reg)
                and (f.year is not None and (not want_years or f.year in want_years)))  # fmt: skip

    chosen = [f for f in figures if keep(f)]
    targets = _cells(chosen, "target")
    actuals = _cells(chosen, "actual")
    reports = {(d.region, d.year) for d in documents if d.region and d.year is not None}
    rows: list[Attainment] = []
    missing: list[MissingCell] = []
    for key, t in targets.items():
        ind, region, year = key
        a = actuals.get(key)
        if a is not None:
            j = judge(t, a)
            rows.append(Attainment(region, year, ind, t, a, j.verdict, j.gap, t.unit, j.rule, j.reason))
        elif report_missing and (region, year + 1) not in reports:
            why = f"no {year + 1} report of {region} in this index, so the {year} result is not known"
            missing.append(MissingCell(ind, region, year, "actual", why))
        elif report_missing:
            missing.append(MissingCell(ind, region, year, "actual", f"the {year + 1} report states no result for it"))
    if report_missing:
        for key in actuals:
            ind, region, year = key
            if key not in targets and (region, year) not in reports:
                why = f"no {year} report of {region} in this index, so the {year} target is not known"
                missing.append(MissingCell(ind, region, year, "target", why))
    order = {iid: i for i, iid in enumerate(dict.fromkeys(f.indicator for f in figures))}

    def row_key(r: Attainment) -> tuple[int, int, int]:
        return (_REGION_ORDER.get(r.region, len(_REGION_ORDER)), order.get(r.indicator, 0), r.year)

    def miss_key(c: MissingCell) -> tuple[int, int, int]:
        return (_REGION_ORDER.get(c.region, len(_REGION_ORDER)), order.get(c.indicator, 0), c.year)

    return AttainmentTable(tuple(sorted(rows, key=row_key)), tuple(sorted(missing, key=miss_key)))


def query_regions(query: Query, documents: Sequence[Document]) -> list[str]:
    """The regions an attainment question asks about: every province the library holds a report of (各省,
    which provinces), the named ones, else the national level (else every region the library holds)."""
    held = {d.region for d in documents if d.region}
    if query.all_regions:
        return [r.name for r in REGIONS if r.level == PROVINCE and r.name in held]
    if query.regions:
        return [r.name for r in query.regions]
    if NATION.name in held:
        return [NATION.name]
    return [r.name for r in REGIONS if r.name in held]


def query_missing(query: Query, regions: Sequence[str], documents: Sequence[Document],
                  table: AttainmentTable) -> tuple[MissingCell, ...]:  # fmt: skip
    """The table's missing cells, plus — for each named year of a region with no row and no cell — which of
    report *Y* and *Y+1* the library lacks (so "西藏2024年…完成了吗" without the 2025 report says so)."""
    reports = {(d.region, d.year) for d in documents if d.region and d.year is not None}
    out = list(table.missing)
    seen = {(c.region, c.year) for c in out} | {(r.region, r.year) for r in table.rows}
    for region in regions:
        for year in query.years:
            if (region, year) in seen:
                continue
            lacks = [y for y in (year, year + 1) if (region, y) not in reports]
            if not lacks:
                continue
            kind = "actual" if lacks == [year + 1] else ("target" if lacks == [year] else None)
            what = " or ".join(str(y) for y in lacks)
            half = {"actual": f"the {year} result is", "target": f"the {year} target is"}.get(
                kind or "", f"neither the {year} target nor its result is"
            )
            ind = query.indicators[0] if query.indicators else ""
            why = f"no {what} report of {region} in this index, so {half} not known"
            out.append(MissingCell(ind, region, year, kind, why))
    return tuple(out)


def answer_attainment(query: Query, figures: Sequence[Figure], documents: Sequence[Document]) -> AttainmentTable:
    """The attainment rows an attainment question (``Query.attainment``) asks for: its indicators (all when it
    names none), regions (:func:`query_regions`) and years (all when it names none); only the missed ones for
    "哪些省份没有完成…" / "which … missed" (``Query.attainment == "missed"``); for 近年 / recent years the
    last :data:`~reportqa.qa.query.RECENT_YEARS` years up to the latest with a row."""
    regions = query_regions(query, documents)
    table = attainment_rows(figures, documents, indicators=query.indicators, regions=regions, years=query.years,
                            report_missing=bool(query.years))  # fmt: skip
    rows = table.rows
    if query.recent and not query.years and rows:  # 近年 / recent years: the last few years with a row
        last = max(r.year for r in rows)
        rows = tuple(r for r in rows if r.year > last - RECENT_YEARS)
    if query.attainment == "missed":
        rows = tuple(r for r in rows if r.verdict == "missed")
    missing = query_missing(query, regions, documents, table)
    return AttainmentTable(rows, missing)


def missing_summary(missing: Sequence[MissingCell], latin: bool) -> list[str]:
    """One line per distinct reason about a missing report, regions grouped ("no 2025 report of 31 regions
    (北京市, 天津市, …)"): what the chat and the CLI say instead of judging on one half."""
    groups: dict[tuple[int, str | None], list[str]] = {}
    for c in missing:
        if "report of" not in c.reason:
            continue
        groups.setdefault((c.year, c.kind), [])
        if c.region not in groups[(c.year, c.kind)]:
            groups[(c.year, c.kind)].append(c.region)
    lines = []
    for (year, kind), regs in groups.items():
        lack = year + 1 if kind == "actual" else year
        if len(regs) == 1:
            one = next(c for c in missing if c.year == year and c.kind == kind and c.region == regs[0])
            lines.append(one.reason if latin else _zh(regs[0], year, kind))
            continue
        names = "、".join(regs[:4]) + ("…" if len(regs) > 4 else "")
        if latin:
            half = f"their {year} {'results are' if kind == 'actual' else 'targets are'}"
            lines.append(f"no {lack} report of {len(regs)} regions ({names}) in this index, so {half} not known")
        else:
            half = "实际结果" if kind == "actual" else "目标"
            lines.append(f"本库中没有{names}等{len(regs)}个地区的{lack}年报告，无法得知其{year}年{half}")
    return lines


def _zh(region: str, year: int, kind: str | None) -> str:
    if region == NATION.name:  # 本库中没有2020年的全国报告, not 没有全国2020年的报告
        return _zh_nation(year, kind)
    if kind == "actual":
        return f"本库中没有{region}{year + 1}年的报告，因此{year}年的实际结果未知，无法判断目标是否完成"
    if kind == "target":
        return f"本库中没有{region}{year}年的报告，因此{year}年的目标未知，无法判断是否完成"
    return f"本库中没有{region}{year}年和{year + 1}年的报告，无法判断{year}年目标是否完成"


def _zh_nation(year: int, kind: str | None) -> str:
    if kind == "actual":
        return f"本库中没有{year + 1}年的全国政府工作报告，因此{year}年的实际结果未知，无法判断目标是否完成"
    if kind == "target":
        return f"本库中没有{year}年的全国政府工作报告，因此{year}年的目标未知，无法判断是否完成"
    return f"本库中没有{year}年和{year + 1}年的全国政府工作报告，无法判断{year}年目标是否完成"


__all__ = [
    "ABOUT_TOLERANCE_PP", "ABOUT_TOLERANCE_REL", "CEILING_INDICATORS", "FALL_WORDS", "REACHED_WORDS",
    "AttainmentTable", "Judgement",
    "answer_attainment", "attainment_rows", "judge", "missing_summary", "query_regions",
]  # fmt: skip
