"""A question asking for a figure is answered by the first shown passage with a sentence stating it
(qa/engine.py ``SUPPORT_DEPTH``): retrieval ranks by likeness, the clause-level check says which passage answers."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pytest
from reportqa.index.pipeline.build import build_index
from reportqa.index.storage.opener import open_index
from reportqa.qa.engine import Engine
from reportqa.qa.retrieval import Retrieval

from .conftest import FakeEmbedder

REPORT = """重庆市2026年政府工作报告

各位代表：

现在，我代表市人民政府，向大会报告工作，请予审议。

一年来，我们坚持扩大有效投资。工业投资是稳增长的重要支撑，工业投资结构持续优化，工业投资质效明显提升，民间工业投资意愿增强。

全市固定资产投资保持平稳，基础设施投资、工业投资分别增长3.2%、8.5%，社会消费品零售总额增长4.1%。

今年，我们将着力推动制造业高质量发展，加快建设现代化产业体系，培育壮大新质生产力。
"""
"""The paragraph naming 工业投资 most (ranked first by the keyword search) gives no figure; the list after it does."""


def _one_report(tmp_path_factory: pytest.TempPathFactory, name: str, text: str) -> Engine:
    """An engine over ``text`` alone, saved as ``name`` and indexed with the fake embedder."""
    d = tmp_path_factory.mktemp(name.split(".")[0])
    (d / "src").mkdir()
    (d / "src" / name).write_text(text, encoding="utf-8")
    build_index([d / "src"], d / "idx", embedder=FakeEmbedder())
    return Engine(open_index(d / "idx"), FakeEmbedder())


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return _one_report(tmp_path_factory, "chongqing-2026.txt", REPORT)


@pytest.mark.parametrize("mode", ["keyword", "hybrid"])
def test_a_lower_passage_stating_the_figure_answers_and_comes_first(engine: Engine, mode: str) -> None:
    run = engine.run("重庆2025年工业投资增长了多少？", mode=mode)
    assert run.retrieval is not None
    first_by_likeness = engine.index.chunks[int(run.retrieval.order[0])].text
    assert "分别增长" not in first_by_likeness  # the premise: retrieval alone puts the paragraph without it first
    answer = engine.ask("重庆2025年工业投资增长了多少？", mode=mode)
    assert not answer.abstained
    assert answer.highlight == "8.5%"
    assert "分别增长3.2%、8.5%" in answer.hits[0].chunk.text  # the answering passage is shown first


def test_a_passage_below_the_shown_ones_answers_and_is_shown(engine: Engine) -> None:
    # one passage asked for: the answering one is found below it (SUPPORT_DEPTH does not stop at k) and shown
    answer = engine.ask("重庆2025年工业投资增长了多少？", k=1, mode="keyword")
    assert not answer.abstained and answer.highlight == "8.5%"
    assert len(answer.hits) == 1 and "分别增长3.2%、8.5%" in answer.hits[0].chunk.text


def test_no_shown_passage_stating_it_is_still_declined(engine: Engine) -> None:
    # 民间工业投资: the report names it, but no clause gives its figure (the list's 工业投资 is not 民间)
    answer = engine.ask("重庆2025年民间工业投资增长了多少？", mode="keyword")
    assert answer.abstained and answer.reason == "no_figure"


PLAN = """2026年政府工作报告

各位代表：

今年发展的主要预期目标是：地区生产总值增长5%左右，单位地区生产总值能耗下降2.5%左右，能耗双控有序推进。

今后五年，单位地区生产总值能耗、二氧化碳排放量分别下降13.5%、18%，森林覆盖率稳步提高。
"""
"""This year's energy-intensity target names the words more often; the five-year targets follow."""


@pytest.fixture(scope="module")
def plan_engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return _one_report(tmp_path_factory, "plan-2026.txt", PLAN)


