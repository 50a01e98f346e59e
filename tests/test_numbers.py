"""The one number grammar (reportqa.index.text.numbers): values with units, qualifiers, ranges, Chinese numerals."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reportqa.index.text.numbers import Parsed, cn_number, find_values, fold, parse_value, split_multiplier
from reportqa.index.text.tokens import number_mentions, tokenize


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5%左右", Parsed(5.0, 5.0, "%", "about")),
        ("4.5%—5%", Parsed(4.5, 5.0, "%", "range")),
        ("4.5%-5%", Parsed(4.5, 5.0, "%", "range")),
        ("4.5-5%", Parsed(4.5, 5.0, "%", "range")),
        ("5%到5.5%", Parsed(5.0, 5.5, "%", "range")),
        ("6.5%－7%", Parsed(6.5, 7.0, "%", "range")),
        ("5.5%以内", Parsed(5.5, 5.5, "%", "at_most")),
        ("3%以下", Parsed(3.0, 3.0, "%", "at_most")),
        ("1200万人以上", Parsed(1200.0, 1200.0, "万人", "at_least")),
        ("1.3万亿斤以上", Parsed(1.3, 1.3, "万亿斤", "at_least")),
        ("５．５％左右", Parsed(5.5, 5.5, "%", "about")),
        ("约5%", Parsed(5.0, 5.0, "%", "about")),
        ("超过126万亿元", Parsed(126.0, 126.0, "万亿元", "at_least")),
        ("0.4个百分点", Parsed(0.4, 0.4, "个百分点", "exact")),
        ("7.4%", Parsed(7.4, 7.4, "%", "exact")),
        ("百分之五", Parsed(5.0, 5.0, "%", "exact")),
        ("百分之十一点八", Parsed(11.8, 11.8, "%", "exact")),
        ("百分之八左右", Parsed(8.0, 8.0, "%", "about")),
        ("一千一百万人", Parsed(1100.0, 1100.0, "万人", "exact")),
        ("两千亿元", Parsed(2000.0, 2000.0, "亿元", "exact")),
        ("5%上下", Parsed(5.0, 5.0, "%", "about")),
        ("8 ．8 ％", Parsed(8.8, 8.8, "%", "exact")),  # the 1990s reports' blanks around the decimal point
        ("3 ％以内", Parsed(3.0, 3.0, "%", "at_most")),
        ("2. 5%", Parsed(2.5, 2.5, "%", "exact")),  # a PDF line joined inside a number
    ],
)
def test_parse_value(text: str, expected: Parsed) -> None:
    assert parse_value(text) == expected


@pytest.mark.parametrize("text", ["", "左右", "经济增长", "5%到2030"])
def test_not_one_value(text: str) -> None:
    assert parse_value(text) is None


def test_find_values_spans_are_exact_and_ranges_need_one_unit() -> None:
    text = "国内生产总值增长6.5%－7%，城镇新增就业1000万人以上；到2030年增长5%到2030年"
    got = [(v.text, v.parsed.modifier) for v in find_values(text)]
    assert ("6.5%－7%", "range") in got and ("1000万人以上", "at_least") in got
    assert ("5%", "exact") in got  # "5%到2030" is no range
    for v in find_values(text):
        assert text[v.start : v.end] == v.text


def test_split_multiplier_and_fold() -> None:
    assert split_multiplier("亿元") == (1e8, "元")
    assert split_multiplier("万亿斤") == (1e12, "斤")
    assert split_multiplier("个百分点") == (1.0, "个百分点")
    assert split_multiplier("%") == (1.0, "%")
    assert fold("４．５％—５％") == fold("4.5%-5%") == "4.5%-5%"
    assert cn_number("不是数") is None


def test_keyword_tokens_and_verifier_share_the_grammar() -> None:
    assert number_mentions("投资 2300 亿元，增长 8%，高于全国0.4个百分点，粮食1.3万亿斤") == [
        ("2300", "亿元"), ("8", "%"), ("0.4", "个百分点"), ("1.3", "万亿斤"),
    ]  # fmt: skip
    toks = tokenize("粮食产量1.3万亿斤以上")
    assert "1.3万亿斤" in toks


_units = st.sampled_from(["%", "万人", "亿元", "万亿斤", "个百分点", "吨"])
_quals = st.sampled_from(["", "左右", "以上", "以内", "以下"])
_modifier = {"": "exact", "左右": "about", "以上": "at_least", "以内": "at_most", "以下": "at_most"}


@given(
    st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False, allow_infinity=False), _units, _quals,
    st.booleans(),
)  # fmt: skip
def test_written_values_round_trip(n: object, unit: str, qual: str, wide: bool) -> None:
    num = str(n)
    written = num + unit + qual
    if wide:
        written = written.translate(str.maketrans("0123456789.%", "０１２３４５６７８９．％"))
    p = parse_value(written)
    assert p is not None
    assert p.low == p.high == pytest.approx(float(num))
    assert p.unit == unit and p.modifier == _modifier[qual]
    # found inside a sentence with its exact span
    sentence = f"某指标增长{written}，其他"
    (v,) = [v for v in find_values(sentence) if v.parsed.unit == unit]
    assert v.text == written and sentence[v.start : v.end] == written


@given(st.decimals(min_value=0, max_value=50, places=1), st.decimals(min_value=0, max_value=50, places=1),
       st.sampled_from(["—", "-", "－", "到", "至", "~"]))  # fmt: skip
def test_ranges_are_ordered(a: object, b: object, dash: str) -> None:
    p = parse_value(f"{a}%{dash}{b}%")
    assert p is not None and p.modifier == "range" and p.unit == "%"
    assert p.low == min(float(str(a)), float(str(b))) and p.high == max(float(str(a)), float(str(b)))
