"""Which reports a question is about: the regions and years it names, resolved against the library.

A question such as "北京市2026年地区生产总值预期增长多少？" names one report; "西藏2024年和2026年的…分别是多少？"
or "Compare Beijing's and Shanghai's 2026 GDP targets" names several (a comparison); "上海市2015年…" names one
the library may not hold. :func:`scope_named` turns the regions and years the question names (read once into the
:class:`~reportqa.qa.query.Query`: :func:`named_regions`, :func:`named_years`) and any explicit filters (``--doc``,
``--region``, ``--year``) into a :class:`Scope`: one :class:`Target` per named report, in the question's
order, each with the :data:`~reportqa.index.records.DocFilter` that retrieval applies *inside* the candidate
search, or a message saying what the library holds instead.

Region and year knowledge lives in :mod:`reportqa.index.text.regions` and :mod:`reportqa.index.text.years`; this module
only combines their findings with the documents of one index.

Years: an explicit year picks the reports of that year; when the library holds none, the next year's report
(which reviews the named year: "上海市2025年生产总值达到多少" → the 2026 report) unless the question names the
report itself ("2015年政府工作报告"). 今年/去年/明年 with a region and no explicit year pick that region's latest
report (the relative year then resolves against it). Several years that are the years of the facts inside one
named report ("2025年政府工作报告说2024年…") are not a comparison: a year followed by 政府工作报告/报告 names the
report, the others are left to retrieval.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from reportqa.index.errors import UnknownDocumentError, UsageError
from reportqa.index.records import DocFilter, Document
from reportqa.index.storage.store import LoadedIndex
from reportqa.index.text.indicators import builtin
from reportqa.index.text.periods import Period, preferred_report_year
from reportqa.index.text.places import county_mentions, outside_mentions, place_mentions
from reportqa.index.text.regions import (
    NATION,
    Region,
    RegionMention,
    city_from_name,
    english_city_mentions,
    group_mentions,
    region_by_name,
    region_mentions,
)
from reportqa.index.text.years import YearMention, year_mentions

# "2025年政府工作报告", "2025 government work report": the year names the report, not a fact's year
_REPORT_AFTER = re.compile(r"\s*年?\s*(?:的)?\s*(?:国务院|全国|中央)?\s*(?:政府工作)?报告|\s*(?:'s)?\s*(?:national\s+)?"
                           r"(?:government\s+)?(?:work\s+)?report\b", re.I)  # fmt: skip
_REVIEW_BEFORE = re.compile(r"\byears?\s+(?:before|leading up to|up to|prior to)\s+(?:the\s+)?$", re.I)
"""The years before a year ("the five years before 2013"): the review that year's report gives, so the year names it."""
_JOINED = re.compile(r"\s*年?\s*(?:与|和|及|、|同|跟|,|，|and|&|vs\.?|versus)\s*", re.I)
# "深圳市2026年": a city named right before a year or a report (cities are not tabled in regions.py)
_CITY_BEFORE_YEAR = re.compile(r"([\u4e00-\u9fff]{2,3}市)(?=\s*(?:\d{4}|[〇一二三四五六七八九]{4})\s*年|政府|人民政府|"
                               r"的?(?:今年|去年|明年|地区生产总值|GDP|经济增长|城镇新增就业))")  # fmt: skip

_HYPHENS = "-‐‑–—"
_WEAK_NATIONAL = frozenset({"全国", "national", "nationwide", "中央政府"})
_YEAR_BEFORE = re.compile(r"(?:\d{4}|[〇一二三四五六七八九]{4})\s*年?\s*(?:的|in)?\s*$", re.I)
_REPORT_NEXT = re.compile(r"\s*(?:的)?\s*(?:\d{4}|[〇一二三四五六七八九]{4}|(?:政府工作)?报告|政府|"
                          r"(?:government\s+)?work\s+report)", re.I)  # fmt: skip

MAX_LISTED = 8
"""At most this many regions are listed in a "the library holds …" message."""


@dataclass(frozen=True)
class Filters:
    """Explicit filters given with a question (CLI ``--doc/--region/--year``, the ``/ask`` API fields).
    Each is repeatable; several regions or years make a comparison, like a question naming them."""

    documents: tuple[str, ...] = ()
    """Document display names (or a unique suffix of one, e.g. ``beijing-2026.txt``)."""
    regions: tuple[str, ...] = ()
    """Region names in any form (``西藏自治区``, ``西藏``, ``Tibet``, ``national``)."""
    years: tuple[int, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.documents or self.regions or self.years)


