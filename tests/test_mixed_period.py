"""One question, two periods (issue 23 item 4): "2025年增长了多少、2026年目标是多少" → 2025's result from the 2026
report and 2026's target, labelled, in the single answer and the table (fake embedder over real reports of
tests/data/corpus)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from reportqa.index.pipeline.build import build_index
from reportqa.index.storage import store
from reportqa.index.text.periods import year_periods
from reportqa.qa.engine import Engine
from reportqa.qa.query import understand
from reportqa.ui.render import period_summary

from .conftest import ROOT, FakeEmbedder

CORPUS = ROOT / "tests" / "data" / "corpus"
REPORTS = ("national/national-2024.txt", "national/national-2025.txt", "provincial-2026/beijing-2026.txt",
           "provincial-2026/xizang-2026.txt")  # fmt: skip


@pytest.mark.parametrize(
    ("question", "want"),
    [
        ("西藏2025年地区生产总值增长了多少、2026年目标是多少", ((2025, "actual"), (2026, "target"))),
        ("北京2025年GDP增长多少，2026年目标多少", ((2025, "actual"), (2026, "target"))),
        ("2026年的目标是多少，2025年实际完成了多少", ((2026, "target"), (2025, "actual"))),
        ("What was Beijing's GDP growth in 2025 and what is the 2026 target?", ((2025, "actual"), (2026, "target"))),
        ("How much did Shanghai's GDP grow in 2025, and what does it aim for in 2026?",
         ((2025, "actual"), (2026, "target"))),
        ("2025年和2026年的GDP目标", ()),
        ("2024年与2025年GDP增长目标和实际增长", ()),
        ("2024年目标是多少，2024年实际完成多少", ()),
        ("Compare the 2024 and 2025 GDP targets", ()),
        ("2025年GDP增长多少", ()),
    ],
)  # fmt: skip
def test_each_named_year_gets_its_own_period(question: str, want: tuple[tuple[int, str], ...]) -> None:
    assert year_periods(question) == want


def test_the_query_carries_them_and_asks_either_period_overall() -> None:
    q = understand("What was Beijing's GDP growth in 2025 and what is the 2026 target?")
    assert q.year_periods == ((2025, "actual"), (2026, "target"))
    assert q.period == "either" and q.indicators == ("gdp_growth",)
    assert understand("2025年和2026年的GDP目标").year_periods == ()


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    docs = tmp_path_factory.mktemp("mixed-docs")
    for rel in REPORTS:
        shutil.copy(CORPUS / rel, docs / Path(rel).name)
    idx = tmp_path_factory.mktemp("mixed-index") / "index"
    fake = FakeEmbedder()
    build_index([docs], idx, embedder=fake)
    return Engine(store.load_index(idx), fake)


@pytest.mark.parametrize(
    ("question", "region_file", "actual_year", "target_year"),
    [
        ("北京2025年地区生产总值增长了多少、2026年目标是多少？", "beijing-2026.txt", 2025, 2026),
        ("What was Beijing's GDP growth in 2025 and what is the 2026 target?", "beijing-2026.txt", 2025, 2026),
        ("全国2024年国内生产总值增长了多少？2025年的预期目标呢？", "national-2025.txt", 2024, 2025),
        ("西藏2025年城镇新增就业多少，2026年目标是多少", "xizang-2026.txt", 2025, 2026),
    ],
)  # fmt: skip
def test_both_sides_answered_from_the_report_stating_each(
    library: Engine, question: str, region_file: str, actual_year: int, target_year: int
) -> None:
    a = library.ask(question)
    assert not a.abstained
    sides = {p.period: p for p in a.by_period}
    assert set(sides) == {"target", "actual"}
    actual, target = sides["actual"], sides["target"]
    assert (actual.fact_year, target.fact_year) == (actual_year, target_year)
    # a year's result is in the next year's review, a year's target in that year's plan: both in one report here
    assert actual.year == actual_year + 1 and target.year == target_year
    for side in (actual, target):
        assert side.hit.citation.document == region_file
        assert side.highlight is not None and side.highlight in side.sentence
    assert actual.sentence != target.sentence
    summary = period_summary(a.by_period, question.isascii())
    assert str(actual_year) in summary and str(target_year) in summary
    assert a.to_json()["answers_by_period"]["actual"]["fact_year"] == actual_year


def test_last_years_result_and_this_years_target(library: Engine) -> None:
    """去年/今年 ("last year", "this year") resolve against the region's latest report (2026 here)."""
    for question in ("北京去年地区生产总值增长了多少，今年目标是多少？",
                     "What was Beijing's GDP growth last year and what is this year's target?"):  # fmt: skip
        assert understand(question).year_periods == ((-1, "actual"), (0, "target"))
        a = library.ask(question)
        assert [(p.fact_year, p.period) for p in a.by_period] == [(2025, "actual"), (2026, "target")], question
        assert all(p.hit.citation.document == "beijing-2026.txt" for p in a.by_period)


