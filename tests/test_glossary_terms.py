"""English questions in the reports' terms (qa/glossary_terms.py, qa/glossary.py ITEMS): the things a question
names bind the answer's clause (enumerations answered by the named item, a thing the report never gives a
figure for declined), general words and words the glossary lacks never decline."""

from __future__ import annotations

import pytest
from reportqa.qa.answerable import check_asked, confidence
from reportqa.qa.glossary import GLOSSARY, ITEMS, entries, is_item
from reportqa.qa.glossary_terms import chinese_terms, unmapped_words
from reportqa.qa.query import understand
from reportqa.qa.support import locate_asked

LIST = "全年粮食、蔬菜、肉蛋奶产量分别达108万吨、95万吨、60万吨，接待游客6500万人次、增长12%。"


def _marked(question: str, sentence: str) -> str | None:
    q = understand(question)
    return locate_asked(q.asked, q.keywords, sentence).figure


def test_the_glossary_keeps_each_english_phrase_in_one_place() -> None:
    assert not set(GLOSSARY) & set(ITEMS)
    for phrase, zh in ITEMS.items():
        assert phrase == phrase.lower() and zh and entries()[phrase] == zh


def test_things_bind_and_general_words_do_not() -> None:
    terms = {t.english: t for t in chinese_terms("How much grain and tea revenue, investment and income?")}
    assert terms["grain"].bound and "粮食" in terms["grain"].chinese
    assert terms["tea"].bound
    assert not terms["investment"].bound and not terms["income"].bound
    assert is_item("grain output") and is_item("marine economy") and not is_item("disposable income")


def test_unmapped_words_are_the_content_words_the_glossary_lacks() -> None:
    words = unmapped_words("How much did Shandong's zorblat shipments grow in 2025, according to the report?")
    assert "zorblat" in words and "shipments" in words
    assert not {"shandong", "grow", "according", "report", "much"} & set(words)
    assert unmapped_words("What was Tibet's grain output?") == ()


@pytest.mark.parametrize(
    ("question", "value"),
    [
        ("What was Tibet's grain output?", "108万吨"),
        ("How many tons of vegetables did Tibet produce?", "95万吨"),
        ("What was the output of meat, eggs and milk?", "60万吨"),
        ("How many tourists did Tibet receive?", "6500万人次"),
    ],
)
def test_an_english_question_marks_the_named_item_of_a_list(question: str, value: str) -> None:
    q = understand(question)
    assert check_asked(q, LIST, LIST, {}).passed
    assert _marked(question, LIST) == value


def test_the_named_item_is_the_one_marked_whatever_its_place() -> None:
    # the same list in another order: the marked value follows the item, not its position
    shuffled = "全年蔬菜、肉蛋奶、粮食产量分别达95万吨、60万吨、108万吨。"
    assert _marked("What was Tibet's grain output?", shuffled) == "108万吨"
    assert _marked("How many tons of vegetables did Tibet produce?", shuffled) == "95万吨"


@pytest.mark.parametrize(
    "question",
    [
        "How many cruise passengers did the province receive in 2025?",
        "What was the province's coffee output in 2025?",
        "What was the output value of the province's marine economy?",
        "How much cotton did the province produce?",
    ],
)
def test_a_thing_the_passage_gives_no_figure_for_is_declined(question: str) -> None:
    passage = "地区生产总值增长5.5%。接待游客6500万人次、旅游收入增长12%。粮食产量108万吨。"
    v = check_asked(understand(question), passage.split("。")[1] + "。", passage, {})
    assert not v.passed and v.reason == "no_figure"
    assert v.message is not None and "figure" in v.message  # in the question's language


def test_the_same_thing_given_is_answered() -> None:
    passage = "地区生产总值增长5.5%。邮轮旅客12万人次，咖啡产量3万吨，棉花产量500万吨。"
    for question in ("How many cruise passengers did the province receive in 2025?",
                     "What was the province's coffee output in 2025?",
                     "How much cotton did the province produce?"):  # fmt: skip
        assert check_asked(understand(question), None, passage, {}).passed, question


def test_an_unmapped_word_never_declines_but_lowers_confidence() -> None:
    passage = "某某指数增长5%。"
    unknown = understand("How much did the zorblat index rise in 2025?")
    assert unknown.asked.unmapped and not any(t.bound for t in unknown.asked.terms)
    v = check_asked(unknown, passage, passage, {})
    assert v.passed and v.evidence.get("unbound") == 1.0
    known = check_asked(understand("How much did grain output rise?"), "粮食产量增长5%。", "粮食产量增长5%。", {})
    assert known.passed and not known.evidence.get("unbound")
    assert confidence(v, None, 1.0) < confidence(known, None, 1.0)