@dataclass(frozen=True)
class Target:
    """One report (or set of reports) a question names."""

    label: str
    """``北京市 2026``, ``全国 2024``, ``西藏自治区``, ``2025`` or a document name."""
    region: Region | None
    year: int | None
    """The named year (for a review-year match, the report's year is one later)."""
    documents: DocFilter
    """Ids of the documents that may answer; empty when the library holds none (see ``message``)."""
    message: str | None = None
    """Why ``documents`` is empty: what the library holds instead."""
    nearest: DocFilter | None = None
    """When ``documents`` is empty: where the nearest (low-confidence) passages are taken from — the named
    region's other reports, or None for the whole library."""


@dataclass(frozen=True)
class Scope:
    """What :func:`scope_named` found."""

    targets: tuple[Target, ...] = ()
    """Named reports in the question's order; empty when the question names no region or year."""
    regions: tuple[Region, ...] = field(default=())
    years: tuple[int, ...] = ()

    @property
    def comparison(self) -> bool:
        return len(self.targets) > 1

    @property
    def documents(self) -> DocFilter | None:
        """The filter of a single-report question (None: no constraint)."""
        if len(self.targets) != 1:
            return None
        return self.targets[0].documents

    @property
    def message(self) -> str | None:
        """For a single named report the library lacks: the abstention message."""
        if len(self.targets) == 1 and not self.targets[0].documents:
            return self.targets[0].message
        return None


# ---------------------------------------------------------------------------------------------- documents


def library_documents(index: LoadedIndex) -> tuple[Document, ...]:
    """The documents of ``index`` (the store's document table). The one place qa reads them from."""
    return tuple(index.documents)


def region_matches(doc: Document, region: Region) -> bool:
    """Whether ``doc`` is a report of ``region`` (any national report for the nation)."""
    if region.level == NATION.level:
        return doc.level == NATION.level or doc.region == NATION.name
    return bool(doc.region) and (doc.region == region.name or doc.region_short == region.short)


def _holds(docs: Sequence[Document]) -> str:
    """``it holds 2025, 2026`` / ``it holds reports of 北京市, 上海市, … (33 regions)``."""
    regions = list(dict.fromkeys(d.region or d.name for d in docs))
    shown = "、".join(regions[:MAX_LISTED]) + (f" … ({len(regions)} regions)" if len(regions) > MAX_LISTED else "")
    return f"it holds reports of {shown}" if shown else "it holds no reports"


def _years_of(docs: Sequence[Document], near: int | None = None) -> str:
    """``2025, 2026``; a long list is shortened to its span and the years nearest to ``near``."""
    ys = sorted({d.year for d in docs if d.year is not None})
    if not ys:
        return "no dated report"
    if len(ys) <= MAX_LISTED:
        return ", ".join(str(y) for y in ys)
    nearest = sorted(sorted(ys, key=lambda y: abs(y - near))[:2]) if near is not None else ys[-2:]
    return f"{len(ys)} years from {ys[0]} to {ys[-1]}, the nearest {', '.join(map(str, nearest))}"


def _target(
    docs: Sequence[Document], region: Region | None, year: int | None, latest: bool, report_named: bool,
    period: Period = "either", horizons: Sequence[int] = (),
) -> Target:  # fmt: skip
    label = " ".join(x for x in ((region.name if region else ""), (str(year) if year else "")) if x)
    pool = [d for d in docs if region is None or region_matches(d, region)]
    if region is not None and not pool:
        return Target(label, region, year, frozenset(), f"no report of {region.name} in this index; {_holds(docs)}")
    if year is None:
        if latest and pool:
            top = max((d.year for d in pool if d.year is not None), default=None)
            pool = [d for d in pool if d.year == top] if top is not None else pool
        return Target(label, region, year, frozenset(d.id for d in pool))
    exact = [d for d in pool if d.year == year]
    if not report_named and period == "actual":
        # a year's result is stated in the next year's review: prefer that report when the library holds it
        reviewing = [d for d in pool if d.year == preferred_report_year(period, year)]
        exact = reviewing or exact
    if not exact and not report_named:
        exact = [d for d in pool if d.year == year + 1]  # the next year's report reviews the named year
    if not exact and not report_named and year in horizons:
        # a horizon later than every report (到2030年, by 2030): the latest report that can set targets for it
        held = [d.year for d in pool if d.year is not None]
        before = [y for y in held if year - HORIZON_REACH <= y < year]
        if before and max(held) < year:
            exact = [d for d in pool if d.year == max(before)]
    if exact:
        return Target(label, region, year, frozenset(d.id for d in exact))
    where = f" of {region.name}" if region else ""
    nearest = frozenset(d.id for d in pool) if region is not None else None
    return Target(label, region, year, frozenset(), f"no {year} report{where} in this index; it holds "
                  f"{_years_of(pool, year)}", nearest)  # fmt: skip


