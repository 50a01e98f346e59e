# ruff: noqa: E501
"""Answer sentences, highlighted figures, and abstention."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportqa.index.reading.sentences import sentence_spans, split_sentences
from reportqa.qa.answer import asked, has_asked_figure, highlight, located_value
from reportqa.qa.records import Answer


def test_sentences_are_exact_substrings_with_offsets() -> None:
    text = "  今年将新建学校 12 所。改善办学条件！继续推进改革；  "
    spans = sentence_spans(text)
    assert [text[a:b] for a, b in spans] == split_sentences(text) == ["今年将新建学校 12 所。", "改善办学条件！", "继续推进改革；"]


def test_qa_sentences_alias_still_works() -> None:
    from reportqa.qa.sentences import split_sentences as old

    assert old("一。二。") == ["一。", "二。"]


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        ("2023年地区生产总值预计超过多少？", "预计地区生产总值超 2300 亿元、增长 9%左右，人均突破 6 万元。", "2300 亿元"),
        ("2023年经济增长了多少？", "预计地区生产总值超 2300 亿元、增长 9%左右，人均突破 6 万元。", "9%左右"),
        ("人均突破多少？", "预计地区生产总值超 2300 亿元、增长 9%左右，人均突破 6 万元。", "6 万元"),
        ("2024年计划新增营造林多少万亩？", "新增营造林 95 万亩以上，修复草原 100 万亩。", "95 万亩以上"),
        ("实施保障性安居工程多少套（户）？", "实施保障性安居工程 2.19 万套（户）、老旧小区改造 65 个。", "2.19 万套（户）"),
        ("改造老旧小区多少个？", "实施保障性安居工程 2.19 万套（户）、老旧小区改造 65 个。", "65 个"),
        ("What percentage growth is targeted for GDP?", "地区生产总值增长 8%左右，固定资产投资增长 13%左右。", "8%左右"),
        ("How many general aviation airports will start construction?", "新开工建设 10 个通用机场和 47 个临时起降点。", "10 个"),
        ("这份报告是谁作的？", "自治区主席 严金海", "严金海"),
        ("Who delivered the report?", "自治区主席 严金海", "严金海"),
        ("On what date was the report delivered?", "—2024 年 1 月 7日在自治区人民代表大会上", "2024 年 1 月 7日"),
        ("新增床位多少张？", "继续推进医疗卫生体制改革，新增床位 800 张。", "800 张"),
        ("全角数字新增多少家？", "新增合作社１２家。", "１２家"),
    ],
)
def test_highlight_is_the_asked_figure(question: str, sentence: str, expected: str) -> None:
    got = highlight(question, sentence)
    assert got == expected
    assert got is not None and got in sentence  # an exact substring


def test_a_stored_value_is_marked_inside_its_own_quote() -> None:
    """Two indicators with one value: the stored figure's quote says which one is marked, and its clause."""
    s = "预期目标是：规上工业增加值增长6%左右，固定资产投资增长6%左右，粮食产量稳定。"
    got = located_value(s, "6%左右", "固定资产投资增长6%左右")
    assert got is not None and got.figure == "6%左右" and got.clause == "固定资产投资增长6%左右"
    run = located_value("地区生产总值67665亿元，增长5.5%。", "5.5%", "地区生产总值67665亿元，增长5.5%")
    assert run is not None and run.clause == "地区生产总值67665亿元，增长5.5%"
    assert located_value(s, "9%") is None


def test_no_highlight_when_nothing_of_the_kind() -> None:
    assert highlight("今年推进什么建设？", "推进“无废城市”建设。") is None
    assert highlight("新增多少家？", "持续推进改革。") is None
    # a bare year is not a figure
    assert highlight("多少？", "2023 年是开局之年。") is None


def test_asked_kinds_and_units() -> None:
    assert asked("2024年计划新增营造林多少万亩？").unit == "万亩"
    assert asked("What percentage of villages have roads?").unit == "%"
    assert asked("新增几个示范区？").kind == "number"
    assert asked("谁主持会议？").kind == "who"
    assert asked("When was it delivered?").kind == "date"
    assert asked("有什么新举措？").kind == "other"
    assert asked("When did the governor deliver the report?").kind == "date"
    assert asked("Who delivered the 2024 report, and when?").kind == "who"
    assert asked("The new airport opened when?").kind == "date"
    # how a thing shall stand is asked in these words too, and an exchange rate is no percentage
    assert asked("1979年政府工作报告对物价提出了什么要求？").manner
    assert asked("What did the 2005 report aim for regarding the RMB exchange rate?").manner
    assert asked("What did the 2005 report aim for regarding the RMB exchange rate?").unit is None
    assert asked("What was the growth rate of exports?").unit == "%"
    # the when of a time clause asks no date: how prices behaved is asked
    assert asked("How had prices been behaving when the government issued the bonds?").kind != "date"
    assert has_asked_figure("新建多少所中小学？", "新建学校 12 所。")
    assert not has_asked_figure("新建多少所中小学？", "新增床位 800 张。")


def test_answer_json_carries_the_highlight() -> None:
    a = Answer("q", False, (), "新增床位 800 张。", 1, "800 张", confidence=0.9)
    d = a.to_json()
    assert d["answer"] == {"text": "新增床位 800 张。", "passage": 1, "highlight": "800 张"}
    assert d["confidence"] == 0.9
    assert "confidence" not in Answer("q", True, ()).to_json()


# ---------------------------------------------------------------------------------------------- real model


@pytest.mark.slow
def test_real_engine_answers_with_sentence_and_highlight(seed_index: Path) -> None:
    from reportqa.qa.engine import Engine

    engine = Engine.open(seed_index)
    a = engine.ask("2023年新增多少家国家农民合作社示范社？")
    assert not a.abstained and a.sentence and "合作社" in a.sentence
    assert a.highlight is not None and a.highlight in a.sentence and a.highlight[0].isdigit()
    a = engine.ask("2024年地区生产总值预期增长多少？")
    assert a.highlight == "8%左右"


@pytest.mark.slow
@pytest.mark.parametrize(
    "question",
    ["2025年西藏地区生产总值的增长目标是多少？", "今年西藏大学计划招收多少名本科生？", "2024年西藏计划新建多少所中小学？"],
)
def test_real_engine_abstains_on_unanswerable(seed_index: Path, question: str) -> None:
    from reportqa.qa.engine import Engine

    a = Engine.open(seed_index).ask(question)
    assert a.abstained and a.reason in ("scope", "topic", "no_figure") and a.message
    j = a.to_json()
    assert j["reason"] == a.reason and len(a.hits) == 5  # nearest passages still given
    # no_figure shows the sentence that mentions what was asked about, never a highlighted figure
    assert j["answer"] is None if a.reason != "no_figure" else "highlight" not in j["answer"]
