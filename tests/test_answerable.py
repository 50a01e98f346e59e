"""Answerability checks (qa/answerable.py): scope, topic and the asked thing, each with its reason and a message
in the question's language; the JSON fields through the CLI; confidence ranking an answer above off-topic."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from reportqa.index.pipeline.build import build_index
from reportqa.index.storage import store
from reportqa.qa import engine as engine_mod
from reportqa.qa.answerable import (
    TopicCalibration,
    TopicEvidence,
    calibration_path,
    check_asked,
    check_scope,
    check_topic,
    confidence,
    offtopic_questions,
    topic_tokens,
)
from reportqa.qa.engine import Engine
from reportqa.qa.query import understand
from reportqa.ui import cli

from .conftest import ROOT, SEED, FakeEmbedder, scope_question
from .conftest import library_document as _doc

CORPUS = ROOT / "tests" / "data" / "corpus"


LIB = [
    _doc(0, "bj-2026.txt", "北京市", 2026),
    _doc(1, "sh-2026.txt", "上海市", 2026),
    _doc(2, "sh-2025.txt", "上海市", 2025),
]


# ---------------------------------------------------------------------------------------------- scope


@pytest.mark.parametrize(
    ("question", "lang", "expect"),
    [
        ("深圳市2026年地区生产总值增长目标是多少？", "zh", "本库中没有深圳市的报告；现有北京市、上海市的报告。"),
        ("苏州市的GDP增长目标是多少？", "zh", "本库中没有苏州市的报告"),
        ("上海市2015年政府工作报告提出的目标是多少？", "zh",
         "本库中没有上海市2015年的报告；上海市现有报告的年份：2025年、2026年。"),
        ("What is Macau's economic growth target for 2026?", "en", "no report of 澳门特别行政区 in this index"),
        ("What was Shanghai's GDP target in 2015?", "en",
         "no 2015 report of 上海市 in this index; it holds 2025, 2026"),
    ],
)  # fmt: skip
def test_scope_fails_with_the_reason_in_the_question_language(question: str, lang: str, expect: str) -> None:
    q = understand(question)
    assert q.language == lang
    target = scope_question(question, LIB).targets[0]
    v = check_scope(target, LIB, q.language)
    assert not v.passed and v.reason == "scope" and v.message is not None
    assert v.message.startswith(expect)


def test_scope_passes_for_a_held_report() -> None:
    target = scope_question("北京市2026年地区生产总值增长目标是多少？", LIB).targets[0]
    assert check_scope(target, LIB, "zh").passed


# ---------------------------------------------------------------------------------------------- topic


CAL = TopicCalibration(
    dense={"zh": np.linspace(0.70, 0.80, 50), "en": np.linspace(0.72, 0.82, 50)},
    lexical={"zh": np.concatenate([np.zeros(40), np.linspace(0.1, 0.5, 10)]), "en": np.zeros(50)},
)


def test_topic_rule_fails_only_when_both_kinds_of_evidence_look_unrelated() -> None:
    """The p-value rule (used without the fitted model, and for keyword search; the model: test_topic_model)."""
    zh = understand("红烧肉怎么做？")
    off = check_topic(zh, TopicEvidence(dense=0.75, lexical=0.0), CAL, model=None)
    assert not off.passed and off.reason == "topic" and off.message and "报告" in off.message
    assert off.evidence["p_dense"] > 0.4 and off.evidence["p_lexical"] == 1.0
    # strong dense evidence alone, or strong lexical evidence alone, is enough to pass
    assert check_topic(zh, TopicEvidence(dense=0.9, lexical=0.0), CAL, model=None).passed
    assert check_topic(zh, TopicEvidence(dense=0.75, lexical=0.9), CAL, model=None).passed
    en = understand("How do I make pancakes?")
    off_en = check_topic(en, TopicEvidence(dense=0.75, lexical=0.0), CAL, model=None)
    assert not off_en.passed and off_en.message and off_en.message.startswith("These reports do not discuss")
    # each language has its own sample and level: 0.79 is unusually high for an unrelated English question
    # (most off-topic English ones score below), but not for a Chinese one
    assert check_topic(en, TopicEvidence(dense=0.79, lexical=0.0), CAL, model=None).passed
    assert not check_topic(zh, TopicEvidence(dense=0.79, lexical=0.0), CAL, model=None).passed


def test_topic_tokens_leave_out_regions_and_years() -> None:
    toks = topic_tokens("北京市2026年城镇新增就业目标是多少？", latin=False)
    assert "2026" not in toks and not any("北京" in t for t in toks) and any("就业" in t for t in toks)


def test_offtopic_calibration_sets_are_shipped_in_both_languages() -> None:
    zh, en = offtopic_questions("zh"), offtopic_questions("en")
    assert len(zh) + len(en) >= 80 and len(zh) >= 40 and len(en) >= 40
    assert all(understand(q).language == "zh" for q in zh) and all(understand(q).language == "en" for q in en)


# ---------------------------------------------------------------------------------------------- the asked thing


def test_a_figure_question_needs_the_figure_in_the_clause_naming_it() -> None:
    q = understand("山东省2026年居民消费价格涨幅目标是多少？")
    listing = "地区生产总值增长5%左右，稳定居民消费价格；城镇新增就业110万人以上。"
    v = check_asked(q, listing, listing, {})
    assert not v.passed and v.reason == "no_figure"
    assert v.message == "报告提到了居民消费价格，但没有给出具体数字。"
    ok = "地区生产总值增长5%左右，居民消费价格涨幅2%左右。"
    assert check_asked(q, ok, ok, {}).passed


def test_the_asked_rate_may_sit_in_the_clause_after_the_one_naming_the_indicator() -> None:
    q = understand("四川2025年地区生产总值实际增长了多少？")
    s = "实现地区生产总值67665亿元，增长5.5%，总量和增速均居全国第5位。"
    assert check_asked(q, s, s, {}).passed
    # … but not when the next clause is about another indicator
    other = "实现地区生产总值67665亿元，城乡居民人均可支配收入增长5.5%。"
    assert not check_asked(q, other, other, {}).passed


def test_a_word_written_only_inside_a_list_still_binds_the_clause_strictly() -> None:
    # 燃气管网 is not written in the sentence, only 燃气 inside 供热、燃气、排水管网: the clause check reads the list,
    # so the pass is a full one (not narrowed to the words literally present, which a lower passage could beat)
    q = understand("今年要改造多少公里老旧燃气管网？")
    s = "推进城市生命线安全工程，改造老旧供热、燃气、排水管网800公里、600公里、300公里，完成水库增容工程。"
    v = check_asked(q, s, s, {})
    assert v.passed and v.sentence == s and "narrowed" not in v.evidence


def test_no_figure_message_in_english_and_when_not_mentioned() -> None:
    q = understand("What is Shandong's 2026 consumer price target?")
    s = "地区生产总值增长5%左右，城镇新增就业110万人以上。"
    v = check_asked(q, s, s, {})
    assert not v.passed and v.message == "The report gives no figure for CPI."
    s2 = "着力稳定居民消费价格。"
    assert check_asked(q, s2, s2, {}).message == "The report mentions 居民消费价格 but gives no figure for it."


def test_questions_not_asking_for_a_figure_pass_the_asked_check() -> None:
    q = understand("孩子上学今年有什么新举措？")
    assert check_asked(q, "大力实施基础教育扩优提质行动。", "大力实施基础教育扩优提质行动。", {}).passed


def test_confidence_orders_answered_over_no_figure_over_topic_over_scope() -> None:
    from reportqa.qa.answerable import PASS, Verdict

    strong = Verdict(True, "topic", evidence={"p_dense": 0.01, "p_lexical": 0.02})
    weak = Verdict(False, "topic", "topic", "x", {"p_dense": 0.6, "p_lexical": 1.0})
    answered = confidence(PASS, strong, 0.8)
    no_fig = confidence(Verdict(False, "asked", "no_figure", "x"), strong, 0.8)
    off = confidence(weak, weak, 0.0)
    scope = confidence(Verdict(False, "scope", "scope", "x"), None, 0.0)
    assert answered > no_fig > off > scope == 0.0


# ---------------------------------------------------------------------------------------------- through the engine


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Beijing 2026, Shanghai 2026 and the Tibet 2024 seed indexed with the fake embedder."""
    docs = tmp_path_factory.mktemp("ans-docs")
    for src in ("provincial-2026/beijing-2026.txt", "provincial-2026/shanghai-2026.txt"):
        shutil.copy(CORPUS / src, docs / Path(src).name)
    shutil.copy(SEED, docs / SEED.name)
    idx = tmp_path_factory.mktemp("ans-index") / "index"
    build_index([docs], idx, embedder=FakeEmbedder())
    return idx


