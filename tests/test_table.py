"""Table answers (qa/table.py) over constructed Figure records: which regions, years and kinds a question
asks for, the threshold rule, the order, one row per cell, and missing cells listed rather than invented."""

from __future__ import annotations

from reportqa.index.records import Citation, Document, Figure
from reportqa.index.text.regions import REGIONS
from reportqa.qa.query import understand
from reportqa.qa.table import figure_table, passes

PROVINCES = [r for r in REGIONS if r.level == "province" and r.short not in ("香港", "澳门")]


def doc(i: int, region: str, year: int) -> Document:
    return Document(
        id=i, name=f"{region}-{year}.txt", title=f"{year}年{region}政府工作报告", region=region,
        region_short=region[:2], level="national" if region == "全国" else "province", year=year, date=None,
        speaker=None, path="", sha256="", bytes=0, mtime_ns=0, encoding="utf-8", format="txt", paragraphs=50,
        chunks=1, first_chunk=i,
    )  # fmt: skip


def fig(
    d: Document, kind: str, year: int, value: str, low: float | None, high: float | None, modifier: str = "about",
    indicator: str = "gdp_growth", paragraph: int = 10,
) -> Figure:  # fmt: skip
    cite = Citation(d.name, "工作安排", paragraph, (paragraph, paragraph), d.region, d.year)
    return Figure(indicator, kind, year, value, low, high, "%" if low is not None else "", modifier,
                  f"增长{value}", cite, d.id)  # fmt: skip


def library() -> tuple[list[Document], list[Figure]]:
    """2026 reports of every province (targets 2026, results 2025), national 2023–2025, and a province with
    no GDP figure at all (the last one)."""
    docs = [doc(i, r.name, 2026) for i, r in enumerate(PROVINCES)]
    figures: list[Figure] = []
    for i, d in enumerate(docs[:-1]):
        t = 4.5 + (i % 4) * 0.5  # 4.5, 5, 5.5, 6, …
        figures.append(fig(d, "target", 2026, f"{t:g}%左右", t, t))
        figures.append(fig(d, "actual", 2025, f"{t + 0.2:g}%", t + 0.2, t + 0.2, "exact", paragraph=3))
        figures.append(fig(d, "target", 2026, "7.5%", 7.5, 7.5, "exact", indicator="cpi"))
    nat = [doc(100 + y, "全国", y) for y in (2023, 2024, 2025)]
    docs += nat
    for d in nat:
        assert d.year is not None
        figures.append(fig(d, "target", d.year, "5%左右", 5.0, 5.0))
        figures.append(fig(d, "actual", d.year - 1, "5.2%", 5.2, 5.2, "exact", paragraph=2))
    return docs, figures


def test_every_province_one_year_in_province_order_with_the_missing_one_listed() -> None:
    docs, figures = library()
    for question in (
        "2026年各省地区生产总值增长目标分别是多少？", "What GDP growth targets did the provinces set for 2026?"
    ):
        t = figure_table(understand(question), figures, docs)
        assert [f.region for f in t.rows] == [r.name for r in PROVINCES[:-1]], question
        assert {(f.kind, f.year, f.indicator) for f in t.rows} == {("target", 2026, "gdp_growth")}
        assert [(c.region, c.year, c.kind) for c in t.missing] == [(PROVINCES[-1].name, 2026, "target")]
        assert not t.by_year


def test_threshold_keeps_values_whose_whole_interval_passes() -> None:
    docs, figures = library()
    t = figure_table(understand("哪些省份2026年GDP增长目标高于5%？"), figures, docs)
    assert t.rows and all(f.low is not None and f.low > 5 for f in t.rows)
    assert len(t.rows) == sum(1 for f in figures if f.indicator == "gdp_growth" and f.kind == "target"
                              and f.year == 2026 and f.region != "全国" and (f.low or 0) > 5)  # fmt: skip
    d = docs[0]
    rng = fig(d, "target", 2026, "4.5%—5%", 4.5, 5.0, "range")
    q = understand("哪些省份2026年GDP增长目标高于4%？").threshold
    assert passes(rng, q) and not passes(rng, understand("哪些省份2026年GDP增长目标高于4.8%？").threshold)
    assert passes(rng, understand("哪些省份2026年GDP增长目标低于5.5%？").threshold)
    at_most = fig(d, "target", 2026, "5.5%以内", 5.5, 5.5, "at_most", "unemployment_rate")
    assert not passes(at_most, q)  # an upper bound says nothing about "above"
    at_least = fig(d, "target", 2026, "7%以上", 7.0, 7.0, "at_least")
    assert passes(at_least, q) and not passes(at_least, understand("哪些省份2026年GDP增长目标低于8%？").threshold)
    qual = fig(d, "target", 2026, "与经济增长同步", None, None, "qualitative")
    assert not passes(qual, q) and passes(qual, None)


