"""The support check (qa/support.py): a clause states the asked quantity — enumerations, narrowing qualifiers,
quantities no indicator lists, who/when, qualitative values — and the verifier uses the same check."""

from __future__ import annotations

import cn2an
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportqa.index.text.numbers import NUMERAL_VALUE
from reportqa.qa.answer import asked, has_asked_figure
from reportqa.qa.answerable import check_asked
from reportqa.qa.query import understand
from reportqa.qa.support import locate_asked, support
from reportqa.qa.verify import verify


def _value(question: str, sentence: str) -> str | None:
    q = understand(question)
    s = support(q.asked, sentence)
    return None if s is None else s.value


# ---------------------------------------------------------------------------------------------- the asked thing


def test_the_query_states_the_asked_quantity_and_kind() -> None:
    q = understand("2024年蔬菜产量是多少？")
    assert q.asked.kind == "number"
    assert [t.words for t in q.asked.terms] == [("蔬菜",), ("产量",)]
    urban = understand("城镇居民人均可支配收入增长多少？").asked
    assert "城镇" in urban.qualifiers and urban.terms[0].indicator == "income_growth"
    assert understand("这份报告是谁作的？").asked.kind == "who"
    assert understand("When was the report delivered?").asked.kind == "date"
    assert understand("第九届亚冬会是在哪个城市举办的？").asked.kind == "place"
    assert understand("今年要实施哪些重大工程？").asked.kind == "list"
    assert understand("今年是否提高最低工资标准？").asked.kind == "yesno"


def test_an_english_question_gets_the_reports_words() -> None:
    a = understand("What was the grain output in 2023?").asked
    assert any(t.indicator == "grain_output" for t in a.terms)
    marine = understand("What was the marine economy output in 2025?").asked
    assert "海洋" in marine.qualifiers


# ---------------------------------------------------------------------------------------------- enumerations


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("2023年粮食产量是多少？", "108 万吨"),
        ("2023年蔬菜产量是多少？", "95万吨"),
        ("肉蛋奶产量达到多少？", "60万吨"),
        ("What was the output of vegetables?", "95万吨"),
    ],
)
def test_an_enumeration_answers_each_item_with_its_own_value(question: str, expected: str) -> None:
    s = "全年粮食、蔬菜、肉蛋奶产量分别达 108 万吨、95万吨、60万吨，农牧民收入较快增长。"
    assert _value(question, s) == expected
    q = understand(question)
    assert check_asked(q, s, s, {}).passed
    assert locate_asked(q.asked, q.keywords, s).figure == expected


def test_an_enumeration_without_fenbie_and_with_he() -> None:
    s = "改造老旧供热、燃气、排水管网800公里、600公里、300公里，完成水库增容工程。"
    assert _value("今年要改造多少公里老旧排水管网？", s) == "300公里"
    s2 = "适龄儿童入园率和普惠率分别达96%和94%；"
    assert _value("适龄儿童普惠率达到了多少？", s2) == "94%"
    assert _value("适龄儿童入园率达到了多少？", s2) == "96%"


_CROPS = ["小麦", "玉米", "蔬菜", "水果", "茶叶", "油料", "棉花", "食用菌"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(_CROPS), min_size=2, max_size=5, unique=True), st.data())
def test_any_item_of_any_list_gets_the_value_in_its_place(items: list[str], data: st.DataObject) -> None:
    values = [f"{10 + 7 * i}.{i}万吨" for i in range(len(items))]
    s = f"{'、'.join(items)}产量分别达到{'、'.join(values)}。"
    k = data.draw(st.integers(0, len(items) - 1))
    assert _value(f"{items[k]}产量是多少？", s) == values[k]


_TRADE = ["进口", "出口", "游客花费", "旅游收入", "快递业务量", "邮政业务总量"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(_TRADE), min_size=2, max_size=4, unique=True), st.data())
def test_a_fenbie_clause_after_one_clause_per_item_gives_each_its_change(items: list[str], data: st.DataObject) -> None:
    # "进口1.2万亿元，出口2.3万亿元，分别增长3.1%和5.2%": each clause names its item before its own level, the
    # changes follow in one list — the asked item's change is the one in its place, never the list's first
    levels = [f"{1 + i}.{i + 2}万亿元" for i in range(len(items))]
    rates = [f"{3 + 2 * i}.{i + 1}%" for i in range(len(items))]
    lead = data.draw(st.sampled_from(["", "全年", "2000年"]))
    s = lead + "，".join(f"{x}{y}" for x, y in zip(items, levels, strict=True)) + f"，分别增长{'、'.join(rates)}。"
    k = data.draw(st.integers(0, len(items) - 1))
    assert _value(f"{items[k]}增长了多少？", s) == rates[k]
    assert _value(f"{items[k]}是多少？", s) == levels[k]  # its level, asked without a change, is its own clause's


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(_TRADE), min_size=2, max_size=4, unique=True), st.data())
def test_a_change_list_after_items_with_their_own_figures_answers_only_the_change(
    items: list[str], data: st.DataObject
) -> None:
    # "接待游客3.23亿人次、游客花费3700亿元，分别增长8%、8.4%": the items' own figures stand in the clause before
    # the 分别 list of changes — a question asking an item's figure (no change named) gets its own, not its change
    units = st.sampled_from(["亿人次", "万亿元", "亿元", "万人次", "亿件"])
    drawn = data.draw(st.lists(units, min_size=len(items), max_size=len(items)))
    levels = [f"{1 + i}.{i + 2}{u}" for i, u in enumerate(drawn)]
    rates = [f"{3 + 2 * i}.{i + 1}%" for i in range(len(items))]
    lead = data.draw(st.sampled_from(["", "全年", "累计"]))
    sep = data.draw(st.sampled_from(["、", "，"]))  # one clause for all items, or one clause per item
    s = lead + sep.join(f"{x}{y}" for x, y in zip(items, levels, strict=True)) + f"，分别增长{'、'.join(rates)}。"
    k = data.draw(st.integers(0, len(items) - 1))
    assert _value(f"{items[k]}是多少？", s) == levels[k]
    assert _value(f"{items[k]}增长了多少？", s) == rates[k]


_RATES = ["投资", "消费", "出口", "工业", "服务业", "制造业投资"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(_RATES), min_size=2, max_size=4, unique=True), st.data())
def test_a_list_writing_its_unit_once_gives_each_item_its_own_value(items: list[str], data: st.DataObject) -> None:
    # "投资、消费增速分别快于全国3.4个、1个百分点" / "分别提高15、22个百分点": the unit written after the last value is
    # every value's — the first values (bare, or with 个 of 个百分点) are of the asked unit too, each in its place
    unit = data.draw(st.sampled_from(["个百分点", "%"]))
    cut = data.draw(st.sampled_from(["", "个"])) if unit == "个百分点" else ""
    nums = [f"{2 * i + 1}.{i + 4}" for i in range(len(items))]
    shown = [x + cut for x in nums[:-1]] + [nums[-1] + unit]
    verb = data.draw(st.sampled_from(["快于全国", "提高", "高于全国"]))
    s = f"{'、'.join(items)}增速分别{verb}{'、'.join(shown)}。"
    k = data.draw(st.integers(0, len(items) - 1))
    asked = data.draw(st.sampled_from(["多少", f"多少{unit}"]))
    assert _value(f"{items[k]}增速{verb}{asked}？", s) == shown[k]


@pytest.mark.parametrize("currency", ["美元", "欧元", "港元"])
def test_a_list_in_a_foreign_currency_gives_each_item_its_own_value(currency: str) -> None:
    # 433亿美元 read as 433亿 then 美元 broke the value run (美元和 between two values): the first value answered both
    s = f"非金融类对外直接投资和对外工程承包营业额分别达433亿{currency}和777亿{currency}。"
    assert _value("对外工程承包营业额是多少？", s) == f"777亿{currency}"
    assert _value(f"非金融类对外直接投资多少亿{currency}？", s) == f"433亿{currency}"


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["入境过夜", "省外", "境外", "国内", "外籍"]), min_size=2, max_size=3, unique=True),
       st.sampled_from(["年均", "同比", ""]), st.data())  # fmt: skip