def test_the_table_keeps_each_years_own_period(library: Engine) -> None:
    a = library.ask("北京2025年地区生产总值增长了多少、2026年目标是多少？")
    assert a.table is not None
    assert {(f.year, f.kind) for f in a.table} == {(2025, "actual"), (2026, "target")}
    assert all(f.region == "北京市" for f in a.table)


def test_a_side_whose_report_the_library_lacks_is_said(library: Engine) -> None:
    # 2024's result would be in Tibet's 2025 report, which this library lacks; 2026's target is in its 2026 one
    a = library.ask("西藏2024年地区生产总值增长了多少、2026年目标是多少？")
    assert [(p.fact_year, p.period) for p in a.by_period] == [(2026, "target")]
    assert a.notice is not None and "2024" in a.notice


PLAN_2025 = """河南省2025年政府工作报告

各位代表：

今年，我们将稳定粮食播种面积，推进高标准农田建设，提高粮食综合生产能力，确保粮食安全。

加快建设现代化产业体系，推动制造业高质量发展，培育壮大新兴产业。
"""
REVIEW_2026 = """河南省2026年政府工作报告

各位代表：

过去一年，我们在省委书记王明同志带领下坚持稳中求进。全年粮食产量达到1335亿斤，连续多年稳定在1300亿斤以上。

今年，我们将持续巩固粮食生产能力，推进乡村全面振兴。
"""


@pytest.fixture(scope="module")
def plan_and_review(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    docs = tmp_path_factory.mktemp("review-docs")
    (docs / "henan-2025.txt").write_text(PLAN_2025, encoding="utf-8")
    (docs / "henan-2026.txt").write_text(REVIEW_2026, encoding="utf-8")
    idx = tmp_path_factory.mktemp("review-index") / "index"
    fake = FakeEmbedder()
    build_index([docs], idx, embedder=fake)
    return Engine(store.load_index(idx), fake)


def test_a_year_whose_report_gives_no_figure_is_answered_from_the_next_years_review(
    plan_and_review: Engine,
) -> None:
    # no period cue: the 2025 report (its plan) is searched first; it has no output figure, the 2026 report's
    # review of 2025 has it — the right answer is given, not declined
    a = plan_and_review.ask("河南2025年粮食产量是多少？")
    assert not a.abstained and a.highlight == "1335亿斤"
    assert a.hits[0].citation.document.endswith("henan-2026.txt")
    assert a.notice == "2025年的报告没有给出这一数字；以下是2026年报告对2025年的回顾。"
    # no region named, one report that year: its region's next report
    c = plan_and_review.ask("2025年粮食产量是多少？")
    assert not c.abstained and c.highlight == "1335亿斤"
    # a name is no figure: a who question the year's report cannot answer is not handed to the next report
    d = plan_and_review.ask("河南2025年谁主持了粮食工作会议？")
    assert d.abstained and d.reason == "no_figure"
    # a year the library has no next report for is still declined, with the reason
    b = plan_and_review.ask("河南2026年棉花产量是多少？")
    assert b.abstained and b.reason == "no_figure"