def test_engine_reasons_and_confidence_ranking(library: Path) -> None:
    eng = Engine(store.load_index(library), FakeEmbedder())
    right = eng.ask("北京市2026年地区生产总值增长目标是多少？")
    assert not right.abstained and right.reason is None and right.sentence and "5%左右" in right.sentence
    off = eng.ask("红烧肉怎么做才好吃？")
    assert off.abstained and off.reason == "topic" and off.message and off.sentence is None
    off_en = eng.ask("How do I bake sourdough bread at home?")  # the fake embedder gives English no evidence
    assert right.confidence is not None and off.confidence is not None and off_en.confidence is not None
    assert right.confidence > off.confidence and right.confidence > off_en.confidence
    scope = eng.ask("深圳市2026年地区生产总值增长目标是多少？")
    assert scope.abstained and scope.reason == "scope" and scope.message and "深圳市" in scope.message
    assert scope.confidence == 0.0
    # the calibration was cached beside the index for the next process
    assert calibration_path(eng.index).is_file()


def test_cli_json_has_reason_and_message(
    library: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io
    import sys

    monkeypatch.setattr(engine_mod, "load_embedder", lambda spec: FakeEmbedder())
    questions = "我家的猫不肯吃猫粮怎么办？\n澳门2026年经济增长目标是多少？\n北京市2026年地区生产总值增长目标是多少？\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(questions))
    assert cli.main(["ask", "-", "--json", "--index-dir", str(library)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert [r.get("reason") for r in rows] == ["topic", "scope", None]
    assert rows[0]["abstained"] and rows[0]["message"] == "这些报告没有谈到这个话题；请问政府工作报告涉及的内容。"
    assert rows[1]["message"].startswith("本库中没有澳门特别行政区的报告")
    assert not rows[2]["abstained"] and "message" not in rows[2] and rows[2]["answer"]["text"]


def test_chat_shows_the_reason_message_and_the_mentioning_sentence() -> None:
    from reportqa.qa.records import Answer
    from reportqa.ui import render

    a = Answer("山东省2026年居民消费价格涨幅目标是多少？", True, (), sentence="居民消费价格保持合理水平。",
               sentence_rank=1, reason="no_figure", message="报告提到了居民消费价格，但没有给出具体数字。")  # fmt: skip
    html = render.render_answer(a)
    assert 'data-reason="no_figure"' in html and "报告提到了居民消费价格，但没有给出具体数字。" in html
    assert "居民消费价格保持合理水平。" in html
    j = a.to_json()
    assert j["reason"] == "no_figure" and j["answer"] == {"text": "居民消费价格保持合理水平。", "passage": 1}
    off = Answer("How do I bake bread?", True, (), reason="topic", message="These reports do not discuss this subject.")
    assert "These reports do not discuss this subject." in render.render_answer(off)
    assert off.to_json()["answer"] is None


def test_how_a_thing_stands_is_answered_by_the_sentence_saying_it_in_words() -> None:
    # a question asking how something compares or stands passes either way, but the sentence stating it in words
    # is the one named (and shown highlighted), and a passage without one names none (a lower one may answer)
    q = understand("How do Jilin's main health indicators compare with the national average?")
    passage = "健康吉林建设深入推进。人均预期寿命达到79.4岁，主要健康指标高于全国平均水平。"
    v = check_asked(q, "健康吉林建设深入推进。", passage, {})
    assert v.passed and v.sentence == "人均预期寿命达到79.4岁，主要健康指标高于全国平均水平。"
    other = "健康吉林建设深入推进，建成区域医疗中心3个。"
    w = check_asked(q, other, other, {})
    assert w.passed and w.sentence is None