def test_a_later_list_naming_every_asked_word_answers_not_an_earlier_one_naming_some(
    kinds: list[str], how: str, data: st.DataObject
) -> None:
    # "接待游客人次、旅游总花费年均分别增长4.4%、10%，接待省外游客、入境过夜游客人次年均分别增长8.5%、80.9%":
    # 入境过夜游客人次 asked — the first list's 接待游客人次 shares most of its words, the second names them all
    first = ["4.4%", "10%"]
    rates = [f"{8 + i}.{i + 5}%" for i in range(len(kinds))]
    second = "、".join(f"{k}游客" for k in kinds[:-1]) + f"、{kinds[-1]}游客人次"
    s = f"接待游客人次、旅游总花费{how}分别增长{'、'.join(first)}，接待{second}{how}分别增长{'、'.join(rates)}。"
    k = data.draw(st.integers(0, len(kinds) - 1))
    assert _value(f"{kinds[k]}游客人次{how}增长了多少？", s) in (rates[k], None)  # never the first list's
    assert _value(f"{kinds[-1]}游客人次{how}增长了多少？", s) == rates[-1]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("残疾人两项补贴", "12.4亿元"),
        ("三大工程投资", "860亿元"),
        ("两个市场主体", "3.2万户"),
        ("五类人员就业", "8.6万人"),
    ],
)
@pytest.mark.parametrize("ask", ["是多少？", "有多少？"])
def test_a_numeral_inside_the_asked_name_is_no_value(name: str, value: str, ask: str) -> None:
    # 发放…残疾人两项补贴12.4亿元: 两项 is part of the name the question repeats, the value is after it
    s = f"提高城乡低保标准、覆盖119.2万人，发放高龄补贴32亿元、{name}{value}。"
    assert _value(name + ask, s) == value


@settings(max_examples=30, deadline=None)
@given(
    st.sampled_from([("接待", "游客", "入境过夜"), ("引进", "人才", "高层次"), ("签约", "项目", "重大产业")]),
    st.sampled_from(["实现旅游总花费", "新增市场主体"]),
    st.booleans(),
)
def test_a_phrase_written_apart_is_another_quantity_when_a_later_clause_writes_it_whole(
    phrase: tuple[str, str, str], other: str, first: bool
) -> None:
    # "接待入境过夜游客增长51.8%，接待游客、实现旅游总花费分别增长11.8%、11.5%": 接待游客 asked — the first clause
    # holds its words only around 入境过夜 (a narrower quantity), the list writes it whole
    verb, noun, narrow = phrase
    whole = f"{verb}{noun}"
    items = [whole, other] if first else [other, whole]
    s = f"{verb}{narrow}{noun}增长51.8%，{'、'.join(items)}分别增长11.8%、11.5%。"
    assert _value(f"{whole}增长了多少？", s) == ("11.8%" if first else "11.5%")


_RUN_ITEMS = ["新建改建高速公路", "农村公路", "查明煤炭资源量", "煤层气资源量", "推广节能空调", "高效照明灯具"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(_RUN_ITEMS), min_size=2, max_size=3, unique=True), st.data())
def test_a_rough_count_keeps_its_unit_in_an_item_value_run(items: list[str], data: st.DataObject) -> None:
    # "新建改建高速公路6700多公里、农村公路29万公里": 6700多公里 was read as 6700 (多 ended it), so a question in 公里
    # got the next item's 29万公里 (or 360多亿吨's question 2000多亿方's 2000多)
    units = data.draw(st.lists(st.sampled_from(["公里", "吨", "台", "人"]), min_size=len(items), max_size=len(items)))
    values = []
    for i, unit in enumerate(units):
        rough, mag = data.draw(st.sampled_from(["多", "余", ""])), data.draw(st.sampled_from(["", "万", "亿"]))
        values.append((f"{60 * i + 7}{rough}{mag}{unit}", mag + unit))
    s = "、".join(f"{x}{v}" for x, (v, _) in zip(items, values, strict=True)) + "。"
    k = data.draw(st.integers(0, len(items) - 1))
    assert _value(f"{items[k]}多少{values[k][1]}？", s) == values[k][0]


@pytest.mark.parametrize("unit", ["艘次", "架次", "班次"])
def test_a_count_of_trips_is_a_unit_not_a_word_the_clause_must_name(unit: str) -> None:
    # "邮轮母港接待邮轮91艘次、旅客30余万人次": 多少艘次 asked 艘 and kept 艘次 as a defining word, so the value
    # after it (30余万人次) answered
    s = f"航运服务集聚区新增企业476家，邮轮母港接待邮轮91{unit}、旅客30余万人次。"
    assert _value(f"邮轮母港接待邮轮多少{unit}？", s) == f"91{unit}"


def test_an_indicator_named_by_another_of_its_names_is_not_a_phrase_written_apart() -> None:
    # 居民收入 names the income indicator, which the report writes 居民人均可支配收入: a later 城乡居民收入比 writing
    # 居民收入 as the question does is another quantity, not the asked one
    s = "全体居民人均可支配收入增长5.1%，城乡居民收入比缩小到2.34。"
    assert _value("居民收入增长了多少？", s) == "5.1%"


def test_a_total_and_its_part_each_get_their_change() -> None:
    s = "2000年进出口总额达4743亿美元，其中出口2492亿美元，分别比1995年增长69％和67％。"
    assert _value("2000年出口比1995年增长多少？", s) == "67％"
    assert _value("2000年进出口总额比1995年增长多少？", s) == "69％"


def test_a_list_of_another_measure_is_no_value_of_the_asked_unit() -> None:
    # the growth list after 分别 is in %, the visitors asked in 人次: their own figure answers, not 8%
    s = "接待游客3.23亿人次、游客花费3700亿元，分别增长8%、8.4%。"
    assert _value("接待游客多少人次？", s) == "3.23亿人次"
    assert _value("游客花费增长多少？", s) == "8.4%"


# ---------------------------------------------------------------------------------------------- qualifiers


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        ("2025年地区生产总值是多少？", "全年海洋生产总值4.93万亿元，增长6%。"),
        ("城镇居民人均可支配收入是多少？", "农村居民人均可支配收入2.1万元，增长6.8%。"),
        ("工业增加值增长了多少？", "规上工业增加值增长7.2%，高于全国1.1个百分点。"),
        ("出口增长了多少？", "货物贸易进出口总额增长6.1%。"),
        ("乡村旅游接待人次是多少？", "全年接待游客人次增长12%、旅游收入增长15%。"),
    ],
)
def test_another_quantity_is_no_answer(question: str, sentence: str) -> None:
    q = understand(question)
    assert support(q.asked, sentence) is None
    v = check_asked(q, sentence, sentence, {})
    assert not v.passed and v.reason == "no_figure"


def test_the_asked_quantity_passes_beside_a_narrower_one() -> None:
    s = "地区生产总值5.2万亿元，海洋生产总值1.1万亿元。"
    assert _value("地区生产总值是多少？", s) == "5.2万亿元"
    assert _value("海洋生产总值是多少？", s) == "1.1万亿元"


def test_a_quantity_no_indicator_lists_needs_all_its_words_in_the_clause() -> None:
    q = understand("黑龙江2025年冰雪旅游收入是多少？")
    assert all(t.indicator is None for t in q.asked.terms)
    other = "冰雪季火热启航，全年旅游收入增长20%。"
    assert not check_asked(q, other, other, {}).passed
    right = "冰雪旅游收入达到1200亿元，增长18%。"
    assert _value(q.text, right) == "1200亿元"