def test_a_thing_the_indicator_vocabulary_names_otherwise_still_binds() -> None:
    # 限上零售额 is not how the vocabulary names retail sales; the smartphones item is what the clause must name
    s = "新能源汽车、智能家电、智能手机限上零售额分别增长8.7%、31.5%和32.3%。"
    q = understand("By how much did smartphone retail sales of large retailers grow?")
    assert check_asked(q, s, s, {}).passed
    assert _marked("By how much did smartphone retail sales of large retailers grow?", s) == "32.3%"


def test_chinese_questions_bind_as_before() -> None:
    a = understand("2024年蔬菜产量是多少？").asked
    assert not a.english and not a.unmapped and not any(t.bound for t in a.terms)


def test_what_was_an_output_asks_a_number() -> None:
    assert understand("What was Hubei's coffee output in 2025?").asked.kind == "number"
    assert understand("What was the theme of the report?").asked.kind != "number"


def test_a_plural_the_glossary_does_not_list_is_its_singulars() -> None:
    from reportqa.qa.glossary import ITEMS, chinese_groups, english_phrases, entries

    assert "reservoirs" not in entries()
    assert chinese_groups("How many reservoirs were built?") == [("水库",)]
    assert [p for _, _, p in english_phrases("How many reservoirs were built?")] == ["reservoir"]
    # a listed plural keeps its own words, and a word merely starting like an entry is not it
    assert chinese_groups("drugs") == [ITEMS["drugs"]]
    assert chinese_groups("coalition") == []


@pytest.mark.parametrize(
    ("question", "chinese"),
    [("How much vegetable output did Tibet produce?", "蔬菜"),
     ("How many new energy vehicle charging piles?", "充电桩"),
     ("How many hospital beds per thousand people?", "床位")],
)  # fmt: skip
def test_a_counted_thing_in_the_singular_is_its_plural(question: str, chinese: str) -> None:
    assert any(chinese in t.chinese for t in chinese_terms(question))


def test_a_singular_naming_something_else_is_not_aliased() -> None:
    # an industrial park is no park (公园), and "service" alone is not "services" (服务业)
    assert not any("公园" in t.chinese for t in chinese_terms("How many industrial park enterprises?"))
    assert not any("服务业" in t.chinese for t in chinese_terms("What satisfaction rate did the service hotline get?"))


def test_foreign_exchange_earnings_and_times_asked() -> None:
    q = understand("How many times higher were foreign-exchange earnings from tourism?")
    assert any("创汇" in t.words for t in q.asked.terms) and q.asked.unit == "倍"


@pytest.mark.parametrize(
    ("question", "sentence", "value"),
    [
        ("How much extra funding per student will provincial universities receive?",
         "扩大优质本科和研究生教育培养规模，省属公办普通高校生均经费增加1000元。", "1000元"),
        ("How many back streets and alleys will the city tidy up?",
         "加大轨道站点、群租空间等区域整治，完成200条背街小巷整治。", "200条"),
        ("How many draft laws were sent to the standing committee for review?",
         "出台政府规章 4件，提请人大常委会审议法规议案 8件。", "8件"),
    ],
)  # fmt: skip
def test_report_terms_for_english_words_answer(question: str, sentence: str, value: str) -> None:
    q = understand(question)
    v = check_asked(q, sentence, sentence, {})
    assert v.passed
    assert locate_asked(q.asked, q.keywords, sentence).figure == value


def test_british_spellings_are_the_glossary_phrases() -> None:
    from reportqa.qa.glossary import _aliases, british, chinese_groups

    assert chinese_groups("fertiliser") == chinese_groups("fertilizer") != []
    assert chinese_groups("rural revitalisation") == chinese_groups("rural revitalization") != []
    assert chinese_groups("utilised foreign capital") == chinese_groups("utilized foreign capital")
    assert british("laboratories") == "laboratories" and british("size") == "size"
    assert not any(alias.startswith("labour") and "laborator" in p for alias, p in _aliases().items())
    sentence = "原煤达到10.9亿吨，钢突破7000万吨，水泥和化肥（折纯）分别达到2.48亿吨和1988万吨。"
    assert _marked("How much chemical fertiliser did China produce?", sentence) == "1988万吨"


@pytest.mark.parametrize(
    ("question", "sentence", "value"),
    [
        ("How many ministerial-level labs are there?", "国家级、部级重点实验室分别达到12家、80家。", "80家"),
        ("How fast did petrochemical value added grow?", "食品、石化、医药产业增加值分别增长5%、9%、3%。", "9%"),
        ("By how much did the number of foreign visitors rise?",
         "接待游客数量和游客总花费分别增长10%、16%，其中，入境游客数量和花费分别增长47%、52%。", "47%"),
        ("How satisfied were users of the hotline?", "热线诉求解决率、满意率分别达95%和96%。", "96%"),
        ("How many green mines are there?", "绿色工厂达到100家、绿色矿山达到20家。", "20家"),
        ("How many km of double-track line were built?",
         "建成新线500公里，复线300公里，电气化线路400公里。", "300公里"),
        ("What was farmers' net income per head?",
         "城镇居民人均可支配收入9000元，农村居民人均纯收入3000元。", "3000元"),
    ],
)  # fmt: skip
def test_english_words_for_list_items(question: str, sentence: str, value: str) -> None:
    assert _marked(question, sentence) == value


