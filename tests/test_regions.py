"""Region and year knowledge (index/text/regions.py, index/text/years.py)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from reportqa.index.text.regions import CITY, NATIONAL, PROVINCE, REGIONS, city_from_title, find_regions, region_by_name
from reportqa.index.text.years import (
    cn_small_int,
    cn_year,
    explicit_years,
    find_dates,
    is_year_token,
    resolve_years,
    year_of_first_month,
)

MANIFEST = Path(__file__).parent / "data" / "corpus" / "MANIFEST.tsv"


def _names(text: str) -> list[str]:
    return [r.name for r in find_regions(text)]


def test_table_has_31_mainland_provinces_and_the_nation() -> None:
    provinces = [r for r in REGIONS if r.level == PROVINCE and "特别行政区" not in r.name]
    assert len(provinces) == 31
    assert [r.name for r in REGIONS if r.level == NATIONAL] == ["全国"]
    shorts = [r.short for r in REGIONS]
    assert len(set(shorts)) == len(shorts)


def test_every_manifest_region_is_tabled() -> None:
    with MANIFEST.open(encoding="utf-8") as f:
        regions = {row["region"] for row in csv.DictReader(f, delimiter="\t")}
    for name in regions:
        r = region_by_name(name)
        assert r is not None and r.name == name, name
        assert find_regions(f"{name}政府工作报告") == [r]


def test_full_short_english_and_pinyin_forms() -> None:
    assert _names("西藏自治区和西藏") == ["西藏自治区"]
    assert _names("Tibet") == _names("xizang") == _names("TIBETAN herders") == ["西藏自治区"]
    assert _names("Inner Mongolia") == _names("neimenggu") == _names("内蒙古") == ["内蒙古自治区"]
    assert _names("广西壮族自治区") == _names("Guangxi") == ["广西壮族自治区"]
    assert _names("Compare Beijing's and Shanghai's 2026 GDP targets") == ["北京市", "上海市"]


def test_shanxi_and_shaanxi_are_different() -> None:
    assert _names("Shaanxi then Shanxi") == ["陕西省", "山西省"]
    assert _names("陕西和山西") == ["陕西省", "山西省"]


def test_order_of_first_mention_and_no_repeats() -> None:
    assert _names("湖南、湖北、湖南省") == ["湖南省", "湖北省"]


def test_no_false_hits_inside_other_words() -> None:
    assert _names("浙江西部") == ["浙江省"]  # not 江西
    assert _names("黄河南岸的生态") == []  # not 河南
    assert _names("推进中国式现代化") == []
    assert _names("Jilinese") == []  # whole words only
    assert _names("the regional economy") == []


def test_national_level() -> None:
    for text in ("全国", "国务院", "中华人民共和国", "China", "national targets", "the State Council"):
        assert _names(text) == ["全国"], text


def test_region_by_name_any_form() -> None:
    assert region_by_name("Xizang") == region_by_name("西藏") == region_by_name("西藏自治区")
    r = region_by_name("innermongolia")
    assert r is not None and r.short == "内蒙古"
    assert region_by_name("Atlantis") is None
    c = region_by_name("成都市")
    assert c is not None and (c.name, c.short, c.level) == ("成都市", "成都", CITY)


def test_city_from_title() -> None:
    c = city_from_title("2026年成都市政府工作报告")
    assert c is not None and (c.name, c.short, c.level) == ("成都市", "成都", CITY)
    c = city_from_title("2025年四川省绵阳市人民政府工作报告")
    assert c is not None and c.name == "绵阳市"
    m = city_from_title("2026年重庆市政府工作报告")
    assert m is not None and m.level == PROVINCE  # municipalities are provinces
    assert city_from_title("2026年安徽省政府工作报告") is None


@pytest.mark.parametrize(
    ("text", "year", "expected"),
    [
        ("今年的目标和去年的完成情况", 2026, [2026, 2025]),
        ("前年、明年", 2026, [2024, 2027]),
        ("What was achieved last year and what is planned this year?", 2024, [2023, 2024]),
        ("今年 vs 2023年", None, [2023]),
        ("2024年和2025年", 2026, [2024, 2025]),
    ],
)
def test_resolve_years(text: str, year: int | None, expected: list[int]) -> None:
    assert resolve_years(text, year) == expected


def test_explicit_years_forms_and_range() -> None:
    assert explicit_years("二〇二六年，一九七九年，２０２５年") == [2026, 1979, 2025]
    assert explicit_years("1840年 2101年 12026") == []
    assert explicit_years("投资2000亿元，增长2030万人") == []
    assert is_year_token("2026") and not is_year_token("1800") and not is_year_token("20260")
    assert cn_year("二〇二六") == 2026 and cn_year("二二") is None


def test_dates() -> None:
    assert [d.iso for d in find_dates("——2026年1月31日在安徽省第十四届人民代表大会")] == ["2026-01-31"]
    assert [d.iso for d in find_dates("一九七九年六月十八日在第五届全国人民代表大会")] == ["1979-06-18"]
    assert [d.iso for d in find_dates("二〇二一年三月五日")] == ["2021-03-05"]
    assert find_dates("2026年13月40日") == []
    assert [cn_small_int(s) for s in ("六", "十", "十八", "二十一", "三十", "x")] == [6, 10, 18, 21, 30, None]
    assert year_of_first_month("—2024 年 1 月 7日在西藏自治区") == 2024


def test_english_region_names_map_to_the_chinese_names_reports_use() -> None:
    from reportqa.qa.glossary import chinese_keywords

    words = chinese_keywords("What is Jilin's GDP growth target for 2026?")
    assert words[:2] == ["吉林", "吉林省"] and "地区生产总值" in words
    assert chinese_keywords("Tibet or Xizang?")[:2] == ["西藏", "西藏自治区"]
    assert chinese_keywords("the State Council's national targets")[0] == "全国"
    assert chinese_keywords("西藏的目标") == []  # Chinese names are already in the question


def test_region_names_are_not_english_stop_words() -> None:
    from reportqa.index.text.tokens import tokenize

    tokens = tokenize("What is the Tibet Autonomous Region's target?", question=True)
    assert "tibet" in tokens and any(t.startswith("autonom") for t in tokens)
    assert any(t.startswith("region") for t in tokens)


def test_city_named_as_the_reports_own_government() -> None:
    from reportqa.index.text.regions import city_in

    for text in ("2031年示例市政府工作报告", "在示例市第十九届人民代表大会", "示例市人民政府市长"):
        c = city_in(text)
        assert c is not None and (c.name, c.level) == ("示例市", CITY), text
    assert city_in("推进城市更新") is None


def test_region_names_are_not_keyword_search_terms() -> None:
    from reportqa.qa.retrieval import glossary_tokens

    assert not {"吉林", "吉林省"} & set(glossary_tokens("What is Jilin's GDP growth target?"))