def test_a_passage_holding_few_of_the_quantitys_words_is_no_answer_but_a_paraphrase_is() -> None:
    q = understand("河南2025年邮轮旅客吞吐量是多少？")
    passage = "全年接待游客8亿人次，港口货物吞吐量增长10%。"
    v = check_asked(q, passage, passage, {})
    assert not v.passed and v.reason == "no_figure"
    # no word in common at all: the question's words are its own, a value of the asked kind answers
    p = understand("去年翻新了多少个老小区？")
    s = "改造老旧小区 38 个，完善流动人口管理服务。"
    assert check_asked(p, s, s, {}).passed


# ---------------------------------------------------------------------------------------------- qualitative values


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        ("2026年居民收入增长的目标是什么？", "居民消费价格涨幅2%左右，居民收入增长和经济增长同步，粮食产量稳定。",
         "和经济增长同步"),
        ("土壤环境质量怎么样？", "土壤和地下水环境质量保持稳定。", "保持稳定"),
        ("2026年粮食产量目标是多少？", "居民收入和经济增长同步，粮食产量只增不减，减排降碳控制在国家下达目标内。",
         "只增不减"),
        ("固定资产投资的目标是什么？", "固定资产投资提质增效；", "提质增效"),
        # words no list of values in words holds: what the clause says of the asked thing answers a how-question
        ("这几年物价水平怎么样？", "在经济较快增长、物价水平较低的情况下，财政收入明显增加。", "较低"),
        ("物价怎么样？", "存款增加较多、物价持续负增长、利率水平较低。", "持续负增长"),
        ("去年茶叶生产怎么样？", "茶叶生产提档升级，茶园面积达到50万亩。", "提档升级"),
        ("How did the grain harvest fare last year?", "粮食生产再获丰收，蔬菜供应充足。", "再获丰收"),
    ],
)  # fmt: skip
def test_a_value_in_words_is_highlighted(question: str, sentence: str, expected: str) -> None:
    q = understand(question)
    assert check_asked(q, sentence, sentence, {}).passed
    assert locate_asked(q.asked, q.keywords, sentence).figure == expected


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        ("2031年财政收入的目标是什么？",
         "主要预期目标是：地区生产总值增长5%左右，一般公共预算收入稳中有增，城镇新增就业30万人以上。", "稳中有增"),
        ("去年外贸进出口情况怎样？", "过去一年，全省外贸进出口促稳提质，实际使用外资增长8%。", "促稳提质"),
        ("今年民间投资的目标是什么？", "今年，力争民间投资止跌回稳，社会消费品零售总额增长6%。", "止跌回稳"),
        ("主要污染物排放的目标是什么？", "单位地区生产总值能耗降低3%，主要污染物排放总量持续减少。", "持续减少"),
        ("去年消费市场表现怎样？", "去年消费市场回暖向好，社会消费品零售总额增长5%。", "回暖向好"),
        ("What is the target for fiscal revenue in 2031?",
         "主要预期目标是：一般公共预算收入稳中有增，居民消费价格涨幅2%左右。", "稳中有增"),
        ("How did exports do last year?", "去年全省出口逆势增长，进口下降2%。", "逆势增长"),
        ("去年全省生产安全事故怎么样？", "全省生产安全事故起数和死亡人数逐年“双下降”，连续61个月未发生重特大事故。",
         "逐年“双下降”"),
        ("去年棉花产量怎样？", "棉花产量略有减产，油料增产。", "略有减产"),
        ("外贸出口怎么样？", "受国际金融危机的影响，外贸出口一度出现负增长。", "一度出现负增长"),
        ("How did the RMB exchange rate behave?", "人民币汇率基本稳定，外汇储备增加。", "基本稳定"),
        ("How should city dwellers' income growth relate to economic growth this year?",  # 城镇, not all residents
         "城镇居民收入增长与经济增长保持基本同步，农村居民收入增长快于城镇居民。", "保持基本同步"),
    ],
)  # fmt: skip
def test_a_trend_in_words_ending_its_clause_is_the_value(question: str, sentence: str, expected: str) -> None:
    q = understand(question)
    assert check_asked(q, sentence, sentence, {}).passed
    assert locate_asked(q.asked, q.keywords, sentence).figure == expected


def test_a_number_later_in_the_sentence_wins_over_a_trend_in_words() -> None:
    s = "主要农产品产量稳步增长，粮食达到5亿吨，水果和茶叶（干毛茶）分别达到300万吨和12万吨。"
    assert _value("2031年茶叶（干毛茶）产量达到多少？", s) == "12万吨"  # not the 产量 of the first clause
    s = "外贸进出口稳中有增，出口增长4%，进口基本持平。"
    assert _value("去年进出口情况怎样？", s) == "稳中有增"


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        ("今年投资增长目标是什么？", "着力扩大有效需求，推动投资增长，促进消费提质。"),
        ("粮食产量是多少万吨？", "粮食产量稳步提高，农民收入持续增加。"),
        ("居民收入增长了多少？", "千方百计促进居民收入增长，扩大中等收入群体。"),
        ("工业增加值增长目标是什么？", "加快发展先进制造业，推动工业增加值增长提速提质。"),
    ],
)
def test_a_policy_or_a_trend_for_a_counted_unit_is_no_value(question: str, sentence: str) -> None:
    """A bare 增长 after the words is a policy, not a value; a trend does not answer 多少万吨."""
    q = understand(question)
    assert not check_asked(q, sentence, sentence, {}).passed
    assert locate_asked(q.asked, q.keywords, sentence).figure is None


# ---------------------------------------------------------------------------------------------- who / when


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("北京市市长 殷勇殷勇同志作政府工作报告。", "殷勇"),
        ("重庆市人民政府市长 胡衡华各位代表：现在，我代表市人民政府向大会报告工作", "胡衡华"),
        ("自治区主席 韦 韬各位代表：", "韦 韬"),
        ("国务院总理　李克强各位代表：现在，我代表国务院", "李克强"),
        ("自治区主席 艾尔肯·吐尼亚孜1月27日", "艾尔肯·吐尼亚孜"),
    ],
)
def test_who_is_answered_by_a_titled_name_not_by_the_figure_check(text: str, name: str) -> None:
    q = understand("这份报告是谁作的？")
    v = check_asked(q, text, text, {})
    assert v.passed and v.reason is None
    assert locate_asked(q.asked, q.keywords, text).figure == name


def test_who_without_a_name_is_declined_for_a_name_and_when_needs_a_date() -> None:
    q = understand("Who delivered the report?")
    v = check_asked(q, "各位代表：现在向大会报告工作。", "各位代表：现在向大会报告工作。", {})
    assert not v.passed and v.message is not None and "name" in v.message
    w = understand("报告是什么时候作的？")
    s = "——2026年1月25日在北京市第十六届人民代表大会第四次会议上"
    assert check_asked(w, s, s, {}).passed
    assert locate_asked(w.asked, w.keywords, s).figure == "2026年1月25日"


def test_the_passage_sentence_that_answers_is_the_one_named() -> None:
    q = understand("2023年蔬菜产量是多少？")
    first = "农业生产稳中向好。"
    passage = first + "全年粮食、蔬菜产量分别达 108 万吨、95万吨。"
    v = check_asked(q, first, passage, {})
    assert v.passed and v.sentence is not None and "95万吨" in v.sentence


# ---------------------------------------------------------------------------------------------- verify


def test_a_written_figure_is_verified_only_where_the_clause_attributes_it() -> None:
    passage = "全省生产总值4.93万亿元，增长5.5%；海洋经济加快发展。"
    wrong = verify("海洋生产总值是4.93万亿元[1]。", [passage])
    assert not wrong.sentences[0].verified
    right = verify("全省生产总值是4.93万亿元[1]。", [passage])
    assert right.sentences[0].verified
    rural = "城镇居民人均可支配收入5万元，农村居民人均可支配收入2万元。"
    assert not verify("城镇居民人均可支配收入是2万元[1]。", [rural]).sentences[0].verified
    assert verify("农村居民人均可支配收入是2万元[1]。", [rural]).sentences[0].verified


# ---------------------------------------------------------------------------------------------- fewer false declines


