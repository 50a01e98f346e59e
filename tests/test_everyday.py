"""Issue 23: a question in everyday words (手里的钱, 种树, 地里的菜, 上学的名额, 交给人大常委会去审) is answered by the
clause that names the same thing in the report's words, and still not by a clause about another quantity
(qa/everyday.py, qa/support.py)."""

from __future__ import annotations

import pytest
from reportqa.qa.answerable import words_missing
from reportqa.qa.everyday import said_plainly
from reportqa.qa.query import understand
from reportqa.qa.rarity import WordCounts
from reportqa.qa.support import support


def _value(question: str, sentence: str) -> str | None:
    s = support(understand(question).asked, sentence)
    return None if s is None else s.value


def _words(question: str) -> list[str]:
    return [w for t in understand(question).asked.terms for w in t.words]


def test_phrases_the_segmenter_cuts_apart_are_read_as_the_word_they_say() -> None:
    assert said_plainly("农村人手里的钱涨了多少？") == "农村人收入涨了多少？"
    assert said_plainly("广西2026年打算种多少亩树？") == "广西2026年打算种树？"
    assert said_plainly("地里的菜一共收了多少？") == "地里的蔬菜一共收了多少？"
    assert said_plainly("菜市场") == "菜市场"  # 菜 alone, not a word of another thing


@pytest.mark.parametrize(
    ("question", "sentence", "value"),
    [
        ("2025年农村人手里的钱涨了多少？", "居民人均可支配收入实际增长5.4%，其中农村居民收入增长6.3%。", "6.3%"),
        ("2025年一共种了多少亩树？", "植树造林479万亩，修复和新造红树林7695亩。", "479万亩"),
        ("2025年地里的菜一共收了多少？", "粮食产量486.5亿斤，棉花616.5万吨，蔬菜2062.6万吨。", "2062.6万吨"),
        ("1987年农民平均每人挣了多少钱？", "农民人均纯收入，１９８２年为２７０元，１９８７年提高到４６３元。",
         "４６３元"),
        ("上幼儿园不要钱，有多少孩子沾了光？", "学前教育免费政策惠及儿童13万名，提质升级基础教育优质学位9.5万个。",
         "13万名"),
    ],
)  # fmt: skip
def test_everyday_phrases_find_the_reports_words(question: str, sentence: str, value: str) -> None:
    assert _value(question, sentence) == value


def test_an_everyday_phrase_still_binds_its_thing() -> None:
    # 种树 is 造林/植树: farmland built is another quantity; 手里的钱 is 收入, not a road's length
    assert _value("2025年一共种了多少亩树？", "建设高标准农田46.1万亩。") is None
    assert _value("2025年农村人手里的钱涨了多少？", "农村公路里程增长6.3%。") is None
    assert _value("2025年地里的菜一共收了多少？", "粮食产量280.9亿斤。") is None


def test_words_of_where_how_it_moved_and_how_it_is_counted_define_nothing() -> None:
    assert _value("城里新添了多少人有活干？", "城镇新增就业86万人，城镇调查失业率5.1%。") == "86万人"
    assert _value("城里打算让多少人新找到工作？", "城镇新增就业65万人以上，城镇调查失业率5.5%左右。") == "65万人以上"
    assert _value("中小学多了多少个上学的名额？", "新增中小学学位2.4万个，深化中小学集团化办学改革。") == "2.4万个"
    assert _value("湖北这几年给老人养老的床位增到了多少张？", "养老服务床位增至52.4万张，婴幼儿托位增至27.5万个。") == (
        "52.4万张"
    )
    assert not {"地里", "新添", "名额", "交给", "管事"} & set(_words("地里新添了多少名额，交给谁管事？"))


def test_verbs_of_giving_are_not_the_thing_given() -> None:
    said = "推进法治政府建设，修订政府工作规则，出台政府规章 4件，提请人大常委会审议法规议案 8件。"
    assert _value("去年政府交给人大常委会去审的法规草案有几件？", said) == "8件"
    # the rules it made itself are another count
    assert _value("去年政府交给人大常委会去审的法规草案有几件？", "出台政府规章 4件。") is None


def test_examples_before_a_category_are_not_what_is_asked() -> None:
    said = ("出台激励政策，促进专业合作社、家庭农牧场、龙头企业规范有效发展，培育“千万元社”10 家、国家级示范社 30 家，"
            "力争农畜产品加工业总产值增长 10%以上。")  # fmt: skip
    assert _value("今年把青稞、牛羊肉这些农牧产品加工成商品，产值想涨多少？", said) == "10%以上"
    words = _words("汽车、家电等消费品卖了多少？")
    assert "消费品" in words and "汽车" not in words and "家电" not in words
    # with no category after it, a list is what is asked
    assert "汽车" in _words("汽车、家电卖了多少？")


def test_care_for_the_old_is_named_for_the_old_but_a_care_home_is_no_home_bed() -> None:
    assert _value("给老人在家里添了多少张养老床位？", "新增7701张家庭养老床位，老楼加装电梯869台。") == "7701张"
    # 养老院 is 养老机构: beds added in people's homes are another quantity
    assert _value("养老院新添了多少张床位？", "新增7701张家庭养老床位，老楼加装电梯869台。") is None


def test_a_report_word_an_everyday_word_stands_for_carries_its_own_narrowing_word() -> None:
    # 农民 is 农村居民: its 农村 is the question's own, and the town's figure stays another quantity
    said = "城镇居民人均生活费收入增加９１０元，达到１８２６元；农村居民人均纯收入增加３２１元，达到７８４元。"
    assert _value("1992年农民每人挣的钱增加了多少？", said) == "３２１元"
    assert _value("1992年农民每人挣的钱增加了多少？", "城镇居民人均生活费收入增加９１０元。") is None


class _Report:
    """Word counts of a named report holding ``words`` (every word rare in the library)."""

    is_word = staticmethod(WordCounts.is_word)
    askers = staticmethod(WordCounts.askers)

    def __init__(self, *words: str) -> None:
        self.words = words

    def in_searched(self, word: str) -> bool:
        return any(word in w for w in self.words)

    def rare(self, word: str, share: float) -> bool:
        return True


def test_an_everyday_words_report_word_in_the_report_is_no_missing_word() -> None:
    # 上市企业 (what 上市公司 is in reports) looks glued to the segmenter (上 / 市企业) and 学前 like the asker's own
    # word, yet both are the report's: the question's thing is there
    listed = understand("今年打算新添几家上市公司？").asked
    assert words_missing(listed, _Report("新增上市企业2家")) == []  # type: ignore[arg-type]
    school = understand("上幼儿园不要钱，有多少孩子沾了光？").asked
    assert words_missing(school, _Report("学前一年免费教育覆盖近30万儿童")) == []  # type: ignore[arg-type]
    # none of its words in the report: missing, as before
    assert words_missing(listed, _Report("新增专精特新企业2家")) != []  # type: ignore[arg-type]


def test_whom_a_measure_reached_is_counted_in_the_next_clause() -> None:
    # 让多少户人家拿到了育儿补贴: the subsidy in one clause, the households it reached and their count in the next
    said = "落实国家育儿补贴政策，惠及154万户家庭。"
    assert _value("广西2025年生孩子养孩子的补贴让多少户人家拿到了？", said) == "154万户"
    # others reached, or the households not the ones reached, are no answer
    assert _value("育儿补贴让多少户家庭拿到了？", "落实国家育儿补贴政策，惠及154万户农民。") is None
    assert _value("育儿补贴让多少户家庭拿到了？", "落实国家育儿补贴政策，家庭154万户。") is None