def _document_targets(docs: Sequence[Document], names: Sequence[str]) -> list[Target]:
    out = []
    for name in names:
        found = [d for d in docs if d.name == name or d.name.endswith("/" + name) or d.path == name]
        if not found:
            raise UnknownDocumentError(
                f"no document {name!r} in this index; `reportqa status` lists the documents it holds"
            )
        out.append(Target(found[0].name, None, found[0].year, frozenset(d.id for d in found)))
    return out


def filter_regions(names: Sequence[str], places: Sequence[Region] = ()) -> list[Region]:
    """The regions of explicit ``--region`` filters (``places``: the library's own places below the province,
    :func:`~reportqa.index.text.places.library_places`); raises :class:`UsageError` for a name it does not know."""
    out = []
    for n in names:
        held = [p for p in places if n.strip() in (p.name, p.short) or n.strip().lower() in
                (e.lower() for e in p.english)]  # fmt: skip
        r = held[0] if held else region_by_name(n)
        if r is None:
            raise UsageError(f"unknown region {n!r}; give a province-level name (西藏, 西藏自治区, Tibet) or 全国")
        out.append(r)
    return out


# ---------------------------------------------------------------------------------------------- questions


SUBJECT_REGIONS = frozenset(["香港特别行政区", "澳门特别行政区"])
"""Regions the national reports speak of (香港回归, 澳门回归) and no report of the library is by: named beside
another report the question names, they are its subject, not a report asked for."""


def _other_report_named(question: str, m: RegionMention) -> bool:
    """The question names a report by its year ("1995年政府工作报告", "the 1997 report") that ``m`` does not
    stand right before (香港2025年政府工作报告 is Hong Kong's)."""
    explicit, named, _ = _explicit_years(question)
    return any(n and not (m.end <= y.start and not question[m.end : y.start].strip(" 的'’s"))
               for y, n in zip(explicit, named, strict=True))  # fmt: skip


def _names_a_report(question: str, m: RegionMention, mentions: Sequence[RegionMention]) -> bool:
    """Whether a region mention names the government whose report is asked about. Not: a hyphenated compound
    of two regions (Sichuan-Tibet Railway), or a word that only *means* national (全国, national, nationwide,
    中央政府: 全国民族团结进步示范市, national park) unless it stands next to a year or a report
    (2025年全国…, 全国2024年…, national government work report)."""
    for o in mentions:
        joined_after = o.start == m.end + 1 and question[m.end] in _HYPHENS
        joined_before = o.end == m.start - 1 and question[o.end] in _HYPHENS
        if joined_after or joined_before:
            return False
    if m.region.name in SUBJECT_REGIONS and _other_report_named(question, m):
        return False
    if m.region.level != NATION.level or m.text.lower() not in _WEAK_NATIONAL:
        return True
    return bool(_YEAR_BEFORE.search(question[max(0, m.start - 6) : m.start]) or _REPORT_NEXT.match(question, m.end))


_CITY_REPORT_NEXT = re.compile(
    r"\s*(?:['’]s)?\s*(?:(?:\d{4}|[〇一二三四五六七八九]{4})(?![\d])|(?:city\s+|municipal\s+|people's\s+)*"
    r"(?:government|report|work\s+report))", re.I)  # fmt: skip
_CITY_YEAR_BEFORE = re.compile(r"(?:\d{4}|[〇一二三四五六七八九]{4})\s*(?:年\s*)?$")


def _city_names_report(question: str, m: RegionMention) -> bool:
    """An English or pinyin city named with a year names the city's own report when the year or a report stands
    right by it (Shenzhen's 2026 target, Chengdu 2026, the Shenzhen government) or the question asks one of the
    vocabulary's indicators, a government's own figures (Shenzhen's GDP growth target for 2026); not when a place
    or project of the city is asked about (Lhasa's north and south mountains in 2023): that is a subject of its
    province's report, which the search reaches."""
    if _CITY_REPORT_NEXT.match(question, m.end) or _CITY_YEAR_BEFORE.search(question[: m.start].rstrip()):
        return True
    return bool(builtin().find(question))