@settings(deadline=None)
@given(st.integers(min_value=1, max_value=99), st.sampled_from(["个", "家", "项", "届", "批"]))
def test_a_chinese_numeral_or_ordinal_is_a_value(n: int, unit: str) -> None:
    cn = cn2an.an2cn(n)
    for text in (f"建成{cn}{unit}基地", f"这是第{cn}{unit}"):
        m = NUMERAL_VALUE.search(text)
        assert m is not None and text.endswith(m.group(0) + ("基地" if "基地" in text else ""))
    assert NUMERAL_VALUE.search("统一大市场进一步提高") is None


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        ("全省建成几个国家级园区？", "全省建成国家级园区三个，省级园区十二个。", "三个"),
        ("地表水水质是几类？", "地表水水质保持Ⅱ类以上。", "Ⅱ类"),
        ("城镇居民人均可支配收入是多少？", "城乡居民人均可支配收入分别达到 4.8 万元和 1.9 万元。", "4.8 万元"),
        ("农村居民人均可支配收入是多少？", "城乡居民人均可支配收入分别达到 4.8 万元和 1.9 万元。", "1.9 万元"),
        ("农村居民收入增长多少？", "城乡居民收入突破 4 万元和 1 万元，分别增长 5.1%和 7.3%。", "7.3%"),
    ],
)
def test_values_without_digits_and_both_sides_of_chengxiang(question: str, sentence: str, expected: str) -> None:
    assert _value(question, sentence) == expected
    assert check_asked(understand(question), sentence, sentence, {}).passed


def test_an_everyday_word_finds_the_reports_synonym_but_a_narrower_quantity_does_not() -> None:
    s = "培育龙头企业8家，新增上市企业 5 家。"
    assert check_asked(understand("今年要推动几家本地公司上市？"), s, s, {}).passed
    other = "全年旅游收入增长20%。"
    assert not check_asked(understand("冰雪旅游收入是多少？"), other, other, {}).passed


def test_a_paraphrase_keeping_its_key_phrase_falls_back_to_a_value_in_the_sentence(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import reportqa.qa.answerable as answerable

    q = understand("去年有多少户牧民实现了住房和圈舍分开？")
    s = "完成人畜分居改造 2.5 万户，牧民居住条件明显改善。"
    v = check_asked(q, s, s, {})
    assert v.passed and v.evidence.get("fallback") == 1.0
    no_value = "牧民居住条件明显改善，人畜分居工作全面铺开。"
    assert not check_asked(q, no_value, no_value, {}).passed
    monkeypatch.setattr(answerable, "PARAPHRASE_FALLBACK", False)
    assert not check_asked(q, s, s, {}).passed
    # never for a narrowing word the question names: 乡村旅游 is not the report's 旅游
    r = understand("乡村旅游接待人次是多少？")
    t = "全年接待游客人次增长12%、旅游收入增长15%。"
    monkeypatch.setattr(answerable, "PARAPHRASE_FALLBACK", True)
    assert not check_asked(r, t, t, {}).passed


def test_the_partial_key_fallback_when_on_still_declines_a_narrower_quantity(monkeypatch: pytest.MonkeyPatch) -> None:
    import reportqa.qa.answerable as answerable

    monkeypatch.setattr(answerable, "PARTIAL_KEY_FALLBACK", True)
    q = understand("河南2025年邮轮旅客吞吐量是多少？")
    p = "全年接待游客8亿人次，港口货物吞吐量增长10%。"
    assert not check_asked(q, p, p, {}).passed


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        ("人均地区生产总值是多少？", "地区生产总值超 2300 亿元、增长 6%，人均突破 7 万元。", "7 万元"),
        ("What did per-capita GDP exceed?", "地区生产总值超 2300 亿元、增长 6%，人均突破 7 万元。", "7 万元"),
        ("地区生产总值是多少？", "地区生产总值超 2300 亿元、增长 6%，人均突破 7 万元。", "2300 亿元"),
        ("人均地区生产总值是多少？", "地区生产总值超 2300 亿元，人均公共预算支出 3 万元。", None),
    ],
)
def test_a_clause_opening_with_the_asked_narrowing_word_speaks_of_the_indicator_before(
    question: str, sentence: str, expected: str | None
) -> None:
    assert _value(question, sentence) == expected


def test_an_english_name_counts_joined_by_a_hyphen() -> None:
    """income-growth is the indicator's name income growth (specific, so it binds the clause); the value in words
    is marked, not another target's number."""
    from reportqa.index.text.indicators import builtin

    v = builtin()
    for text, ind in (("What income-growth target is set?", "income_growth"),
                      ("the fixed asset investment target", "fixed_investment_growth"),
                      ("the deficit-to-GDP ratio", "deficit_ratio"),
                      ("the deficit to GDP ratio", "deficit_ratio")):  # fmt: skip
        assert [m.indicator.id for m in v.mentions(text)] == [ind], text
    s = "主要预期目标是：地区生产总值增长6%左右，居民人均可支配收入增长与经济增长基本同步，城镇新增就业40万人以上。"
    q = understand("What income-growth target does the province set for 2031?")
    assert locate_asked(q.asked, q.keywords, s).figure == "与经济增长基本同步"


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        # the report or plan saying it frames the quantity: 提到, 规定 are no words its clause must hold
        ("1993年报告提到新开放了多少个沿边城市？", "新开放了５个沿江城市、１８个省会城市、１３个沿边城市。", "１３个"),
        ("1959年计划规定农业总产值比1958年增长多少？", "农业总产值比一九五八年增长百分之三十九。", "百分之三十九"),
        # a five-year plan's period is the paragraph's lead, not the clause's
        ("“六五”期间新增原油开采能力多少？", "五年内新增采煤能力八千万吨，原油开采能力五千万吨。", "五千万吨"),
        ("By the end of the 14th Five-Year Plan period, how many new energy vehicles were there?",
         "新能源汽车保有量达到356万辆。", "356万辆"),
        # a growth asked, given as a multiple
        ("How much did the supply of sugar increase?", "食盐增加了将近一倍，糖增加了2.3倍。", "2.3倍"),
    ],
)
def test_the_report_saying_it_and_the_plan_period_are_no_defining_words(
    question: str, sentence: str, expected: str
) -> None:
    q = understand(question)
    found = support(q.asked, sentence)
    assert found is not None and found.value == expected


def test_a_framing_verb_that_is_the_quantity_stays() -> None:
    from reportqa.qa.support import _framing

    assert _framing("规定", "1959年计划规定农业总产值增长多少") and _framing("提到", "报告里提到新增就业多少")
    assert _framing("提出", "提出的就业目标是多少")
    # no report or plan before it, no 的 right after it: the word is the quantity's
    assert not _framing("规定", "规定动作完成率是多少") and not _framing("表示", "表示满意的群众比例")


@pytest.mark.parametrize(
    "question",
    ["What does the 2017 report target for major pollutant emissions?", "河北2026年投资增长目标是什么？",
     "What is the target for grain output?"],
)  # fmt: skip
def test_a_target_asked_asks_a_value(question: str) -> None:
    # a target is a figure or a value in words: the check then wants one in the answer's clause
    assert understand(question).asked.kind == "number"
    q = understand("What does the 2017 report target for major pollutant emissions?")
    assert support(q.asked, "主要污染物排放量继续下降。") is not None


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        ("农民工务工规模有什么变化？", "农民工务工规模保持稳定，转移就业人数增加。", "保持稳定"),
        ("国际收支状况怎么样？", "外汇储备增加，国际收支状况良好。", "良好"),
        ("How was the balance of payments?", "外汇储备增加，国际收支状况良好。", "状况良好"),
        ("就业形势怎么样？", "城镇新增就业增加，就业形势持续稳定向好。", "持续稳定向好"),
        ("出口增长情况如何？", "“新三样”出口保持两位数增长。", "保持两位数增长"),
        ("出口增长怎么样？", "进口增长较快，出口增长相对缓慢。", "相对缓慢"),
        ("物价有什么要求？", "我们的物价，一定要保持基本稳定，否则会引起紊乱。", "保持基本稳定"),
        # everywhere or nothing left: a coverage or clearance target
        ("县域医共体建设要实现什么目标？", "加快项目建设，实现全区紧密型县域医共体建设全覆盖。", "全覆盖"),
        ("What is the target for old gas pipes?", "30年以上燃气管道动态清零，风险隐患有效化解。", "动态清零"),
    ],
)
def test_a_value_in_words_an_answer_marks(question: str, sentence: str, expected: str) -> None:
    q = understand(question)
    assert locate_asked(q.asked, q.keywords, sentence).figure == expected