@pytest.mark.parametrize(
    ("question", "value"),
    [
        ("未来五年单位地区生产总值能耗要下降多少？", "13.5%"),
        ("By how much should energy consumption per unit of GDP fall over the next five years?", "13.5%"),
        ("今年单位地区生产总值能耗下降多少？", "2.5%左右"),
    ],
)
def test_a_question_over_several_years_is_answered_by_a_statement_over_several_years(
    plan_engine: Engine, question: str, value: str
) -> None:
    run = plan_engine.run(question, mode="keyword")
    assert run.retrieval is not None
    assert "今年" in plan_engine.index.chunks[int(run.retrieval.order[0])].text  # this year's target ranks first
    answer = plan_engine.ask(question, mode="keyword")
    assert not answer.abstained
    assert answer.highlight is not None and value in answer.highlight


REVIEW = """2017年政府工作报告

各位代表：

一年来，供给侧结构性改革取得积极进展，以钢铁、煤炭行业为重点去产能，全年退出钢铁产能超过6500万吨、煤炭产能超过2.9亿吨，超额完成年度目标任务，分流职工得到较好安置，房地产去库存取得积极成效，企业兼并重组稳步推进，工业企业资产负债率有所下降，减税降费减轻企业负担。

扎实有效去产能。今年退出煤炭产能1.5亿吨以上。退出煤炭产能要严格执行标准，煤炭产能退出要安置好职工，退出的煤炭产能不得恢复生产。
"""
"""This year's target names the words more often; last year's result, in the report's review, is what is asked."""


@pytest.fixture(scope="module")
def review_engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return _one_report(tmp_path_factory, "national-2017.txt", REVIEW)


@pytest.mark.parametrize(
    ("question", "value"),
    [
        ("How much coal production capacity was cut in 2016, according to the 2017 report?", "2.9亿吨"),
        ("2017年政府工作报告中，2016年退出煤炭产能多少？", "2.9亿吨"),
        ("2017年政府工作报告提出今年退出煤炭产能多少？", "1.5亿吨以上"),
    ],
)
def test_the_year_named_beside_the_report_picks_the_passage_stating_that_years_figure(
    review_engine: Engine, question: str, value: str
) -> None:
    run = review_engine.run(question, mode="keyword")
    assert run.retrieval is not None
    if value == "2.9亿吨":  # the premise: retrieval alone does not rank the passage stating it first
        assert value not in review_engine.index.chunks[int(run.retrieval.order[0])].text
    answer = review_engine.ask(question, mode="keyword")
    assert not answer.abstained
    assert answer.highlight == value


FIVE_YEARS = """天津市2026年政府工作报告

各位代表：

这是城市更新成效显著的五年。

燃气管网改造全面推进，燃气管网改造持续加力，新建改造供热、燃气管网6562公里，燃气管网安全水平明显提升。

2025年，城市更新扎实推进，有序改造供热管网1287公里、燃气管网810公里、供水管网105公里。
"""
"""The five-year review (its lead line standing alone, as web pages set it) names the gas network more often."""


@pytest.fixture(scope="module")
def five_years_engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return _one_report(tmp_path_factory, "tianjin-2026.txt", FIVE_YEARS)


@pytest.mark.parametrize(
    ("question", "value"),
    [("2025年天津改造燃气管网多少公里？", "810公里"), ("五年来天津改造燃气管网多少公里？", "6562公里")],
)
def test_one_year_asked_is_not_answered_by_a_figure_over_five_years(
    five_years_engine: Engine, question: str, value: str
) -> None:
    run = five_years_engine.run(question, mode="keyword")
    assert run.retrieval is not None
    assert "6562" in five_years_engine.index.chunks[int(run.retrieval.order[0])].text  # the premise
    answer = five_years_engine.ask(question, mode="keyword")
    assert not answer.abstained
    assert answer.highlight is not None and value in answer.highlight



_TALK = [f"{w}是稳增长的重要支撑，{w}结构持续优化。" for w in ("工业投资", "工业投资服务", "工业投资环境",
         "工业投资项目", "工业投资招商", "工业投资审批", "工业投资要素", "工业投资园区", "工业投资协调",
         "工业投资储备", "工业投资改革", "工业投资专班")]  # fmt: skip
"""Twelve passages naming the asked words with no figure."""


@pytest.fixture(scope="module")
def deep_engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    body = "\n\n".join(_TALK)
    listed = "全市固定资产投资保持平稳，基础设施投资、工业投资分别增长3.2%、8.5%，社会消费品零售总额增长4.1%。"
    text = f"重庆市2026年政府工作报告\n\n各位代表：\n\n{body}\n\n{listed}\n"
    return _one_report(tmp_path_factory, "chongqing-2026.txt", text)