def named_regions(question: str, places: Sequence[Region] = ()) -> list[Region]:
    """Regions the question names, in order, plus a ``<名>市`` city named before a year (深圳市2026年) and the
    members of a group of regions (长三角, 京津冀: :data:`~reportqa.index.text.regions.REGION_GROUPS`).

    ``places``: the library's places below the province (:func:`~reportqa.index.text.places.library_places`),
    named in Chinese, pinyin or English; a county-level name the library lacks, named as a report's government
    ("墨竹工卡县2024年", "Motuo County's 2026 target"), is a region too (its scope then says what the library
    holds)."""
    held = place_mentions(question, places)
    mentions = [m for m in region_mentions(question) if not any(h.start < m.end and m.start < h.end for h in held)]
    found: list[tuple[int, Region]] = [(m.start, m.region) for m in mentions if _names_a_report(question, m, mentions)]
    found += [(m.start, m.region) for m in held]
    groups = group_mentions(question)
    found += [(m.start, m.region) for m in groups]
    taken = [(m.start, m.end) for m in (*mentions, *groups, *held)]
    has_year = bool(named_years(question)[0])
    outside = outside_mentions(question)
    for m in (*county_mentions(question), *outside):
        english_county = m.text[:1].isascii() and m not in outside
        if any(a < m.end and m.start < b for a, b in taken) or (english_county and not has_year):
            continue
        found.append((m.start, m.region))
        taken.append((m.start, m.end))
    # an English or pinyin city name, when the question also names a year (like 深圳市2026年: "Shenzhen's 2026
    # target"); without a year a city is a subject the province's report may discuss (Lhasa in Tibet's)
    cities = english_city_mentions(question) if has_year else []
    for m in cities:
        if not any(a < m.end and m.start < b for a, b in taken) and _city_names_report(question, m):
            found.append((m.start, m.region))
    for m in _CITY_BEFORE_YEAR.finditer(question):
        if any(a < m.end(1) and m.start(1) < b for a, b in taken):
            continue
        city = city_from_name(m.group(1))
        if city is not None:
            found.append((m.start(1), city))
    found.sort(key=lambda x: x[0])
    by_name: dict[str, Region] = {}
    for _, r in found:
        by_name.setdefault(r.name, r)
    return list(by_name.values())


_POSSESSIVE = re.compile(r"\s*['’]s\b")


def without_region_names(question: str, places: Sequence[Region] = ()) -> str:
    """``question`` with the region names it uses to name reports cut out ("北京市2026年地区生产总值…" →
    "2026年地区生产总值…", "What is Beijing's GDP target" → "What is GDP target"). Once retrieval is
    restricted to the named reports, the names only pull towards passages that repeat them."""
    mentions = region_mentions(question)
    spans = [(m.start, m.end) for m in mentions if _names_a_report(question, m, mentions)]
    spans += [(m.start, m.end) for m in place_mentions(question, places)]
    out, pos = [], 0
    for a, b in sorted(spans):
        if a < pos:
            continue
        out.append(question[pos:a])
        tail = _POSSESSIVE.match(question, b)
        pos = tail.end() if tail else b
    out.append(question[pos:])
    text = re.sub(r"\s{2,}", " ", "".join(out)).strip()
    return text or question


_BASELINE_BEFORE = re.compile(
    r"(?:(?:compared (?:with|to)|than|relative to|versus|vs\.?)\s+(?:in\s+)?(?:the (?:year )?)?"
    r"|(?:比|(?<!比)较)\s*)$",
    re.I,
)
"""Words right before a year that make it the baseline of a comparison (compared with 1982, 比2020年)."""


def _explicit_years(question: str) -> tuple[list[YearMention], list[bool], bool]:
    """(the explicit year mentions in order, whether each names a report, relative words used): a year names a
    report when 报告 / "report" follows it, or when it is joined to one that does ("2019年与2021年政府工作报告")."""
    mentions = year_mentions(question, report_year=0)
    explicit = [m for m in mentions if not m.relative]
    # a baseline year ("compared with 1982", "比2020年") names neither a report nor the asked fact, when another does
    kept = [m for m in explicit if not _BASELINE_BEFORE.search(question[: m.start])]
    explicit = kept or explicit
    named = [bool(_REPORT_AFTER.match(question, m.end) or _REVIEW_BEFORE.search(question[: m.start]))
             for m in explicit]  # fmt: skip
    for i in range(len(explicit) - 2, -1, -1):
        if not named[i] and named[i + 1] and _JOINED.fullmatch(question[explicit[i].end : explicit[i + 1].start]):
            named[i] = True
    return explicit, named, any(m.relative for m in mentions)