@pytest.mark.parametrize(
    "question",
    ["How did China's exports grow in 1993?", "How has the employment situation changed?", "How long is the network?",
     "How was the region's soil environmental quality in 2025?", "就业形势怎么样？", "物价水平如何？",
     "安全生产状况要达到什么目标？", "对物价提出了什么要求？", "What did the report aim for regarding prices?"],
)  # fmt: skip
def test_how_a_quantity_fared_or_stands_and_a_goal_in_other_words_ask_a_value(question: str) -> None:
    # a number or a value in words (增长相对缓慢, 总体稳定, 稳定好转) answers them: the figure check applies
    assert understand(question).asked.kind == "number"


@pytest.mark.parametrize(
    "question",
    ["如何推进改革？", "How did the government reform state firms?", "怎样做好民生工作？", "What is new?",
     "云南省今年旅游业有什么目标？"],
)  # fmt: skip
def test_how_something_is_done_asks_no_value(question: str) -> None:
    assert understand(question).asked.kind != "number"


def test_two_digit_growth_is_no_count() -> None:
    assert not any(m.group(0).startswith("两位") for m in NUMERAL_VALUE.finditer("出口保持两位数增长"))
    assert any(m.group(0) == "两位" for m in NUMERAL_VALUE.finditer("两位院士当选"))


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        ("浙江实际使用外资的目标是什么？", "全年实际使用外资占全国份额保持基本稳定。", "保持基本稳定"),
        ("What was the target for fixed-asset investment?", "保持固定资产投资适度增长，着力优化投资结构。", "适度增长"),
        ("空气优良天数比例怎么样？", "空气优良天数比例均优于全国。", "均优于全国"),
    ],
)
def test_a_value_in_words_after_a_share_or_inside_a_mention(question: str, sentence: str, expected: str) -> None:
    q = understand(question)
    assert locate_asked(q.asked, q.keywords, sentence).figure == expected


def test_gdp_inside_per_unit_of_gdp_is_no_gdp_question() -> None:
    assert understand("What is the 2026 target for CO2 emissions per unit of GDP?").indicators == ()
    assert understand("What is the GDP growth target?").indicators == ("gdp_growth",)
    # named outside the phrase as well: still asked
    both = understand("What are the GDP growth target and the CO2 emissions per unit of GDP target?")
    assert "gdp_growth" in both.indicators
    q = understand("What is the 2026 target for CO2 emissions per unit of GDP?")
    s = "全市生产总值增长5%左右，单位生产总值二氧化碳排放量进一步下降。"
    assert locate_asked(q.asked, q.keywords, s).figure == "进一步下降"


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        ("安全生产事故总量有什么变化？", "生产安全事故总量和重特大事故数量继续下降。", "继续下降"),
        ("人民币汇价走势如何？", "人民币汇价稳中有升，国家外汇储备大幅度增加。", "稳中有升"),
    ],
)
def test_a_value_shared_with_another_item_or_asked_as_a_trend(question: str, sentence: str, expected: str) -> None:
    q = understand(question)
    assert locate_asked(q.asked, q.keywords, sentence).figure == expected


def test_how_it_moved_asks_a_result() -> None:
    from reportqa.index.text.periods import question_period

    assert question_period("1994年人民币汇价走势如何？") == "actual"
    assert question_period("2016年安全生产事故总量有什么变化？") == "actual"


def test_a_share_asked_needs_a_share_in_its_clause() -> None:
    # 占比 is cut apart by the segmenter (占 / 比要); a growth rate of the same quantity is no share
    q = understand("浙江制造业增加值占比要达到多少？")
    assert support(q.asked, "改造提升传统产业，17个重点传统制造业增加值增长5.3%。") is None
    found = support(q.asked, "制造业增加值占GDP比重保持基本稳定。")
    assert found is not None and found.value == "保持基本稳定"


@pytest.mark.parametrize(
    ("question", "answered"),
    [("2006年全国粮食产量是多少？", False), ("How much grain did the country produce?", False),
     ("粮食产量目标是多少？", True), ("粮食生产怎么样？", True), ("粮食产量增长多少？", True)],
)  # fmt: skip
def test_a_level_asked_is_not_answered_by_a_value_in_words(question: str, answered: bool) -> None:
    # 稳定发展 says how grain production shall go, not how much grain there was
    q = understand(question)
    found = locate_asked(q.asked, q.keywords, "促进粮食产量稳定增长和农民持续增收。")
    assert (found is not None and found.figure == "稳定增长") is answered


_COLON_LIST = ("其中五个最大的煤矿企业在一九五七年将达到的年产能力如下：抚顺矿务局所属煤矿为九百三十万吨，"
               "阜新矿务局所属煤矿为八百四十五万吨，开滦煤矿为九百六十八万吨。")  # fmt: skip


@pytest.mark.parametrize(
    ("question", "expected"),
    [("开滦煤矿到1957年将达到的年产能力是多少？", "九百六十八万吨"),
     ("阜新矿务局所属煤矿年产能力是多少？", "八百四十五万吨")],
)  # fmt: skip
def test_items_after_a_colon_lead_take_its_measure(question: str, expected: str) -> None:
    # the lead names the measure (年产能力) for every item after its colon; its own 五个 is no value
    q = understand(question)
    assert locate_asked(q.asked, q.keywords, _COLON_LIST).figure == expected


def test_a_colon_lead_does_not_lend_its_measure_to_an_item_not_asked() -> None:
    q = understand("大同煤矿年产能力是多少？")
    assert support(q.asked, _COLON_LIST) is None


@pytest.mark.parametrize(
    ("question", "named"),
    [("How much did rural residents' per capita disposable income grow?", {"农村", "乡村"}),
     ("How many new urban jobs were created?", {"城镇", "城市"}),
     ("How fast did value added of industry above designated size grow?", {"规上", "规模以上"}),
     ("What was the profit growth of provincial state-owned enterprises?", set()),
     ("What was per capita disposable income growth?", set())],
)  # fmt: skip
def test_an_english_question_names_the_narrowing_words_of_its_own_phrases(question: str, named: set[str]) -> None:
    # not those of an indicator's other Chinese names (城镇/农村居民人均可支配收入) nor of one rendering (省属国有企业)
    assert set(understand(question).asked.qualifiers) - {"人均"} == named


@pytest.mark.parametrize(
    "question",
    ["2025年农村居民人均可支配收入增长多少？", "How much did rural residents' per capita disposable income grow?"],
)
def test_a_narrowing_word_asked_must_be_in_the_clause(question: str) -> None:
    q = understand(question)
    # all residents' income is another quantity, though the indicator's names match it
    assert support(q.asked, "居民人均可支配收入实际增长5.4%。") is None
    assert support(q.asked, "全体居民人均可支配收入增长5.5%，居全国第五。") is None
    found = support(q.asked, "居民人均可支配收入实际增长5.4%，其中农村居民收入增长6.3%、增速排全国第五。")
    assert found is not None and found.value == "6.3%"
    found = support(q.asked, "城乡居民人均可支配收入分别增长4%、6%。")
    assert found is not None and found.value == "6%"


def test_a_list_naming_another_narrowing_word_does_not_answer() -> None:
    q = understand("2025年城镇居民人均可支配收入增长多少？")
    assert support(q.asked, "全体居民人均可支配收入增长5%，其中农村居民收入增长5.8%、快于经济增速1个百分点。") is None
    found = support(q.asked, "其中城镇、农村居民收入分别增长4.8%、5.9%，分别居全国第四、第八。")
    assert found is not None and found.value == "4.8%"