def _ranked_last(engine: Engine, monkeypatch: pytest.MonkeyPatch, marker: str) -> None:
    """Retrieval as it is for an English question whose glossary words are not the report's: the passage holding
    ``marker`` ranked below every other candidate (its aligned per-candidate arrays moved with it)."""
    search = engine.retriever.search

    def lower(*args: Any, **kwargs: Any) -> Retrieval:
        r = search(*args, **kwargs)
        chunks = engine.index.chunks
        at = [i for i, c in enumerate(r.order) if marker in chunks[int(c)].text]
        perm = np.array([i for i in range(len(r.order)) if i not in at] + at)
        return replace(r, order=r.order[perm], fused=r.fused[perm], dense=r.dense[perm], chunk_cos=r.chunk_cos[perm],
                       lexical=r.lexical[perm], best_sentence=r.best_sentence[perm])  # fmt: skip

    monkeypatch.setattr(engine.retriever, "search", lower)


def test_a_passage_far_below_the_first_eight_answers_with_every_defining_word(
    deep_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # twelve passages rank above the one list stating the figure: a clause with every defining word answers from
    # there (an English question's passage ranks as low: "beautiful bays" 18th)
    _ranked_last(deep_engine, monkeypatch, "分别增长3.2%、8.5%")
    question = "重庆2025年工业投资增长了多少？"
    run = deep_engine.run(question, mode="keyword")
    assert run.retrieval is not None
    ranked = [deep_engine.index.chunks[int(c)].text for c in run.retrieval.order]
    assert next(i for i, t in enumerate(ranked) if "分别增长3.2%、8.5%" in t) >= 12  # the premise
    answer = deep_engine.ask(question, mode="keyword")
    assert not answer.abstained and answer.highlight == "8.5%"
    assert "分别增长3.2%、8.5%" in answer.hits[0].chunk.text
    # a figure the list does not give is still declined, however deep the check goes
    assert deep_engine.ask("重庆2025年民间工业投资增长了多少？", mode="keyword").abstained


HEALTH = """吉林省2026年政府工作报告

各位代表：

主要健康指标监测体系不断完善，健康指标数据按季度发布，主要健康指标纳入考核，健康吉林建设深入推进。

人均预期寿命达到79.4岁，主要健康指标高于全国平均水平。
"""
"""The paragraph naming 健康 most says nothing of how it compares; the one after it does, in words."""


@pytest.fixture(scope="module")
def health(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return _one_report(tmp_path_factory, "jilin-2026.txt", HEALTH)


def test_a_lower_passage_saying_how_it_stands_answers_a_how_question(health: Engine) -> None:
    question = "How do Jilin's main health indicators compare with the national average?"
    run = health.run(question, mode="keyword")
    assert run.retrieval is not None
    assert "79.4岁" not in health.index.chunks[int(run.retrieval.order[0])].text  # the premise
    answer = health.ask(question, mode="keyword")
    assert not answer.abstained and answer.highlight == "高于全国平均水平"
    assert "79.4岁" in answer.hits[0].chunk.text


def test_the_keyword_searchs_best_passages_are_tried_beyond_the_depth(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # fusion can sink the passage the keyword search finds among its first (an English question's dense score):
    # with only the first fused passage tried, the keyword search's best ones are tried too
    import reportqa.qa.engine as engine_module

    question = "重庆2025年工业投资增长了多少？"
    run = engine.run(question, mode="hybrid")
    assert run.retrieval is not None
    r = run.retrieval
    answering = next(i for i, c in enumerate(r.order) if "分别增长3.2%、8.5%" in engine.index.chunks[int(c)].text)
    assert answering > 0 and r.lexical_rank(answering) <= engine_module.KEYWORD_DEPTH  # the premise
    monkeypatch.setattr(engine_module, "SUPPORT_DEPTH", 1)
    assert engine.ask(question, mode="hybrid").highlight == "8.5%"
    monkeypatch.setattr(engine_module, "KEYWORD_DEPTH", 0)
    assert engine.ask(question, mode="hybrid").abstained  # only the first passage, which gives no figure