def test_across_years_national_by_year_with_both_kinds() -> None:
    docs, figures = library()
    t = figure_table(understand("历年政府工作报告提出的国内生产总值增长目标是多少？"), figures, docs)
    assert [(f.region, f.year, f.kind) for f in t.rows] == [("全国", y, "target") for y in (2023, 2024, 2025)]
    assert t.by_year and not t.missing
    t = figure_table(understand("全国近年GDP增长目标和实际增长"), figures, docs)
    assert [(f.year, f.kind) for f in t.rows] == [
        (2022, "actual"), (2023, "target"), (2023, "actual"), (2024, "target"), (2024, "actual"), (2025, "target")
    ]
    # a target of 2022 would be in a 2022 report the library lacks, a 2025 result in a 2026 one: not expected
    assert not t.missing


def test_one_row_per_cell_prefers_the_report_of_its_own_year() -> None:
    docs, figures = library()
    nat25 = next(d for d in docs if d.region == "全国" and d.year == 2025)
    # the 2025 report also quotes the 2024 target in its review: the 2024 report's own statement wins
    figures = [fig(nat25, "target", 2024, "5%", 5.0, 5.0, "exact", paragraph=1), *figures]
    t = figure_table(understand("全国历年GDP增长目标"), figures, docs)
    row_2024 = [f for f in t.rows if f.year == 2024]
    assert len(row_2024) == 1 and row_2024[0].citation.year == 2024


def test_named_regions_and_a_year_the_library_lacks() -> None:
    docs, figures = library()
    q = understand("北京和上海2026年与2015年的GDP增长目标分别是多少？")
    assert q.shape == "comparison"
    t = figure_table(q, figures, docs)
    assert [f.region for f in t.rows] == ["北京市", "上海市"]
    assert [(c.region, c.year, c.kind) for c in t.missing] == [("北京市", 2015, None), ("上海市", 2015, None)]
    assert "no report" in t.missing[0].reason


def test_no_indicator_no_table() -> None:
    docs, figures = library()
    t = figure_table(understand("2026年各省政府工作报告讲了什么？"), figures, docs)
    assert t.rows == () and t.missing == ()


def test_reading_table_questions() -> None:
    """The words that make a table: every province, across years, recent years, groups of regions, both periods."""
    q = understand("How fast did each province's GDP actually grow in 2025?")
    assert q.shape == "table" and q.all_regions and q.period == "actual" and q.years == (2025,)
    q = understand("National CPI targets by year in the government work reports")
    assert q.shape == "table" and q.across_years and not q.recent and q.period == "target"
    q = understand("近几年全国GDP增长目标和实际增长对比")
    assert q.shape == "table" and q.recent and q.across_years and q.period == "either"
    assert understand("China's GDP growth targets versus actual growth in recent years").period == "either"
    q = understand("长三角三省一市2026年GDP增长目标和2025年实际增长")
    assert [r.short for r in q.regions] == ["上海", "江苏", "浙江", "安徽"] and q.period == "either"
    assert [r.short for r in understand("京津冀2026年地区生产总值增长目标").regions] == ["北京", "天津", "河北"]
    assert understand("2026年北京市地区生产总值预期增长多少？").shape == "single"


def test_recent_years_are_the_last_few_with_figures() -> None:
    docs, figures = library()
    nat = next(d for d in docs if d.region == "全国" and d.year == 2023)
    old = [fig(nat, "target", y, "8%左右", 8.0, 8.0) for y in range(2005, 2012)]  # stated long ago
    t = figure_table(understand("全国近年GDP增长目标"), [*old, *figures], docs)
    assert [f.year for f in t.rows] == [2023, 2024, 2025]
    t = figure_table(understand("全国历年GDP增长目标"), [*old, *figures], docs)
    assert [f.year for f in t.rows][:2] == [2005, 2006]