def test_the_countrys_figure_of_a_town_and_country_pair_in_the_next_clause() -> None:
    sentence = "城乡居民人均可支配收入分别达6.9万元、3.4万元，增长4.2%、5.3%。"
    q = understand("2025年农村居民人均可支配收入增长多少？")
    assert support(q.asked, sentence).value == "5.3%"
    q = understand("2025年城镇居民人均可支配收入增长多少？")
    assert support(q.asked, sentence).value == "4.2%"


@pytest.mark.parametrize(
    "sentence",
    ["进出口总值增长6.4%、高于全国2.6个百分点。",
     "货物贸易进出口总额增长10.2%，地方一般公共预算收入增长2.3%、支出首次超过7000亿元。"],
)  # fmt: skip
def test_exports_inside_imports_and_exports_answer_no_export_question(sentence: str) -> None:
    # 出口 of 进出口 is another quantity, as the clause's own words or as a measure lent to a list after it
    q = understand("2025年出口增长多少？")
    assert support(q.asked, sentence) is None
    assert support(q.asked, "进口增长3%、出口增长7.2%。").value == "7.2%"


def test_an_output_asked_by_what_was_is_a_level() -> None:
    q = understand("What was Shandong's grain output in 2025?")
    assert not q.asked.in_words
    assert support(q.asked, "全年粮食总产稳中略升。") is None
    assert understand("What was Shandong's GDP growth target?").asked.in_words


def test_a_change_asked_by_how_much_may_be_answered_in_words() -> None:
    q = understand("宁夏2025年居民消费价格指数涨了多少？")
    assert q.asked.in_words
    assert support(q.asked, "城镇调查失业率平均为5.2%，居民消费价格指数持平。").value == "持平"
    assert not understand("2025年工业增加值是多少？").asked.in_words


@pytest.mark.parametrize(
    "question", ["天津2025年固定资产投资增长多少？", "How much did Tianjin's fixed-asset investment grow in 2025?"]
)
def test_a_short_name_of_the_total_after_another_quantitys_words_is_not_the_total(question: str) -> None:
    # 投资增长 is a name of fixed-asset investment growth, but 工业技改投资增长 is the growth of another investment
    q = understand(question)
    assert support(q.asked, "工业技改投资增长5.3%。") is None
    assert support(q.asked, "全省投资增长6.1%，消费增长4%。").value == "6.1%"
    assert support(q.asked, "固定资产投资增长6.1%。").value == "6.1%"
    assert support(q.asked, "今年要保持固定资产投资适度增长。").value == "适度增长"


def test_the_share_of_another_quantity_in_the_asked_one_does_not_answer_its_growth() -> None:
    q = understand("How much did Hainan's general public budget revenue grow in 2025?")
    assert support(q.asked, "税收占一般公共预算收入比重超75%。") is None
    assert support(q.asked, "一般公共预算收入增长4.6%，税收占比超75%。").value == "4.6%"
    q = understand("税收占一般公共预算收入的比重是多少？")
    assert support(q.asked, "税收占一般公共预算收入比重超75%。") is not None
    q = understand("How much did Hainan's general public budget revenue grow in 2025?")
    assert support(q.asked, "税收占一般公共预算收入比重超75%，一般公共预算支出增长31.3%。") is None  # 支出 ≠ 收入


def test_a_question_word_heading_another_name_of_the_indicator_is_the_indicators() -> None:
    # 经济 of 经济…增长 names GDP growth (经济增长 is one of its names), not a word the value's clause must hold too
    q = understand("2024年全国经济实际增长了多少？")
    sentence = ("主要表现在，经济规模稳步扩大，国内生产总值达到134.9万亿元、增长5%，增速居世界主要经济体前列，"
                "对全球经济增长的贡献率保持在30%左右。")
    assert support(q.asked, sentence).value == "5%"


def test_an_ordinal_numbering_a_list_item_is_no_value() -> None:
    # 第八、 numbers the item; the requirement in words is the answer, never "第八"
    q = understand("1979年政府工作报告对物价提出了什么要求？")
    s = support(q.asked, "第八、在保持物价基本稳定的前提下，对某些不合理的价格作必要的调整。")
    assert s is not None and s.value != "第八" and "稳定" in s.value
    assert _value("第九届亚冬会是第几届？", "第九届亚冬会圆满成功。") == "第九届"


def test_exports_asked_in_english_name_no_total_trade_indicator() -> None:
    # "exports" is 出口, narrower than 进出口: an English export question is no foreign-trade question (the stored
    # foreign-trade figure answered it) and the total's growth never answers it
    q = understand("How did China's exports grow in 1993, according to the 1994 report?")
    assert "foreign_trade_growth" not in q.indicators
    assert support(q.asked, "对外贸易全面发展，进出口贸易总额达到１９５８亿美元，比上年增长百分之十八点二。") is None
    assert support(q.asked, "去年进口增长较多，出口增长相对缓慢，对外贸易出现较大逆差。").value == "相对缓慢"
    assert "foreign_trade_growth" in understand("How much did total imports and exports grow in 2025?").indicators


def test_an_english_question_word_the_passage_lacks_is_left_out_not_the_whole_question_kept() -> None:
    # "industry" (产业) is not in the sentence: the question's other words still pick the item of the list, as a
    # Chinese paraphrase's are; the English glossary words are not one phrase written together
    q = understand("What was the penetration rate of digital R&D design tools in Liaoning's industry in 2025?")
    s = "关键工序数控化率、数字化研发设计工具普及率分别达到69.3%和85.8%，均高于全国平均水平。"
    assert locate_asked(q.asked, q.keywords, s).figure == "85.8%"


@pytest.mark.parametrize(
    ("question", "sentence", "value"),
    [
        ("What share of China's cotton output did Xinjiang account for?",
         "棉花总产616.5万吨、占全国92.8%，蔬菜2062.6万吨。", "92.8%"),
        ("How many green industrial parks does Henan have?",
         "省级以上绿色工厂1210家、绿色工业园区74个，重点行业绿色化改造实现全覆盖。", "74个"),
        ("How much cropland was converted back to forest over the five years?",
         "五年内，全国造林面积2787万公顷，封山育林3153万公顷，退耕还林382万公顷；", "382万公顷"),
    ],
)  # fmt: skip
def test_report_phrases_english_names_bind_the_clause(question: str, sentence: str, value: str) -> None:
    q = understand(question)
    found = support(q.asked, sentence)
    assert found is not None and found.value == value


def test_a_run_of_figures_shares_the_subject_opening_the_sentence() -> None:
    run = "2006年，全国国有企业资产总额比2002年增长60.98%，实现利润增长2.23倍，税收增长1.05倍。"
    found = support(understand("2006年国有企业税收比2002年增长了多少？").asked, run)
    assert found is not None and found.value == "1.05倍"
    found = support(understand("国有企业利润增长多少？").asked, run)
    assert found is not None and found.value == "2.23倍"
    # a word inside the opening clause, not its subject, is not borrowed: 冰雪 tourists are no 冰雪 tourism revenue
    assert support(understand("冰雪旅游收入是多少？").asked, "接待冰雪游客1亿人次，旅游收入增长12%。") is None
    # nor from an opening clause stating no figure
    assert support(understand("冰雪旅游收入是多少？").asked, "冰雪旅游蓬勃发展，旅游收入增长12%。") is None


def test_the_asked_year_picks_its_clause_of_a_dated_run() -> None:
    run = "农民人均纯收入，１９８２年为２７０元，１９８７年提高到４６３元，扣除物价上涨因素，平均每年增长８．６％；"
    assert understand("1987年农民人均纯收入是多少？").asked.year == 1987
    assert _value("1987年农民人均纯收入是多少？", run) == "４６３元"
    assert _value("1982年农民人均纯收入是多少？", run) == "２７０元"
    assert _value("According to the 1988 report, what was farmers' per-capita net income in 1987?", run) == "４６３元"
    # no year asked: the clause right after the subject, as for any run
    assert _value("农民人均纯收入是多少？", run) == "２７０元"
    assert _value("2021年城镇新增就业多少人？", "城镇新增就业，2020年为1186万人，2021年达1269万人。") == "1269万人"


