"""Enumerations (qa/enumeration.py): a list's items paired with its values, the asked item's value as the answer
and the highlight (qa/support.py), values written in words (百分之X, N成), and qualitative standings."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportqa.index.figures.extract import QUALITATIVE_STANDING, QUALITATIVE_VALUE
from reportqa.index.text.numbers import NUMERAL_VALUE, numeral_unit
from reportqa.qa.enumeration import asked_item, enumerated_value, listings, parts, readings
from reportqa.qa.query import understand
from reportqa.qa.support import locate_asked, support


def _spans(sentence: str, values: list[str]) -> list[tuple[int, int]]:
    out, pos = [], 0
    for v in values:
        i = sentence.index(v, pos)
        out.append((i, i + len(v)))
        pos = i + len(v)
    return out


def _value(question: str, sentence: str) -> str | None:
    q = understand(question)
    s = support(q.asked, sentence)
    return None if s is None else s.value


# ---------------------------------------------------------------------------------------------- the module alone

ITEMS = st.lists(st.sampled_from(["粮食", "蔬菜", "水果", "肉类", "禽蛋", "水产品", "茶叶", "棉花", "油料", "糖料"]),
                 min_size=2, max_size=5, unique=True)  # fmt: skip
NUMBERS = st.lists(st.integers(min_value=1, max_value=9999), min_size=5, max_size=5, unique=True)


@settings(max_examples=60, deadline=None)
@given(ITEMS, NUMBERS, st.sampled_from(["、", "和"]), st.data())
def test_each_item_of_a_fenbie_list_gets_the_value_in_its_place(items: list[str], nums: list[int], last: str,
                                                                data: st.DataObject) -> None:  # fmt: skip
    values = [f"{n}万吨" for n in nums[: len(items)]]
    head = "、".join(items[:-1]) + ("、" if len(items) > 2 or last == "、" else "和") + items[-1]
    sentence = f"全年{head}产量分别达到" + "、".join(values[:-1]) + "和" + values[-1] + "。"
    i = data.draw(st.integers(min_value=0, max_value=len(items) - 1))
    found = enumerated_value(sentence, 0, len(sentence), _spans(sentence, values), f"{items[i]}产量是多少")
    assert found is not None
    assert found.item == i
    assert sentence[found.start : found.end] == values[i]


@settings(max_examples=40, deadline=None)
@given(ITEMS, NUMBERS, st.data())
def test_value_item_and_item_value_runs_pair_by_position(items: list[str], nums: list[int],
                                                         data: st.DataObject) -> None:  # fmt: skip
    values = [f"{n}个" for n in nums[: len(items)]]
    i = data.draw(st.integers(min_value=0, max_value=len(items) - 1))
    before = "培育" + "、".join(f"{v}{it}" for v, it in zip(values, items, strict=True)) + "基地。"
    found = enumerated_value(before, 0, len(before), _spans(before, values), f"要培育多少个{items[i]}")
    assert found is not None and before[found.start : found.end] == values[i]
    after = "建成" + "、".join(f"{it}{v}" for v, it in zip(values, items, strict=True)) + "。"
    found = enumerated_value(after, 0, len(after), _spans(after, values), f"建成多少个{items[i]}")
    assert found is not None and after[found.start : found.end] == values[i]


@settings(max_examples=40, deadline=None)
@given(ITEMS, st.lists(st.integers(min_value=1, max_value=9999), min_size=10, max_size=10, unique=True),
       st.sampled_from(["增加到", "提高到", "下降至", "到"]), st.data())  # fmt: skip
def test_a_fenbie_list_from_one_level_to_another_answers_with_the_level_reached(
    items: list[str], nums: list[int], verb: str, data: st.DataObject
) -> None:
    n = len(items)
    left, reached = [f"{x}家" for x in nums[:n]], [f"{x}家" for x in nums[n : 2 * n]]
    sentence = "认定" + "、".join(items) + "分别从" + "、".join(left) + verb + "、".join(reached) + "。"
    i = data.draw(st.integers(min_value=0, max_value=n - 1))
    found = enumerated_value(sentence, 0, len(sentence), _spans(sentence, left + reached), f"{items[i]}有多少家")
    assert found is not None and found.item == i
    assert sentence[found.start : found.end] == reached[i]


def test_no_item_named_or_two_alike_is_no_answer() -> None:
    s = "粮食、蔬菜产量分别达到108万吨、95万吨。"
    spans = _spans(s, ["108万吨", "95万吨"])
    assert enumerated_value(s, 0, len(s), spans, "全年水果产量是多少") is None
    assert asked_item(["粮食", "蔬菜"], "粮食和蔬菜") is None


def test_counts_that_differ_are_no_list() -> None:
    s = "粮食、蔬菜、水果产量分别达到108万吨、95万吨。"
    assert listings(s, 0, len(s), _spans(s, ["108万吨", "95万吨"])) == []


def test_items_split_at_the_dun_before_he() -> None:
    """ "金融业、软件和信息服务业增加值分别增长x、y": two items, 和 inside the second."""
    s = "金融业、软件和信息服务业增加值分别增长9.7%、15.3%。"
    (listing,) = listings(s, 0, len(s), _spans(s, ["9.7%", "15.3%"]))
    assert len(listing.items) == 2
    found = enumerated_value(s, 0, len(s), _spans(s, ["9.7%", "15.3%"]), "软件和信息服务业增加值增长多少")
    assert found is not None and s[found.start : found.end] == "15.3%"


def test_single_character_items_share_the_last_items_rest() -> None:
    _prefix, own, tail = parts(["一", "二", "三产业增加值"])
    assert own == ["第一", "第二", "第三"] and tail == "产业增加值"
    assert readings(["改造老旧供热", "燃气", "排水管网"])[1] == "改造老旧燃气管网"
    assert readings(["中", "高等职业教育在校生"])[0] == "中等职业教育在校生"


def test_a_continuation_gives_a_second_value_list_chosen_by_the_question() -> None:
    s = "“上海标准”、“上海品牌”分别新增12项和44项，累计分别达到64项和288项。"
    values = _spans(s, ["12项", "44项", "64项", "288项"])
    new = enumerated_value(s, 0, len(s), values, "上海品牌新增多少项")
    total = enumerated_value(s, 0, len(s), values, "上海品牌累计达到多少项")
    assert new is not None and s[new.start : new.end] == "44项"
    assert total is not None and s[total.start : total.end] == "288项"


# ---------------------------------------------------------------------------------------------- through support


@pytest.mark.parametrize(
    ("question", "sentence", "want"),
    [
        ("第二产业增加值增长多少？", "一、二、三产业增加值分别增长4.2%、5%、5.4%。", "5%"),
        (
            "今年要改造多少公里老旧燃气管网？",
            "改造老旧供热、燃气、排水管网800公里、600公里、300公里，完成工程。",
            "600公里",
        ),
        ("羊出栏增长了多少？", "一产增加值增长5.5%，牛羊出栏分别增长5.2%、1.9%。", "1.9%"),
        ("要培育多少个国家级产业集群？", "着力培育6个世界级、7个国家级、9个区域级产业集群。", "7个"),
        ("药品抽检合格率是多少？", "食品、药品抽检合格率分别超98.5%和99%。", "99%"),
        ("食品抽检合格率是多少？", "食品、药品抽检合格率分别超98.5%和99%。", "98.5%"),
        (
            "化肥产量达到多少？",
            "主要工业产品产量继续增加，水泥和化肥分别达到２．４８亿吨和１９８８万吨。",
            "１９８８万吨",
        ),
    ],
)
def test_support_answers_the_asked_item(question: str, sentence: str, want: str) -> None:
    assert _value(question, sentence) == want


def test_the_highlight_marks_the_asked_items_value_not_another() -> None:
    q = understand("蔬菜产量是多少？")
    s = "粮食、蔬菜、肉蛋奶产量分别达108万吨、95万吨、60万吨。"
    assert locate_asked(q.asked, q.keywords, s).figure == "95万吨"


def test_an_item_the_list_does_not_hold_is_not_answered_from_it() -> None:
    assert _value("水果产量是多少？", "粮食、蔬菜产量分别达到108万吨、95万吨。") is None


@pytest.mark.parametrize(
    ("question", "want"),
    [("How much aluminium capacity was eliminated?", "120万吨"), ("How much coal capacity was eliminated?", "1.1亿吨")],
)
def test_an_english_single_character_word_names_its_item(question: str, want: str) -> None:
    # aluminium → 铝: one character, never a two-character run of the item; the last item was cut to the first's
    # length (电解) before
    assert _value(question, "煤炭、电解铝分别淘汰落后生产能力1.1亿吨和120万吨。") == want


def test_a_last_item_longer_than_the_others_is_named_by_its_own_words() -> None:
    s = "对东盟、共建“一带一路”国家进出口总额分别增长10.4%、12.1%。"
    values = _spans(s, ["10.4%", "12.1%"])
    last = enumerated_value(s, 0, len(s), values, "共建一带一路国家进出口增长多少")
    assert last is not None and s[last.start : last.end] == "12.1%"
    first = enumerated_value(s, 0, len(s), values, "对东盟进出口增长多少")
    assert first is not None and s[first.start : first.end] == "10.4%"
    # the tail the items share names no item
    assert enumerated_value(s, 0, len(s), values, "进出口总额增长多少") is None


@pytest.mark.parametrize(
    ("question", "sentence", "want"),
    [
        ("高速公路通车里程有多长？", "其中高速公路通车里程由4771公里增加到2.52万公里。", "2.52万公里"),
        ("国家级高新技术企业有多少家？", "国家级高新技术企业从0.94万家增至1.55万家。", "1.55万家"),
        ("粮食产量增长多少？", "粮食产量增长3%至5%。", "3%"),
    ],
)
def test_a_value_reached_from_another_is_the_answer(question: str, sentence: str, want: str) -> None:
    assert _value(question, sentence) == want


# ---------------------------------------------------------------------------------------------- values in words


@settings(max_examples=50, deadline=None)
@given(st.integers(min_value=1, max_value=99))
def test_percent_in_words_is_a_value_of_unit_percent(n: int) -> None:
    import cn2an

    words = "百分之" + cn2an.an2cn(n)
    m = NUMERAL_VALUE.search(f"增长{words}，")
    assert m is not None and m.group(0) == words and numeral_unit(m) == "%"


def test_tenths_are_values_and_words_with_cheng_are_not() -> None:
    m = NUMERAL_VALUE.search("七成以上")
    assert m is not None and numeral_unit(m) == "成"
    for text in ("完成任务", "“十四五”成效", "十四五成效显著", "一成不变", "建成投产"):
        assert NUMERAL_VALUE.search(text) is None, text


def test_the_adverb_yidu_is_no_degree() -> None:
    assert NUMERAL_VALUE.search("我国外贸出口一度出现负增长") is None
    for text, value in (("节约一度电", "一度"), ("气温下降三度", "三度")):
        m = NUMERAL_VALUE.search(text)
        assert m is not None and m.group(0) == value and numeral_unit(m) == "度", text


def test_an_enumeration_in_percent_words_pairs() -> None:
    s = "质量指标和消耗指标分别有百分之四十三和百分之五十五没有恢复。"
    assert _value("消耗指标有百分之多少没有恢复？", s) == "百分之五十五"


# ---------------------------------------------------------------------------------------------- qualitative standings


@pytest.mark.parametrize("phrase", QUALITATIVE_STANDING)
def test_every_standing_is_read_where_a_value_starts(phrase: str) -> None:
    m = QUALITATIVE_VALUE.match(phrase + "。")
    assert m is not None and phrase in m.group(0)


@pytest.mark.parametrize(
    ("question", "sentence", "want"),
    [
        ("主要污染物排放量的目标是什么？", "单位国内生产总值能耗下降3.4%以上，主要污染物排放量继续下降。", "继续下降"),
        ("国际收支的目标是什么？", "城镇登记失业率控制在4.6%以内，国际收支基本平衡，努力实现增长。", "基本平衡"),
        ("居民收入增长目标是什么？", "居民消费价格涨幅2%左右，居民收入增长与经济增长同步。", "与经济增长同步"),
    ],
)
def test_qualitative_targets_are_highlighted(question: str, sentence: str, want: str) -> None:
    got = _value(question, sentence)
    assert got is not None and re.sub(r"^(?:保持|实现)", "", got).startswith(want.removeprefix("保持"))


def test_items_and_values_before_a_fenbie_of_changes() -> None:
    from reportqa.qa.query import understand
    from reportqa.qa.support import locate_asked

    s = "2012年底，城镇和农村人均住房面积32.9平方米、37.1平方米，分别比2007年增加2.8平方米和5.5平方米；"
    asked = [
        ("2012年底农村人均住房面积是多少？", "37.1平方米"),
        ("城镇人均住房面积是多少？", "32.9平方米"),
        ("What was the per-capita housing floor space of rural residents at the end of 2012?", "37.1平方米"),
    ]
    for q, want in asked:
        u = understand(q)
        assert locate_asked(u.asked, u.keywords, s).figure == want, q


def test_the_asked_words_choose_among_a_x_b_y_clauses() -> None:
    from reportqa.qa.query import understand
    from reportqa.qa.support import locate_asked

    s = "五年建成新线5944公里，复线4603公里，电气化线路5704公里。"
    u = understand("过去五年建成铁路复线多少公里？")  # 铁路 is not in the sentence: the defining word 复线 decides
    assert locate_asked(u.asked, u.keywords, s).figure == "4603公里"
    u = understand("过去五年建成电气化铁路多少公里？")
    assert locate_asked(u.asked, u.keywords, s).figure == "5704公里"


def test_english_kinds_of_schooling_pick_their_item() -> None:
    from reportqa.qa.query import understand
    from reportqa.qa.support import locate_asked

    s = "更加重视职业教育发展，2007年中、高等职业教育在校生分别达到2000万人和861万人。"
    u = understand("How many students were enrolled in higher vocational education in 2007?")
    assert locate_asked(u.asked, u.keywords, s).figure == "861万人"
    u = understand("How many students were enrolled in secondary vocational education in 2007?")
    assert locate_asked(u.asked, u.keywords, s).figure == "2000万人"


@pytest.mark.parametrize(("question", "want"), [("游客花费增长多少？", "8.4%"), ("接待游客增长多少？", "8%"),
                                                ("By how much did tourist spending grow?", "8.4%")])  # fmt: skip
def test_fenbie_opening_its_clause_takes_the_items_of_the_clause_before(question: str, want: str) -> None:
    assert _value(question, "全年接待游客3.23亿人次、游客花费3700亿元，分别增长8%、8.4%，成为向往的远方。") == want


def test_a_clause_before_whose_parts_name_no_item_is_no_list() -> None:
    # 1万元 names nothing: the two values are 城乡's (town first, countryside second), not a list's items
    assert _value("农村居民收入增长多少？", "城乡居民收入突破4万元和1万元，分别增长5.1%和7.3%。") == "7.3%"


def test_an_english_question_about_deaths_takes_the_death_toll_not_the_accident_count() -> None:
    s = "生产安全事故起数和死亡人数分别下降48.9%、54.3%，社会大局保持和谐稳定。"
    assert _value("By how much did the number of deaths in work-safety accidents fall?", s) == "54.3%"
    assert _value("By how much did the number of work-safety accidents fall?", s) == "48.9%"


@pytest.mark.parametrize(
    ("question", "sentence", "value"),
    [
        ("广西重点帮扶县数量要怎样？", "保持帮扶政策和重点帮扶县数量总体稳定。", "总体稳定"),
        ("How did benefit standards such as pensions and the minimum wage change?",
         "养老金、医保、低保、最低工资等民生保障待遇标准稳步提高，服务类社会救助试点全面完成。", "稳步提高"),
        ("What happened to the number of safety accidents and related deaths?",
         "全年安全事故起数和死亡人数双下降。", "双下降"),
        ("水土流失情况怎么样？", "水土流失面积和强度持续“双下降”，高标准打造幸福河湖100条（个）。", "持续“双下降”"),
    ],
)  # fmt: skip
def test_how_it_stands_is_answered_by_the_words_ending_its_clause(question: str, sentence: str, value: str) -> None:
    assert understand(question).asked.manner
    assert _value(question, sentence) == value


def test_how_much_is_not_answered_by_words_a_few_words_on() -> None:
    # 外资 shares 稳量提质 with 外贸: a question asking how much foreign trade grows wants a figure
    q = understand("湖南今年外贸要增长多少？")
    assert not q.asked.manner
    assert _value("湖南今年外贸要增长多少？", "推动外贸外资稳量提质。") is None


def test_a_latin_named_item_shares_the_value_ending_the_clause() -> None:
    s = "燃煤锅炉超低排放改造加力推进，优良天数比例、PM2.5年均浓度均优于全国。"
    assert _value("黑龙江2025年优良天数比例是多少？", s) == "均优于全国"


@pytest.mark.parametrize(
    ("question", "value"),
    [("卫生支出比上年增长多少？", "65.4%"), ("教育支出增长了多少？", "39.4%"), ("教育支出是多少？", "536亿元"),
     ("By how much did central government spending on health rise?", "65.4%"),
     ("How much did central government spend on culture?", "123亿元")],
)  # fmt: skip
def test_a_clause_of_changes_after_a_list_is_its_items_second_list(question: str, value: str) -> None:
    # "，比上年增长x、y…" gives each item's change without a 分别 of its own: the asked unit picks that list
    sentence = ("全年中央财政用于科技、教育、卫生和文化事业的支出分别为774亿元、536亿元、138亿元和123亿元，"
                "比上年增长29.2%、39.4%、65.4%和23.9%。")  # fmt: skip
    assert _value(question, sentence) == value
    q = understand(question)
    assert locate_asked(q.asked, q.keywords, sentence).figure == value


def test_a_single_change_after_a_list_is_no_second_list() -> None:
    sentence = "粮食、蔬菜产量分别达108万吨、95万吨，比上年增长3%。"
    assert _value("蔬菜产量是多少？", sentence) == "95万吨"


@pytest.mark.parametrize(
    ("question", "value"),
    [("城镇居民人均可支配收入实际增长多少？", "7.7%"), ("农村居民人均纯收入增长了多少？", "6.8%"),
     ("What was the real growth of rural per capita net income?", "6.8%")],
)  # fmt: skip
def test_an_aside_between_the_items_and_their_changes_is_no_item(question: str, value: str) -> None:
    # "扣除价格因素" (how the change is counted) stands between the clauses naming the items and 分别
    sentence = "城镇居民人均可支配收入9422元，农村居民人均纯收入2936元，扣除价格因素，分别实际增长7.7%和6.8%。"
    assert _value(question, sentence) == value


@pytest.mark.parametrize(
    "question",
    ["How many person-times of vocational skills training are planned?",
     "How many people will get vocational skills training?", "职业技能培训多少人？"],
)  # fmt: skip
def test_people_counted_in_person_times(question: str) -> None:
    # 人次 counts people (trainings, visits): "person-times" is no multiple (倍), and "how many people" / 多少人 takes
    # the asked item's 人次 — not the next item's, whose 人 merely follows an earlier "人次" in the clause
    sentence = "职业技能培训20万人次以上、创业带动就业5万人次以上。"
    assert understand(question).asked.unit in ("人", "人次")
    assert _value(question, sentence) == "20万人次以上"
