"""Attainment (issue 25.1): the verdict rules on constructed figures, the rows on real national reports
(fake embedder), the question reading, the chat's HTML, and ``targets --attainment`` through the entry point."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from reportqa.index.pipeline.build import build_index
from reportqa.index.records import Citation, Figure
from reportqa.index.storage import store
from reportqa.qa.attainment import (
    ABOUT_TOLERANCE_PP,
    ABOUT_TOLERANCE_REL,
    attainment_rows,
    judge,
    missing_summary,
)
from reportqa.qa.engine import Engine
from reportqa.qa.query import understand
from reportqa.qa.records import MissingCell
from reportqa.ui.render_attainment import CSV_COLUMNS, render_attainment_answer

from .conftest import ROOT, SEED, FakeEmbedder, run_cli

NATIONAL = ROOT / "tests" / "data" / "corpus" / "national"
XIZANG = ROOT / "tests" / "data" / "corpus" / "provincial-2026" / "xizang-2026.txt"
YEARS = (2021, 2022, 2023)


def fig(value: str, low: float | None, high: float | None = None, modifier: str = "exact", unit: str = "%",
        indicator: str = "gdp_growth", kind: str = "target", year: int = 2024, report: int | None = None,
        paragraph: int = 1) -> Figure:  # fmt: skip
    report_year = report if report is not None else (year if kind == "target" else year + 1)
    return Figure(
        indicator=indicator, kind=kind, year=year, value=value, low=low, high=low if high is None else high,
        unit=unit, modifier=modifier, quote=value, citation=Citation(f"r{report_year}.txt", "s", paragraph, (1, 1),
        region="全国", year=report_year),
    )  # fmt: skip


def actual(value: float, unit: str = "%", indicator: str = "gdp_growth", modifier: str = "exact") -> Figure:
    return fig(f"{value:g}{unit}", value, unit=unit, indicator=indicator, kind="actual", modifier=modifier)


# ---------------------------------------------------------------------------------------------- the rules


@pytest.mark.parametrize(("result", "verdict"), [(5.9, "missed"), (6.0, "met"), (8.1, "met")])
def test_a_floor_is_met_at_or_above_it(result: float, verdict: str) -> None:
    j = judge(fig("6%以上", 6.0, modifier="at_least"), actual(result))
    assert (j.verdict, j.rule) == (verdict, "floor")
    assert j.gap == pytest.approx(result - 6.0)


@pytest.mark.parametrize(("result", "verdict"), [(2.9, "met"), (3.0, "met"), (3.1, "missed")])
def test_a_ceiling_is_met_at_or_below_it_whatever_the_indicator(result: float, verdict: str) -> None:
    for ind in ("cpi", "gdp_growth"):  # 以内 is a ceiling even on a better-higher indicator
        j = judge(fig("3%以内", 3.0, modifier="at_most", indicator=ind), actual(result, indicator=ind))
        assert (j.verdict, j.rule) == (verdict, "ceiling")


def test_about_has_a_stated_tolerance_on_the_side_the_indicator_is_judged() -> None:
    tol = ABOUT_TOLERANCE_PP
    gdp = fig("7%左右", 7.0, modifier="about")
    assert judge(gdp, actual(7.0 - tol)).verdict == "met"
    assert judge(gdp, actual(round(7.0 - tol - 0.1, 1))).verdict == "missed"
    assert judge(gdp, actual(12.0)).verdict == "met"  # above a growth target is met
    assert judge(gdp, actual(6.9)).gap == pytest.approx(-0.1)
    cpi = fig("3%左右", 3.0, modifier="about", indicator="cpi")  # CPI is a ceiling
    assert judge(cpi, actual(3.0 + tol, indicator="cpi")).verdict == "met"
    assert judge(cpi, actual(3.0 + tol + 0.1, indicator="cpi")).verdict == "missed"
    assert judge(cpi, actual(-0.7, indicator="cpi")).verdict == "met"
    assert judge(cpi, actual(3.3, indicator="cpi")).rule == "about-ceiling"
    jobs = fig("1200万人左右", 1200.0, modifier="about", unit="万人", indicator="urban_new_jobs")
    edge = 1200.0 * (1 - ABOUT_TOLERANCE_REL)
    assert judge(jobs, actual(edge, unit="万人", indicator="urban_new_jobs")).verdict == "met"
    assert judge(jobs, actual(edge - 1, unit="万人", indicator="urban_new_jobs")).verdict == "missed"


def test_a_range_is_judged_at_its_lower_end_for_growth_and_its_upper_end_for_prices() -> None:
    growth = fig("6.5%—7%", 6.5, 7.0, modifier="range")
    assert judge(growth, actual(6.5)).verdict == "met"
    assert judge(growth, actual(6.4)).verdict == "missed"
    assert judge(growth, actual(7.5)).verdict == "met"
    assert judge(growth, actual(6.7)).rule == "range-floor"
    prices = fig("2%—3%", 2.0, 3.0, modifier="range", indicator="cpi")
    assert judge(prices, actual(3.0, indicator="cpi")).verdict == "met"
    assert judge(prices, actual(3.2, indicator="cpi")).verdict == "missed"


def test_a_stated_fall_with_yishang_is_a_ceiling_on_the_signed_value() -> None:
    energy = fig("下降3.1%以上", -3.1, modifier="at_least", indicator="energy_intensity")
    assert judge(energy, actual(-5.6, indicator="energy_intensity")).verdict == "met"
    assert judge(energy, actual(-1.2, indicator="energy_intensity")).verdict == "missed"
    about = fig("降低4%左右", -4.0, modifier="about", indicator="energy_intensity")
    assert judge(about, actual(-1.2, indicator="energy_intensity")).verdict == "missed"
    assert judge(about, actual(-3.6, indicator="energy_intensity")).verdict == "met"


def test_qualitative_targets_words_and_other_units_are_not_judged() -> None:
    qualitative = fig("与经济增长同步", None, modifier="qualitative", unit="")
    for target in (qualitative, fig("不设具体目标", None, modifier="unset")):
        j = judge(target, actual(5.0))
        assert j.verdict == "not_judged" and j.gap is None
    words = fig("保持较低水平", None, modifier="qualitative", unit="", kind="actual")
    assert judge(fig("3%左右", 3.0, modifier="about"), words).verdict == "not_judged"
    grain_t = fig("1.3万亿斤以上", 1.3, modifier="at_least", unit="万亿斤", indicator="grain_output")
    assert judge(grain_t, actual(65000, unit="万吨", indicator="grain_output")).verdict == "not_judged"
    # the same base unit at another magnitude is scaled to the target's
    j = judge(grain_t, actual(13700, unit="亿斤", indicator="grain_output"))
    assert j.verdict == "met" and j.gap == pytest.approx(0.07)


def test_a_result_in_words_is_judged_only_when_its_words_decide() -> None:
    def words(value: str, indicator: str = "gdp_growth") -> Figure:
        return fig(value, None, modifier="qualitative", unit="", kind="actual", indicator=indicator)

    # the report says the target was reached
    assert judge(fig("7％左右", 7.0, modifier="about"), words("达到预期目标")).verdict == "met"
    # a fall without a figure: below 0 — under a price ceiling met, against a growth floor missed
    assert judge(fig("3 ％以内", 3.0, modifier="at_most", indicator="cpi"), words("比上年下降", "cpi")).verdict == "met"
    trade = fig("6%左右", 6.0, modifier="about", indicator="foreign_trade_growth")
    assert judge(trade, words("出现下降", "foreign_trade_growth")).verdict == "missed"
    # …and not judged when a fall may or may not reach the target (energy intensity down 3% or more)
    fall = fig("下降3%以上", -3.0, modifier="at_least", indicator="energy_intensity")
    assert judge(fall, words("出现下降", "energy_intensity")).verdict == "not_judged"
    assert judge(fig("0.5%左右", 0.5, modifier="about"), words("出现下降")).verdict == "not_judged"


# ---------------------------------------------------------------------------------------------- rows


def test_rows_pair_the_target_of_report_y_with_the_result_of_report_y_plus_1() -> None:
    figures = [
        fig("5%左右", 5.0, modifier="about", year=2024, paragraph=3),
        fig("5.5%", 5.5, year=2024, report=2025, paragraph=2),  # a later report restating it loses
        fig("5%", 5.0, kind="actual", year=2024, report=2026, paragraph=1),  # a review two years on loses
        fig("4.8%", 4.8, kind="actual", year=2024, paragraph=9),
        fig("6%以上", 6.0, modifier="at_least", year=2023),  # no result: its report is missing
    ]
    table = attainment_rows(figures, ())
    [row] = table.rows
    assert (row.target.value, row.actual.value, row.verdict) == ("5%左右", "4.8%", "met")
    assert row.target.citation.year == 2024 and row.actual.citation.year == 2025
    [gap] = table.missing
    assert (gap.year, gap.kind) == (2023, "actual") and "no 2024 report of 全国" in gap.reason
    assert "2023 result is not known" in gap.reason


def test_missing_reports_are_grouped_in_the_questions_language() -> None:
    cells = [MissingCell("gdp_growth", r, 2025, "target", f"no 2025 report of {r} in this index, so …")
             for r in ("北京市", "天津市", "河北省", "山西省", "内蒙古自治区")]  # fmt: skip
    [en] = missing_summary(cells, latin=True)
    assert "5 regions" in en and "2025" in en and "targets are not known" in en
    [zh] = missing_summary(cells, latin=False)
    assert "5个地区" in zh and "2025年" in zh


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("西藏2024年GDP增长目标完成了吗？", "all"),
        ("各省2025年经济增长目标完成情况", "all"),
        ("2019年全国GDP增长目标实现了吗", "all"),
        ("Was China's 2022 GDP growth target met?", "all"),
        ("Did prices stay below the 2023 target?", "all"),
        ("Which provinces missed their 2025 GDP growth target?", "missed"),
        ("哪些省份没有完成2025年经济增长目标？", "missed"),
        ("2025年要实现的目标是什么？", None),
        ("2024年GDP增长目标是多少？", None),
        ("Which provinces target more than 5%?", None),
    ],
)
def test_the_query_says_whether_attainment_is_asked(question: str, asks: str | None) -> None:
    assert understand(question).attainment == asks


# ---------------------------------------------------------------------------------------------- real reports


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> tuple[Engine, Path]:
    docs = tmp_path_factory.mktemp("att-docs")
    for y in (*YEARS, YEARS[-1] + 1):
        shutil.copy(NATIONAL / f"national-{y}.txt", docs / f"national-{y}.txt")
    shutil.copy(XIZANG, docs / XIZANG.name)
    shutil.copy(SEED, docs / SEED.name)
    idx = tmp_path_factory.mktemp("att-index") / "index"
    fake = FakeEmbedder()
    build_index([docs], idx, embedder=fake)
    return Engine(store.load_index(idx), fake), idx


def _paragraph(engine: Engine, c: Citation) -> str:
    return next(p.text for p in engine.index.paragraphs if p.document == c.document and p.n == c.paragraph)


def test_national_rows_cite_both_halves_and_agree_with_the_rules(library: tuple[Engine, Path]) -> None:
    engine, _ = library
    rows = attainment_rows(engine.index.figures, engine.index.documents).rows
    assert {r.year for r in rows} == set(YEARS)
    assert {"met", "not_judged"} <= {r.verdict for r in rows}
    for r in rows:
        assert r.target.citation.year == r.year and r.actual.citation.year == r.year + 1
        assert r.target.quote in _paragraph(engine, r.target.citation)
        assert r.actual.quote in _paragraph(engine, r.actual.citation)
        assert (r.verdict, r.gap) == (judge(r.target, r.actual).verdict, judge(r.target, r.actual).gap)
        if r.target.modifier in ("qualitative", "unset"):
            assert r.verdict == "not_judged"


def test_ask_gives_the_rows_or_says_which_report_is_missing(library: tuple[Engine, Path]) -> None:
    engine, _ = library
    year = YEARS[1]
    a = engine.ask(f"{year}年全国经济增长目标完成了吗？")
    assert a.attainment is not None and a.attainment
    assert all(r.indicator == "gdp_growth" and r.year == year and r.region == "全国" for r in a.attainment)
    d = a.to_json()
    row = d["attainment"][0]
    assert set(row) >= {"region", "year", "indicator", "target", "actual", "verdict", "gap", "target_citation",
                        "actual_citation"}  # fmt: skip
    assert row["target"] == a.attainment[0].target.value and row["target_citation"]["year"] == year
    en = engine.ask(f"Was China's {year} GDP growth target met?")
    assert en.attainment is not None and [r.to_json() for r in en.attainment] == d["attainment"]
    # Tibet: the seed (2024) states the target, the library has no 2025 report: said, not judged
    tibet = engine.ask("西藏2024年GDP增长目标完成了吗？")
    assert tibet.attainment == ()
    [gap] = tibet.attainment_missing
    assert (gap.region, gap.year, gap.kind) == ("西藏自治区", 2024, "actual")
    assert "no 2025 report of 西藏自治区" in gap.reason
    html = render_attainment_answer(tibet)
    assert "2025" in html and "西藏自治区" in html
    # a question that does not ask about attainment has no attainment key
    assert "attainment" not in engine.ask(f"{year}年国内生产总值增长目标是多少？").to_json()


def test_chat_html_has_a_row_per_pair_with_both_citations_and_a_chart(library: tuple[Engine, Path]) -> None:
    engine, _ = library
    a = engine.ask("近年全国主要预期目标完成情况如何？")
    assert a.attainment
    html = render_attainment_answer(a)
    assert html.count('class="rq-attrow') == len(a.attainment)
    assert html.count("rq-cell-cite") == 2 * len(a.attainment)
    assert "<svg" in html and html.count("rq-att-actual") >= 1


# ---------------------------------------------------------------------------------------------- CLI


def test_cli_targets_attainment_json_csv_and_table(library: tuple[Engine, Path]) -> None:
    engine, idx = library
    proc = run_cli("targets", "--attainment", "--json", "--index-dir", str(idx))
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    expected = attainment_rows(engine.index.figures, engine.index.documents).rows
    assert [r["indicator"] for r in rows] == [r.indicator for r in expected] and rows
    assert all(r["verdict"] in ("met", "missed", "not_judged") for r in rows)
    assert all(r["actual_citation"]["year"] == r["year"] + 1 for r in rows)
    proc = run_cli("targets", "--attainment", "--csv", "--indicator", "gdp_growth", "--index-dir", str(idx))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("\ufeff")
    table = list(csv.DictReader(io.StringIO(proc.stdout.lstrip("\ufeff"))))
    assert tuple(table[0]) == CSV_COLUMNS
    assert {r["indicator"] for r in table} == {"gdp_growth"} and len(table) == len(YEARS)
    proc = run_cli("targets", "--attainment", "--index-dir", str(idx))
    assert proc.returncode == 0 and "verdict" in proc.stdout.splitlines()[0]
    proc = run_cli("targets", "--attainment", "--kind", "target", "--index-dir", str(idx))
    assert proc.returncode == 2 and "--kind" in proc.stderr