def test_values_reached_in_the_next_clause_answer_a_from_list() -> None:
    run = "化学需氧量、二氧化硫排放量由上年分别增长5.6％和13.1％，减为增长1.2%和1.8%。"
    assert _value("By how much did sulphur dioxide emissions grow in 2006?", run) == "1.8%"
    assert _value("化学需氧量排放量增长多少？", run) == "1.2%"
    # without 由 the second clause is no level reached: the list's own values answer
    plain = "化学需氧量、二氧化硫排放量分别增长5.6％和13.1％，降为历史低位。"
    assert _value("二氧化硫排放量增长多少？", plain) == "13.1％"


def test_a_clause_comparing_with_a_named_year_goes_on_about_the_subject() -> None:
    said = "农业总产值达到了八百八十亿元，比一九五七年的五百三十七亿元增长了百分之六十四；"
    assert _value("1958年农业总产值比1957年增长多少？", said) == "百分之六十四"
    assert _value("农业总产值增长多少？", "工业总产值达到了一千亿元，比一九五七年增长了百分之六十六；") is None


def test_the_askers_measure_word_counts_things_of_any_kind() -> None:
    said = "推进法治政府建设，修订政府工作规则，出台政府规章 4件，提请人大常委会审议法规议案 8件。"
    assert _value("去年政府出台了几部规章？", said) == "4件"
    assert _value("去年出台政府规章多少个？", said) == "4件"
    # a measure word is no unit of size: 几公里 is not answered by a count
    assert _value("去年出台政府规章多少公里？", said) is None


def test_a_list_after_the_asked_things_value_in_words_is_about_other_things() -> None:
    targets = ("城镇居民收入增长与经济增长保持基本同步，农村居民收入增长快于城镇居民，居民消费价格涨幅、"
               "城镇调查失业率分别控制在 3%和 5%以内。")  # fmt: skip
    found = support(understand("2024年城镇居民收入增长目标是什么？").asked, targets)
    assert found is not None and found.value == "与经济增长保持基本同步" and found.qualitative
    # a clause naming the thing with no value of its own still leads the list after it
    zones = "稳步推进国家级经开区改革，建立健全招商引资、要素保障等机制，利用外资、投资分别增长45%、20%。"
    assert _value("天津国家级经开区投资增长多少？", zones) == "20%"


@pytest.mark.parametrize(
    ("question", "sentence", "value"),
    [
        ("2025年养娃的家庭每个月能多拿多少补贴？", "育儿家庭每月多了300元补贴，学前一年免费教育覆盖近30万儿童。",
         "300元"),
        ("2025年来玩的外国游客多了多少？", "游客人数、旅游收入均增长10%以上，接待入境游客增长46%。", "46%"),
        ("帮打工的人讨回了多少工钱？", "为2.15万名劳动者追回工资2.65亿元。", "2.65亿元"),
        # the highlight reads the things named as the decision does (上课 is how it is asked, 培训 the report's)
        ("今年要给多少村医上课培训？", "完成500所中小学体育场地升级改造，抓好1万名乡村医生线下培训。", "1万名"),
        # a clause naming the asked words is read in its own turn, not as the previous clause's continuation
        ("帮打工的人讨回了多少被拖欠的工钱？", "全面落实农民工工资支付保障制度，为2.15万名劳动者追回工资2.65亿元。",
         "2.65亿元"),
    ],
)  # fmt: skip
def test_everyday_words_name_what_reports_name_in_their_terms(question: str, sentence: str, value: str) -> None:
    q = understand(question)
    v = check_asked(q, sentence, sentence, {})
    assert v.passed and v.sentence == sentence
    assert locate_asked(q.asked, q.keywords, sentence).figure == value


def test_an_everyday_word_still_binds_its_thing() -> None:
    # 养娃 is 育儿 or 养育: a subsidy for families in hardship is another quantity
    other = "帮扶困难家庭，每月补贴300元。"
    assert not check_asked(understand("养娃的家庭每个月能多拿多少补贴？"), other, other, {}).passed


def test_how_many_asks_a_count_not_a_rate_or_a_sum() -> None:
    q = understand("How many top-quality tourist spots does Tibet plan to develop this year?")
    rate = "力争文化产业产值增长 20%以上，旅游接待人次和收入均增长 13%以上。"
    count = "打造 10个以上精品景区（点），推出 10 个以上特色产品。"
    assert not has_asked_figure(q.text, rate, q.asked)
    assert has_asked_figure(q.text, count, q.asked)
    assert has_asked_figure(q.text, "新能源汽车由45万辆增至356万辆。", q.asked)
    # a unit named keeps its own check; "how much" is no count
    assert understand("How many tons of grain did Tibet harvest?").asked.unit == "吨"
    assert understand("How much did income grow?").asked.unit == "%"


def test_an_everyday_word_for_a_narrowing_word_names_it() -> None:
    q = understand("2026年要新修和翻修多少公里乡下的路？")
    assert "农村" in q.asked.qualifiers
    said = "新改建农村公路5000公里、村级寄递物流综合服务点3万个以上，提升农村安全饮水。"
    v = check_asked(q, said, said, {})
    assert v.passed and locate_asked(q.asked, q.keywords, said).figure == "5000公里"
    # the question naming no such word: 农村 still narrows the report's figure to another quantity
    assert "农村" not in understand("2026年要新修多少公里公路？").asked.qualifiers


def test_zhang_le_duoshao_asks_a_growth() -> None:
    said = "城乡居民人均可支配收入突破 5 万元和 2 万元，分别增长 6.5%和 10%左右。"
    assert understand("去年城里人收入涨了多少？").asked.unit == "%"
    assert _value("去年城镇居民收入涨了多少？", said) == "6.5%"
    assert understand("去年城里人收入有多少？").asked.unit is None  # a level asked: 5 万元


def test_a_requirement_asked_is_answered_by_the_value_ending_its_clause() -> None:
    # what a report aims for: the value in words may end the clause a few words after the asked thing
    s = "促进国际收支基本平衡，保持人民币汇率在合理、均衡水平上基本稳定。"
    assert _value("What did the 2005 report aim for regarding the RMB exchange rate?", s) == "基本稳定"
    assert _value("2005年政府工作报告对人民币汇率提出了什么要求？", s) == "基本稳定"


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        ("最低生活保障覆盖人数扩大到多少？",
         "城市居民最低生活保障的覆盖人数，由年初的400多万人扩大到年末的1120多万人。", "1120多万人"),
        ("城镇居民人均可支配收入增加到多少？",
         "城镇居民人均可支配收入，由1997年的5160元增加到2002年的7703元，年均增长8.6%。", "7703元"),
        ("城镇居民人均可支配收入增加到多少？",
         "城镇居民人均可支配收入由1997年的5160元增加到2002年的7703元。", "7703元"),
        ("森林覆盖率提高到多少？", "森林覆盖率从上年的23.8%提高到今年的24.1%。", "24.1%"),
    ],
)  # fmt: skip
def test_the_level_reached_answers_when_both_ends_are_dated(question: str, sentence: str, expected: str) -> None:
    # 由/从 x 到 y, each end with when it stood (年初的, 1997年的): the level reached, in this clause or the next
    assert _value(question, sentence) == expected


