"""Target versus result: sentence periods, the asked period's report and sentence, both readings of an
either-period question, the asked indicator's figure and clause, and English indicator names reaching the
keyword search (fake embedder, synthetic reports)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from reportqa.index.pipeline.build import build_index
from reportqa.index.storage import store
from reportqa.index.text.indicators import builtin
from reportqa.index.text.periods import period_agrees, question_span, sentence_period
from reportqa.index.text.tokens import tokenize
from reportqa.qa.answer import locate
from reportqa.qa.engine import Engine
from reportqa.qa.glossary import chinese_keywords
from reportqa.qa.retrieval import glossary_tokens
from reportqa.ui.render import period_summary, render_answer

from .conftest import FakeEmbedder

# ---------------------------------------------------------------------------------------------- sentences

TARGETS = (
    "今年经济社会发展主要预期目标是：地区生产总值增长{v}左右",
    "力争规上工业增加值增长{v}以上",
    "{y}年城镇调查失业率控制在{v}左右",
)
RESULTS = (
    "去年全区地区生产总值增长{v}",
    "{p}年规上工业增加值比上年增长{v}",
    "过去一年，城镇新增就业达到{v}",
)


@pytest.mark.parametrize("template", TARGETS)
@pytest.mark.parametrize("year", [2019, 2025])
def test_target_sentences(template: str, year: int) -> None:
    s = sentence_period(template.format(v="5.5%", y=year, p=year - 1), year)
    assert s.period == "target" and s.year == year


@pytest.mark.parametrize("template", RESULTS)
@pytest.mark.parametrize("year", [2019, 2025])
def test_result_sentences(template: str, year: int) -> None:
    s = sentence_period(template.format(v="6.1%", y=year, p=year - 1), year)
    assert s.period == "actual" and s.year == year - 1


def test_section_decides_a_sentence_without_cues() -> None:
    plain = "地区生产总值增长5.1%"
    assert sentence_period(plain, 2026, "review").period == "actual"
    assert sentence_period(plain, 2026, "plan").period == "target"
    assert sentence_period(plain, 2026).period is None


def test_agreement_with_the_asked_period_and_year() -> None:
    target = sentence_period("今年主要预期目标是：地区生产总值增长5%左右", 2025)
    result = sentence_period("去年地区生产总值增长5.2%", 2025)
    assert period_agrees("target", None, target, 2025) == 1
    assert period_agrees("target", None, result, 2025) == -1
    assert period_agrees("actual", 2024, result, 2025) == 1
    assert period_agrees("actual", 2023, result, 2025) == -1  # another year's result
    assert period_agrees("either", 2025, target, 2025) == 1
    assert period_agrees("either", None, result, 2025) == 0


# ---------------------------------------------------------------------------------------------- highlight

VALUES = {"gdp_growth": "5.5%左右", "cpi": "2.5%左右", "unemployment_rate": "5.2%以内", "urban_new_jobs": "60万人以上",
          "industrial_value_added_growth": "7.5%", "grain_output": "300亿元以上"}  # fmt: skip


@pytest.mark.parametrize("order", [0, 1, 2])
def test_highlight_marks_the_asked_indicator_in_a_list_of_targets(order: int) -> None:
    vocab = builtin()
    ids = list(VALUES)
    ids = ids[order:] + ids[:order]
    rates = ("gdp_growth", "industrial_value_added_growth")  # named with 增长 before the value
    clauses = [f"{vocab.get(i).zh[order % 2]}{'增长' if i in rates else ''}{VALUES[i]}" for i in ids]
    sentence = "今年主要预期目标是：" + "，".join(clauses) + "。"
    for i, clause in zip(ids, clauses, strict=True):
        ind = vocab.get(i)
        for q in (f"今年{ind.zh[0]}的目标是多少？", f"What is the {ind.en[0]} target?"):
            got = locate(q, sentence)
            assert got.figure is not None and VALUES[i].startswith(got.figure), (q, got)
            assert got.clause == clause, (q, got)


def test_no_indicator_keeps_the_word_nearness_highlight() -> None:
    got = locate("新建多少所学校？", "今年新建学校12所，改扩建幼儿园30所。")
    assert got.figure == "12所"


# ---------------------------------------------------------------------------------------------- library


def _report(year: int, gdp_target: str, gdp_result: str, cpi_target: str, cpi_result: str) -> str:
    return "\n".join([
        f"{year}年广西壮族自治区政府工作报告",
        f"——{year}年1月20日在广西壮族自治区第十四届人民代表大会上",
        "",
        "各位代表：",
        "现在，我代表自治区人民政府，向大会报告工作，请予审议。",
        "",
        f"一、{year - 1}年工作回顾",
        "",
        f"过去一年，全区地区生产总值增长{gdp_result}，居民消费价格上涨{cpi_result}，粮食生产再获丰收。",
        "我们持续改善营商环境，新建一批学校和医院，城乡面貌焕然一新。",
        "",
        f"二、{year}年工作安排",
        "",
        f"今年经济社会发展主要预期目标是：地区生产总值增长{gdp_target}，居民消费价格涨幅{cpi_target}，"
        "城镇调查失业率5.5%左右。",
        "我们将扎实推进乡村振兴，加快建设现代化产业体系。",
        "",
    ])  # fmt: skip


FIGS = {2024: ("5.5%左右", "4.1%", "3%左右", "0.3%"), 2025: ("5%左右", "4.2%", "2%左右", "0.1%"),
        2026: ("5%以上", "5.1%", "2%以内", "0.2%")}  # fmt: skip


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    docs = tmp_path_factory.mktemp("period-docs")
    for year, figs in FIGS.items():
        (docs / f"guangxi-{year}.txt").write_text(_report(year, *figs), encoding="utf-8")
    idx = tmp_path_factory.mktemp("period-index") / "index"
    fake = FakeEmbedder()
    build_index([docs], idx, embedder=fake)
    return Engine(store.load_index(idx), fake)


def _doc_year(engine: Engine, name: str) -> int | None:
    return next(d.year for d in engine.index.documents if d.name == name)


@pytest.mark.parametrize("year", [2024, 2025])
def test_a_result_comes_from_the_next_report_and_a_target_from_its_own(library: Engine, year: int) -> None:
    target = library.ask(f"广西{year}年地区生产总值增长的预期目标是多少？")
    assert target.sentence and FIGS[year][0] in target.sentence
    assert _doc_year(library, target.hits[0].citation.document) == year
    assert target.highlight == FIGS[year][0]
    result = library.ask(f"广西{year}年地区生产总值实际增长了多少？")
    assert result.sentence and FIGS[year + 1][1] in result.sentence
    assert _doc_year(library, result.hits[0].citation.document) == year + 1
    assert result.highlight == FIGS[year + 1][1]


def test_target_and_result_within_one_report(library: Engine) -> None:
    a = library.ask("广西去年居民消费价格上涨了多少？")
    assert a.sentence and FIGS[2026][3] in a.sentence and a.highlight == FIGS[2026][3]
    b = library.ask("广西今年居民消费价格涨幅目标是多少？")
    assert b.sentence and FIGS[2026][2] in b.sentence and b.highlight == FIGS[2026][2]
    assert b.clause is not None and b.clause.startswith("居民消费价格涨幅") and b.clause in b.sentence


def test_an_either_question_shows_both_labelled(library: Engine) -> None:
    a = library.ask("广西2025年地区生产总值增长多少？")
    by = {p.period: p for p in a.by_period}
    assert set(by) == {"target", "actual"}
    assert by["target"].year == 2025 and by["target"].highlight == FIGS[2025][0]
    assert by["actual"].year == 2026 and by["actual"].highlight == FIGS[2026][1]
    d = json.loads(json.dumps(a.to_json(), ensure_ascii=False))
    assert d["answers_by_period"]["target"]["highlight"] == FIGS[2025][0]
    assert d["answers_by_period"]["actual"]["citation"]["document"] == by["actual"].hit.citation.document
    assert d["answer"] is not None  # the single answer is kept
    line = period_summary(a.by_period, en=False)
    assert line == f"目标 {FIGS[2025][0]} · 2025年报告 / 实际 {FIGS[2026][1]} · 2026年报告"
    html = render_answer(a)
    assert 'data-period="target"' in html and 'data-period="actual"' in html
    # a question with a period cue gets one answer, not both
    assert library.ask("广西2025年地区生产总值实际增长了多少？").by_period == ()


def test_comparison_rows_take_each_years_result(library: Engine) -> None:
    a = library.ask("广西2024年和2025年地区生产总值分别实际增长了多少？")
    assert [r.year for r in a.comparison] == [2025, 2026]
    for r, y in zip(a.comparison, (2024, 2025), strict=True):
        assert r.sentence and FIGS[y + 1][1] in r.sentence, r.sentence


# ---------------------------------------------------------------------------------------------- English


@pytest.mark.parametrize("indicator", [i.id for i in builtin().indicators])
def test_english_indicator_names_reach_the_keyword_search(indicator: str) -> None:
    ind = builtin().get(indicator)
    for en in ind.en[:2]:
        words = chinese_keywords(f"What is the {en} target?", regions=False)
        tokens = set(glossary_tokens(f"What is the {en} target?"))
        # the indicator's own Chinese names, or (a glossary phrase) a word inside one of them
        named = [w for w in words if any(w in z for z in ind.zh)]
        assert named, (en, words)
        assert set(tokenize(named[0])) <= tokens


def test_an_english_question_finds_the_chinese_figure(library: Engine) -> None:
    a = library.ask("What is Guangxi's consumer price target for 2026?", mode="keyword")
    assert a.hits and _doc_year(library, a.hits[0].citation.document) == 2026
    assert a.sentence and re.search(re.escape(FIGS[2026][2]), a.sentence)


def test_clause_is_shown_in_the_cli(library: Engine, tmp_path: Path) -> None:
    import io

    from reportqa.ui.cli import _print_answer

    out = io.StringIO()
    _print_answer(library.ask("广西今年居民消费价格涨幅目标是多少？"), out)
    text = out.getvalue()
    assert "A: 居民消费价格涨幅" in text


def test_a_question_asking_target_and_result_in_two_clauses_asks_both() -> None:
    from reportqa.index.text.periods import question_period

    both = [
        "2007年全国居民消费价格涨幅的目标是多少，实际上涨了多少？",
        "What was China's target for new urban jobs in 2016, and how many were actually created?",
        "实际增长了多少，目标是多少？",
        "全国粮食产量目标和实际完成情况",  # one clause, as before
    ]
    for q in both:
        assert question_period(q) == "either", q
    assert question_period("2007年全国居民消费价格涨幅的目标是多少？") == "target"
    assert question_period("2007年全国居民消费价格实际上涨了多少？") == "actual"
    assert question_period("What was China's target for new urban jobs in 2016, and for 2017?") == "target"


def test_what_shall_be_reached_is_a_target_and_real_growth_no_result() -> None:
    """要达到/要保持 ask what shall be (a target); 实际增长 is real growth, stated in targets too; 表现怎么样 asks
    how it did (a result)."""
    from reportqa.index.text.periods import question_period

    for q in ("2031年农民人均纯收入实际增长要达到多少？", "今年森林覆盖率要达到多少？", "明年物价总水平要保持怎样？",
              "今年外贸要实现什么目标？"):  # fmt: skip
        assert question_period(q) == "target", q
    for q in ("去年农民人均纯收入实际增长多少？", "2030年森林覆盖率达到多少？", "去年外贸实现了什么？",
              "2030年全省工业生产表现怎么样？"):  # fmt: skip
        assert question_period(q) == "actual", q


@pytest.mark.parametrize(
    ("question", "span"),
    [
        ("今后五年单位国内生产总值能耗要下降多少？", True),
        ("过去五年城镇新增就业累计多少人？", True),
        ("五年来农村贫困人口减少了多少？", True),
        ("“十四五”时期年均增长多少？", True),
        ("By how much should carbon emissions per unit of GDP fall over the next five years?", True),
        ("How much did grain output rise in the five years before 2013?", True),
        ("What was the annual average growth of fiscal revenue?", True),
        ("2025年地区生产总值增长多少？", False),
        ("今年粮食产量目标是多少？", False),
        ("How many new urban jobs were created in 2025?", False),
        ("第五届进博会成交额是多少？", False),
    ],
)
def test_a_question_over_several_years_asks_a_span(question: str, span: bool) -> None:
    from reportqa.qa.query import understand

    assert question_span(question) is span
    assert understand(question).span is span


@pytest.mark.parametrize(
    ("question", "period"),
    [
        ("By the end of the 14th Five-Year Plan period, what level had rural income exceeded?", "actual"),
        ("“六五”计划期间新增原油开采能力多少？", "either"),
        ("What does the plan set for grain output this year?", "target"),
        ("今年计划新增城镇就业多少？", "target"),
    ],
)
def test_a_five_year_plans_name_is_a_period_not_a_plan_asked(question: str, period: str) -> None:
    from reportqa.index.text.periods import question_period

    assert question_period(question) == period
    if "Five-Year" in question:
        assert "十四五" in chinese_keywords(question)


def test_an_annual_mean_concentration_is_one_years_level() -> None:
    from reportqa.index.text.periods import over_years

    assert not over_years("细颗粒物年均浓度控制在29微克/立方米左右。")
    assert over_years("地区生产总值年均增长5.5%。")


def test_a_level_held_for_years_is_a_statement_over_several_years() -> None:
    from reportqa.index.text.periods import over_years

    # "连续9年稳定在…以上" is a floor held for nine years, not one year's output (粮食产量1350.97亿斤 is)
    assert over_years("粮食总产量连续9年稳定在1300亿斤以上。")
    assert over_years("经济总量连续三年保持全国第一。")
    assert not over_years("粮食产量1350.97亿斤，主要指标增速居全国前列。")
    assert not over_years("连续举办三届博览会。")  # no level held: a count of events


def test_targets_reached_state_a_result_and_targets_to_reach_a_plan() -> None:
    from reportqa.index.text.periods import sentence_period

    done = "一年来，聚焦目标任务体系，粮食产量1350.97亿斤，顺利完成全年主要目标任务。"
    assert sentence_period(done, 2026, "review").period == "actual"
    assert sentence_period("确保完成全年主要目标任务，地区生产总值增长5%左右。", 2026, "plan").period == "target"


def test_an_english_perfect_asks_a_result() -> None:
    # stop 39: "has … set up" builds something (a result); "set" alone still sets a target
    from reportqa.index.text.periods import question_period

    assert question_period("How many Luban Workshops has Tianjin set up?") == "actual"
    assert question_period("How much land has been upgraded to high-standard farmland?") == "actual"
    assert question_period("How many pocket parks have opened?") == "actual"
    assert question_period("What jobless rate ceiling has the province set for 2026?") == "target"
    assert question_period("What target has been set for GDP growth?") == "target"


def test_what_happened_and_a_review_of_years_ask_a_result() -> None:
    from reportqa.index.text.periods import question_period

    for q in ("1998年下半年外贸出口出现了什么情况？", "这五年物价水平怎么样？", "过去五年居民收入怎么样？",
              "What happened to grain output in 2007?", "How did prices behave in 1992?"):  # fmt: skip
        assert question_period(q) == "actual", q
    assert question_period("今年物价水平要保持怎样？") == "target"