@pytest.mark.parametrize(
    ("question", "sentence", "value"),
    [
        ("How many new research institutions are there?", "企业研发中心300家、新型研发机构547家。", "547家"),
        ("By how much was general spending cut?", "公用经费和一般性支出分别压减11%、19%。", "19%"),
        ("What share of administrative villages sort their garbage?",
         "行政村生活垃圾收运覆盖率、生活垃圾分类行政村覆盖率分别达到99%、83.6%。", "83.6%"),
    ],
)  # fmt: skip
def test_more_english_words_for_list_items(question: str, sentence: str, value: str) -> None:
    assert _marked(question, sentence) == value


# stop 39: an English question's glossary words bind as the question says them, not as the reports' longest name
@pytest.mark.parametrize(
    ("question", "sentence", "value"),
    [
        # PM2.5 in the glossary's capitals binds the clause normalised to lower case
        ("By how much did fine particulate (PM2.5) pollution fall in 2025?",
         "深入推进污染防治攻坚，全市PM2.5浓度下降8.2%，优良天数增加12天。", "8.2%"),
        # "new jobs" names no town: the indicator's first name (城镇新增就业) does not make 城镇 a narrowing word
        ("How many new jobs were created in 2025?", "发放就业补贴5亿元，新增就业21.4万人。", "21.4万人"),
        # 外资 and 人均 begin the glossary's own words for the asked thing: no narrowing of it
        ("How much foreign direct investment was actually used in 2025?",
         "外商投资准入继续放宽，实际使用外资86亿美元，增长4%。", "86亿美元"),
        ("What is life expectancy in the province?", "新增医疗卫生机构床位3200张，人均预期寿命达到79.6岁。", "79.6岁"),
    ],
)
def test_english_words_bind_as_the_question_says_them(question: str, sentence: str, value: str) -> None:
    v = check_asked(understand(question), sentence, sentence, {})
    assert v.passed and v.reason != "no_figure", question
    assert _marked(question, sentence) == value


def test_an_english_narrowing_word_needs_a_word_of_its_own() -> None:
    assert understand("How many new jobs did the province add?").asked.qualifiers == ()
    assert "城镇" in understand("How many new urban jobs did the province add?").asked.qualifiers
    assert "农村" in understand("How much did rural residents' disposable income grow?").asked.qualifiers
    # another town's figure still does not answer a rural question
    q = understand("How much did rural residents' per capita disposable income grow?")
    assert not check_asked(q, "城镇居民人均可支配收入增长4.1%。", "城镇居民人均可支配收入增长4.1%。", {}).passed


def test_what_was_a_measured_level_asks_a_number() -> None:
    assert understand("What was the city's average PM2.5 concentration last year?").asked.kind == "number"
    assert understand("What is life expectancy in the province?").asked.kind == "number"
    assert understand("What was the theme of the report?").asked.kind != "number"


def test_a_number_inside_a_code_is_no_figure() -> None:
    sentence = "5G基站增至9.6万个，千兆光网覆盖所有县城。"
    assert _marked("How many 5G masts has the province put up?", sentence) == "9.6万个"
    assert _marked("How much did PM2.5 fall?", "PM2.5平均浓度下降6.1%。") == "6.1%"


def test_an_english_phrase_rendered_by_a_narrowing_word_must_be_there() -> None:
    # foreign direct investment (外资): a passage on other investment does not answer it, one on 外资 does
    q = understand("How much foreign direct investment flowed into the province in 2025?")
    other = "优化投资结构，产业投资比重提升至52.1%，民间投资占比31%。"
    assert not check_asked(q, other, other, {}).passed
    own = "外商投资准入继续放宽，实际使用外资86亿美元，增长4%。"
    assert check_asked(q, own, own, {}).passed


def test_what_was_an_income_asks_a_level_not_a_value_in_words() -> None:
    # a target in words (与经济增长同步) does not answer what the income was
    q = understand("What was the province's per capita disposable income in 2025?")
    said = "居民收入增长和经济增长同步；"
    assert not check_asked(q, said, said, {}).passed
    level = "全省居民人均可支配收入达到3.6万元，增长5.1%。"
    assert check_asked(q, level, level, {}).passed
    assert understand("What was per capita disposable income growth?").asked.in_words
