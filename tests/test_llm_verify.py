"""The written answer's verifier (qa/verify.py): figures, names, citations, re-pointing, refusals."""

from __future__ import annotations

import pytest
from reportqa.qa.verify import REFUSAL_EN, REFUSAL_ZH, figures, names, split_sentences, verify

# Passages written for these tests (not taken from any report).
P_GDP = "全年地区生产总值增长6.1%，一般公共预算收入达到2300 亿元，粮食产量１２０万吨。"
P_JOBS = "城镇新增就业5万人以上，居民消费价格涨幅控制在2%左右，开工建设青海湖机场。"
P_ROAD = "加快推进滇藏铁路前期工作，新改建农村公路1.2万公里，实施《乡村振兴促进条例》。"
PASSAGES = [P_GDP, P_JOBS, P_ROAD]


def test_figures_normalise_multipliers_fullwidth_spaces_and_english_scales() -> None:
    def values(t: str) -> list[tuple[float, str]]:
        return [(f.value, f.unit) for f in figures(t)]

    assert values("2300 亿元") == [(2300e8, "元")]
    assert values("2.3万亿元") == [(2.3e12, "元")]
    assert values("１２０万吨") == [(120e4, "吨")]
    assert values("12,000人") == [(12000.0, "人")]
    assert values("1.2 million tonnes") == [(1.2e6, "")]
    assert values("6.1 percent") == [(6.1, "%")]


def test_split_sentences_attaches_trailing_markers_and_reads_variants() -> None:
    s = split_sentences("增长6.1%[1]。收入2300亿元。[1][2]\n1. 新增就业5万人【2】！价格2%左右［２，３］。")
    assert [c for _, c in s] == [(1,), (1, 2), (2,), (2, 3)]
    assert s[2][0].startswith("新增就业")  # the list number is not part of the sentence


def test_supported_sentences_are_verified_with_their_citations() -> None:
    c = verify("地区生产总值增长6.1%[1]。居民消费价格涨幅控制在2%左右[2]。", PASSAGES)
    assert [(s.citations, s.verified) for s in c.sentences] == [((1,), True), ((2,), True)]
    assert not c.refused and not c.invented
    assert c.text == "地区生产总值增长6.1%[1]。居民消费价格涨幅控制在2%左右[2]。"


def test_equal_value_in_another_notation_verifies() -> None:
    c = verify("一般公共预算收入达到23000000万元[1]。", PASSAGES)
    assert c.sentences[0].verified
    c = verify("Grain output reached 1.2 million tonnes [1].", PASSAGES)
    assert c.sentences[0].verified


def test_wrong_citation_is_repointed_to_the_one_supporting_passage() -> None:
    c = verify("城镇新增就业5万人以上[1]。", PASSAGES)
    s = c.sentences[0]
    assert s.verified and s.repointed and s.citations == (2,)
    assert c.text.endswith("[2]。")


def test_uncited_sentence_is_pointed_when_exactly_one_passage_supports_it() -> None:
    s = verify("新改建农村公路1.2万公里。", PASSAGES).sentences[0]
    assert s.verified and s.citations == (3,)


def test_invented_figure_is_unverified_and_reported() -> None:
    c = verify("地区生产总值增长7.5%[1]。", PASSAGES)
    assert not c.sentences[0].verified
    assert "7.5%" in (c.sentences[0].reason or "")
    assert c.invented == ("7.5%",)
    assert c.text == ""


def test_same_number_with_another_unit_is_not_support() -> None:
    c = verify("一般公共预算收入达到2300万元[1]。", PASSAGES)
    assert not c.sentences[0].verified


def test_invented_project_name_is_unverified() -> None:
    c = verify("开工建设拉萨机场[2]。", PASSAGES)
    assert not c.sentences[0].verified
    c = verify("开工建设青海湖机场[2]。", PASSAGES)
    assert c.sentences[0].verified
    assert "乡村振兴促进条例" in names("实施《乡村振兴促进条例》")


def test_sentence_about_something_else_does_not_borrow_a_citation() -> None:
    c = verify("大力发展数字经济和人工智能产业[1]。", PASSAGES)
    assert not c.sentences[0].verified


def test_figure_in_two_passages_cannot_be_repointed() -> None:
    twice = [*PASSAGES, "另一段：城镇新增就业5万人以上。"]
    s = verify("城镇新增就业5万人以上[1]。", twice).sentences[0]
    assert not s.verified and s.citations == (1,)


@pytest.mark.parametrize("marker", ["[0]", "[9]", "[passage 1]", "[1", "(1)"])
def test_malformed_or_out_of_range_markers_are_no_citation(marker: str) -> None:
    twice = [*PASSAGES, "另一段：城镇新增就业5万人以上。"]
    s = verify(f"城镇新增就业5万人以上{marker}。", twice).sentences[0]
    assert not s.verified
    assert s.citations == ()


@pytest.mark.parametrize(
    "reply", [REFUSAL_ZH, REFUSAL_EN, "资料中未提及今年新建机场的数量。", "This is not mentioned."]
)
def test_refusal_is_an_abstention(reply: str) -> None:
    c = verify(reply, PASSAGES)
    assert c.refused and c.sentences == () and c.text == ""


def test_refusal_next_to_an_answer_is_no_abstention() -> None:
    c = verify("地区生产总值增长6.1%[1]。其他数字资料中未提及。", PASSAGES)
    assert not c.refused and [s.verified for s in c.sentences] == [True]


def test_year_from_the_question_or_citation_counts_as_supported() -> None:
    c = verify("2025年城镇新增就业5万人以上[2]。", PASSAGES, question="2025年城镇新增就业目标是多少？")
    assert c.sentences[0].verified
    c = verify("2025年城镇新增就业5万人以上[2]。", PASSAGES, labels=["a", "某省2025年报告 · ¶ 3 · lines 7–9", "c"])
    assert c.sentences[0].verified
    c = verify("2019年城镇新增就业5万人以上[2]。", PASSAGES)
    assert not c.sentences[0].verified


def test_sentence_text_keeps_the_replys_own_punctuation() -> None:
    s = verify("主要目标是：城镇新增就业5万人以上，价格涨幅2%左右［２］。", PASSAGES).sentences[0]
    assert s.text == "主要目标是：城镇新增就业5万人以上，价格涨幅2%左右。" and s.citations == (2,) and s.verified


def test_figure_in_chinese_numerals_must_occur_as_written() -> None:
    assert not verify("地区生产总值增长百分之七[1]。", PASSAGES).sentences[0].verified
    ok = verify("预计增长百分之八[1]。", ["全年增长百分之八，就业稳定。"]).sentences[0]
    assert ok.verified