def fact_year(question: str) -> int | None:
    """The first explicit year that names no report, when another one does ("cut in 2016, according to the 2017
    report" → 2016; "2017年报告说2016年…" → 2016): the year the asked figure is about; None otherwise."""
    explicit, named, _ = _explicit_years(question)
    report_years = {m.year for m, n in zip(explicit, named, strict=True) if n}
    if not report_years:
        return None
    return next((m.year for m, n in zip(explicit, named, strict=True) if not n and m.year not in report_years), None)


_HORIZON_BEFORE = re.compile(r"(?:到|至|\bby|\bthrough|\buntil|\btill)\s*(?:the\s+end\s+of\s+|the\s+year\s+)?$", re.I)
_HORIZON_AFTER = re.compile(r"\s*年?(?:前|以前|底前|末前)")


def horizon_years(question: str) -> tuple[int, ...]:
    """Explicit years the question names as a horizon a plan sets targets for (到2030年, 2035年前, "by 2030"): a
    report of an earlier year states them, so the library need not hold a report of that year."""
    explicit, _, _ = _explicit_years(question)
    return tuple(dict.fromkeys(m.year for m in explicit if _HORIZON_BEFORE.search(question[: m.start])
                               or _HORIZON_AFTER.match(question, m.end)))  # fmt: skip


HORIZON_REACH = 15
"""How many years ahead a report's plan may reach (a five-year plan, the 2035 long-range goals of a 2021 report)."""


def named_years(question: str) -> tuple[list[int], bool, bool]:
    """(explicit years in order without repeats, whether one of them names the report, relative words used)."""
    explicit, named, relative = _explicit_years(question)
    report_years = [m.year for m, n in zip(explicit, named, strict=True) if n]
    if report_years:
        return list(dict.fromkeys(report_years)), True, relative
    return list(dict.fromkeys(m.year for m in explicit)), False, relative


def scope_named(
    documents: Sequence[Document], regions: Sequence[Region], years: Sequence[int], report_named: bool,
    relative: bool, filters: Filters | None = None, period: Period = "either", places: Sequence[Region] = (),
    horizons: Sequence[int] = (),
) -> Scope:  # fmt: skip
    """The reports the already-read ``regions`` and ``years`` name, resolved against ``documents``.

    ``filters`` win over what the question names: ``documents`` (one target each), ``regions`` (resolved with
    :func:`filter_regions`) and ``years`` (they name reports). ``period``: what the question asks for (a
    result about a year is looked for in the next year's report first). ``horizons``: years named as a plan's
    horizon (:func:`horizon_years`), answered by the latest earlier report when the library holds none of that year.

    Raises :class:`UsageError` for a filter that matches nothing the user could mean (an unknown region
    name, a document the index does not hold)."""
    f = filters or Filters()
    docs = list(documents)
    if f.documents:
        return Scope(tuple(_document_targets(docs, f.documents)))
    regions = filter_regions(f.regions, places) if f.regions else list(regions)
    years = list(years)
    if f.years:
        years, report_named, relative = list(dict.fromkeys(f.years)), True, False
    if not regions and not years:
        return Scope()
    latest = relative  # 今年/去年 with no explicit year: the region's latest report, against which they resolve
    pairs: list[tuple[Region | None, int | None]]
    if len(regions) > 1 and len(years) > 1:
        pairs = [(r, y) for r in regions for y in years]
    elif len(years) > 1:
        pairs = [(regions[0] if regions else None, y) for y in years]
    else:
        pairs = [(r, years[0] if years else None) for r in (regions or [None])]
    targets = [_target(docs, r, y, latest and y is None and r is not None, report_named, period, horizons)
               for r, y in pairs]  # fmt: skip
    return Scope(tuple(targets), tuple(regions), tuple(years))


__all__ = [
    "Filters",
    "Scope",
    "Target",
    "filter_regions",
    "horizon_years",
    "library_documents",
    "named_regions",
    "named_years",
    "region_matches",
    "scope_named",
    "without_region_names",
]  # fmt: skip