@pytest.mark.parametrize(
    "question",
    ["按1993年机构改革方案，国务院的部委和直属机构、办事机构共设多少个？",
     "1993年机构改革方案中，国务院的部委和直属机构、办事机构共设多少个？",
     "根据1993年的政府工作报告，国务院的部委和直属机构、办事机构共设多少个？"],
)  # fmt: skip
def test_a_questions_opening_frame_is_where_the_figure_is_read_not_what_it_is(question: str) -> None:
    # the sentence stating the figure need not repeat the frame's words (改革方案 is said one sentence earlier)
    words = {w for t in understand(question).asked.terms for w in t.words}
    assert not words & {"改革方案", "机构改革", "报告", "政府工作报告"}
    q = understand(question)
    s = "国务院的部委和直属机构、办事机构共59个，比现有的86个减少27个。"
    assert check_asked(q, s, s, {}).passed


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        ("国务院的部委和直属机构、办事机构比现有数量减少多少个？",
         "国务院的部委和直属机构、办事机构共59个，比现有的86个减少27个。", "27个"),
        ("粮食播种面积比上年增加了多少万亩？", "粮食播种面积1.8亿亩，比上年的1.78亿亩增加了200万亩。", "200万亩"),
    ],
)  # fmt: skip
def test_the_change_from_a_base_answers_not_the_base(question: str, sentence: str, expected: str) -> None:
    assert _value(question, sentence) == expected


def test_a_sentence_after_a_semicolon_shares_the_subject_named_before_it() -> None:
    passage = "铁路营运里程由65969公里增加到71500公里；五年建成新线5944公里，复线4603公里，电气化线路5704公里。"
    second = "五年建成新线5944公里，复线4603公里，电气化线路5704公里。"
    q = understand("过去五年建成铁路复线多少公里？")
    verdict = check_asked(q, second, passage, {})
    assert verdict.passed and verdict.sentence is not None and "铁路" in verdict.sentence
    # a full stop ends the subject: the next sentence is another's
    other = "铁路营运里程由65969公里增加到71500公里。五年建成新线5944公里，复线4603公里，电气化线路5704公里。"
    assert not check_asked(q, second, other, {}).passed


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        ("今年要实施几大行动？", "大力实施“千村示范”、树立农牧民新风貌等七大行动，完成人畜分离3.8万户", "七大"),
        ("今年民生工程一共有几个？", "坚持尽力而为、量力而行，深入实施“十大民生工程”。", "十大"),
        ("How many key projects will be launched?", "启动“十大重点项目”建设。", "十大"),
        ("打好几大攻坚战？", "坚决打好三大攻坚战，成效明显。", "三大"),
    ],
)
def test_a_count_written_before_da_answers_how_many(question: str, sentence: str, expected: str) -> None:
    assert _value(question, sentence) == expected


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        ("今年要实施几大行动？", "学习贯彻党的二十大精神，开展专项行动。"),  # a congress, not a count of actions
        ("今年要实施几大行动？", "一大批行动落地见效。"),  # a large batch
        ("今年民生工程投资多少亿元？", "深入实施“十大民生工程”。"),  # a sum asked, not a count
    ],
)
def test_a_numeral_before_da_is_no_count_of_other_things(question: str, sentence: str) -> None:
    assert _value(question, sentence) is None


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        # 亡人 is how reports count deaths in accidents (亡人事故起数和人数)
        (
            "How did the number of work-safety accidents and deaths change?",
            "全市生产安全亡人事故起数和人数逐年“双下降”，连续61个月未发生重特大事故。",
            "逐年“双下降”",
        ),
        # living standards are 生活水平, not incomes in another clause
        (
            "What happened to the real living standards of some urban residents?",
            "城镇居民人均收入增长4%，部分城市居民的实际生活水平有所下降。",
            "有所下降",
        ),
    ],
)
def test_english_words_for_how_a_thing_stands_name_the_reports_terms(
    question: str, sentence: str, expected: str
) -> None:
    assert _value(question, sentence) == expected


def test_a_character_the_segmenter_cuts_off_keeps_one_phrase() -> None:
    # 糖料蔗产量 is cut 糖料 / 蔗 / 产量: one phrase still, so a passage with 产量 alone is about another quantity
    sugar = understand("广西2025年糖料蔗产量是多少？").asked
    assert len({t.phrase for t in sugar.terms}) == 1
    assert len({t.phrase for t in understand("南水北调工程总投资是多少？").asked.terms}) == 1
    # a verb between two words parts them (村子 / 通 / 水泥路): two phrases, as with 和
    roads = understand("边境的村子通水泥路的比例是多少？").asked
    assert len({t.phrase for t in roads.terms}) == 2
    other = "推出人工智能标志性产品30个，力争人形机器人产量突破1000台。"
    assert not check_asked(understand("广西2025年糖料蔗产量是多少？"), other, other, {}).passed


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        # a known value in words of another clause wins over what an earlier clause merely says
        ("人民币汇率怎么样？", "深化人民币汇率形成机制改革，保持人民币汇率基本稳定。", "基本稳定"),
        # a how-much question is not answered by words
        ("物价水平是多少？", "在经济较快增长、物价水平较低的情况下，财政收入明显增加。", None),
    ],
)  # fmt: skip
def test_what_a_clause_says_is_the_last_resort(question: str, sentence: str, expected: str | None) -> None:
    q = understand(question)
    assert locate_asked(q.asked, q.keywords, sentence).figure == expected


@pytest.mark.parametrize(
    "sentence",
    ["深化物价调控机制改革。", "物价指数123.4。", "加强物价监测预警。", "物价纳入考核。"],
)
def test_a_noun_after_the_asked_thing_is_no_answer_to_how_it_stands(sentence: str) -> None:
    q = understand("物价怎么样？")
    assert locate_asked(q.asked, q.keywords, sentence).figure != sentence.rstrip("。")[2:]
    found = support(q.asked, sentence)
    assert found is None or not found.predicate


@pytest.mark.parametrize(
    ("question", "manner"),
    [("这几年物价水平怎么样？", True), ("近几年就业形势如何？", True), ("今后几年粮食生产怎么样？", True),
     ("这个工程建了几年？", False), ("几年内建成多少公里？", False)],
)  # fmt: skip
def test_years_named_loosely_are_a_time_not_a_count_asked(question: str, manner: bool) -> None:
    assert asked(question).manner is manner


def test_a_thing_named_after_the_asked_one_is_not_how_it_stands() -> None:
    q = understand("How do the main health indicators compare with the national average?")
    s = "主要健康指标监测体系不断完善，健康指标数据按季度发布。"
    found = support(q.asked, s)
    assert found is None or not found.predicate


@pytest.mark.parametrize(
    ("question", "unit", "manner"),
    [("How did assistance for people in difficulty change last year?", None, True),
     ("How have rural households' living conditions changed?", None, True),
     ("How many people found jobs in towns last year?", "人", False),
     ("How many households were connected to gas?", "户", False)],
)  # fmt: skip
def test_an_english_counting_word_gives_a_unit_only_to_a_count_question(
    question: str, unit: str | None, manner: bool
) -> None:
    a = asked(question)
    assert (a.unit, a.manner) == (unit, manner)


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        ("浙江制造业增加值占GDP比重目标是多少？", "到2030年集群营收突破13万亿元，制造业增加值占GDP比重保持基本稳定。",
         "保持基本稳定"),
        ("What share of GDP did the digital economy's core industries reach?",
         "全省GDP增长5.5%，数字经济核心产业增加值占GDP比重达到12%。", "12%"),
        # the whole a share is of is no answer to a question about the whole itself
        ("GDP增长多少？", "数字经济核心产业增加值占GDP比重达到12%。", None),
    ],
)  # fmt: skip
def test_a_share_of_gdp_is_read_where_gdp_follows_zhan(question: str, sentence: str, expected: str | None) -> None:
    q = understand(question)
    assert check_asked(q, sentence, sentence, {}).passed is (expected is not None)
    if expected is not None:
        assert locate_asked(q.asked, q.keywords, sentence).figure == expected


def test_the_head_after_the_question_word_is_read_from_the_end_of_the_key_phrase() -> None:
    # 特色的玩法 is one phrase; 藏医药 after the comma is an example, not the head it modifies
    a = understand("今年有多少种有特色的玩法，像藏医药养生减肥、出境游这种？").asked
    key = {w for t in a.terms if t.phrase == a.key_phrase for w in t.words}
    assert "玩法" in key and "医药" not in key
