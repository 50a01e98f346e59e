"""Issue 23: a figure the named report never gives is declined as ``no_figure`` — also for quantities no indicator
lists — when the quantity's words are rare in the library and absent from the named report; right answers are
not declined (qa/rarity.py, qa/answerable.py: REPORT_WORDS_MISSING)."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportqa.index.storage import store
from reportqa.index.text.tokens import names_thing
from reportqa.qa import answerable
from reportqa.qa.answerable import check_asked, words_missing
from reportqa.qa.engine import Engine
from reportqa.qa.query import understand
from reportqa.qa.rarity import WordCounts
from reportqa.qa.support import support

from .conftest import ROOT, FakeEmbedder, fake_index

PROVINCIAL = ROOT / "tests" / "data" / "corpus" / "provincial-2026"


@pytest.fixture(scope="module")
def two_provinces(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Beijing and Shanghai 2026 indexed with the fake embedder."""
    return fake_index(tmp_path_factory, "declines", [PROVINCIAL / "beijing-2026.txt", PROVINCIAL / "shanghai-2026.txt"])


@pytest.fixture(scope="module")
def engine(two_provinces: Path) -> Engine:
    return Engine(store.load_index(two_provinces), FakeEmbedder())


def _beijing(eng: Engine) -> WordCounts:
    doc = next(d for d in eng.index.documents if "beijing" in d.name)
    return WordCounts(eng.index, eng.retriever.chunk_ranges({doc.id}))


def test_word_counts_read_the_library_and_the_named_report(engine: Engine) -> None:
    counts = _beijing(engine)
    beijing = (PROVINCIAL / "beijing-2026.txt").read_text(encoding="utf-8")
    shanghai = (PROVINCIAL / "shanghai-2026.txt").read_text(encoding="utf-8")
    assert "草莓" not in beijing + shanghai
    assert counts.df("草莓") == 0 and counts.rare("草莓", 0.001)
    assert counts.in_searched("草莓") is False
    assert counts.in_searched("地区生产总值") is True
    assert not counts.rare("发展", 0.01)  # in most passages
    # a word only Shanghai's report uses is absent from Beijing's, present in the library
    only_sh = "浦东"
    assert only_sh in shanghai and only_sh not in beijing
    assert counts.in_searched(only_sh) is False and (counts.df(only_sh) or 0) > 0
    # no named report: nothing is absent from it
    assert WordCounts(engine.index, None).in_searched("草莓") is None


def test_a_rare_word_the_named_report_never_uses_is_missing(engine: Engine) -> None:
    counts = _beijing(engine)
    q = understand("北京2025年电竞产业规模有多大？")
    assert "电竞" in words_missing(q.asked, counts)
    # without a named report to look in the same question has nothing missing
    assert words_missing(q.asked, WordCounts(engine.index, None)) == []
    # a word of the report is never missing, however rare
    assert words_missing(understand("北京2026年地区生产总值增长目标是多少？").asked, counts) == []


def test_the_check_declines_what_the_lenient_path_answered(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    q = understand("北京2025年电竞产业规模有多大？")
    passage = "数字经济增加值占地区生产总值比重达到50%左右。"
    counts = _beijing(engine)
    v = check_asked(q, passage, passage, {}, df=counts)
    assert not v.passed and v.reason == "no_figure" and v.message and "电竞" in v.message
    monkeypatch.setattr(answerable, "REPORT_WORDS_MISSING", False)
    assert check_asked(q, passage, passage, {}, df=counts).passed  # the check is what declines it


def test_engine_declines_a_quantity_the_report_never_names(engine: Engine) -> None:
    for question in ("北京2025年草莓产量是多少？", "北京市去年电竞产业收入有多少亿元？"):
        a = engine.ask(question)
        assert a.abstained and a.reason == "no_figure", question


def test_engine_still_answers_what_the_report_gives(engine: Engine) -> None:
    right = engine.ask("北京市2026年地区生产总值增长目标是多少？")
    assert not right.abstained and right.sentence and "5%左右" in right.sentence


@pytest.mark.parametrize(
    ("question", "sentence", "value"),
    [
        ("报告里提到的城镇新增就业目标是多少？", "城镇新增就业26万人以上，城镇调查失业率5.5%以内。", "26万人"),
        ("今年新增就业岗位有多少？", "全年城镇新增就业26万人，高校毕业生就业保持稳定。", "26万人"),
        ("2025年电竞产业收入是多少？", "电竞产业收入达到120亿元，增长15%。", "120亿元"),
        ("江苏2026年城镇新增就业目标各是多少？", "城镇新增就业120万人以上，调查失业率5.5%左右。", "120万人"),
    ],
)
def test_framing_words_synonyms_and_years_do_not_hide_the_quantity(question: str, sentence: str, value: str) -> None:
    """"提到的" frames the quantity, 岗位 is the reports' 就业, a year glued to the quantity does not cut it apart."""
    found = support(understand(question).asked, sentence)
    assert found is not None and found.value.startswith(value)


def test_a_quantity_the_sentence_does_not_name_is_not_supported() -> None:
    assert support(understand("2025年电竞产业收入是多少？").asked, "文化产业收入达到120亿元。") is None


def test_a_report_that_lists_or_shortens_a_word_holds_it(engine: Engine) -> None:
    counts = _beijing(engine)
    beijing = (PROVINCIAL / "beijing-2026.txt").read_text(encoding="utf-8")
    assert "高精尖产业" in beijing and "高精产业" not in beijing
    assert counts.in_searched("高精产业") is True  # its characters in order, at most two others between
    assert counts.in_searched("草莓产业") is False  # 草 and 莓 are not there in order


def test_fragments_glued_from_the_question_are_no_missing_words() -> None:
    assert not WordCounts.is_word("率要") and not WordCounts.is_word("上作")  # 建成率要达到, 会议上作的
    assert not WordCounts.is_word("第几次")
    assert WordCounts.is_word("电竞") and WordCounts.is_word("草莓")
    assert "率要" not in [w for t in understand("山东美丽海湾建成率要达到多少？").asked.terms for w in t.words]


def test_the_askers_everyday_words_are_neither_missing_nor_required() -> None:
    # the general dictionary's parts of speech: a thing (物业, 消费) against the words of how it is asked
    assert names_thing("物业") and names_thing("消费")
    assert names_thing("请来") is False and names_thing("手里") is False and names_thing("每人") is False
    assert names_thing("电竞") is None  # unknown: may be a new thing, so it stays a defining word
    assert names_thing("预制菜") is None and names_thing("研学") is None  # unknown, ending in a noun
    # unknown, ending in a verb: everyday characters the segmenter glued (楼装 of 多层楼装了多少台电梯)
    assert names_thing("楼装") is False and names_thing("再多建") is False and names_thing("钱涨") is False
    # 平均 is in the passage (平均水平) but not in the clause stating the figure: the things named decide
    q = understand("吉林2025年农民平均每人多挣了多少钱？")
    said = "重构农业投资农民受益机制，农民人均收入增加1207元，脱贫地区农民收入增速超过全国农民收入平均水平。"
    v = check_asked(q, said, said, {})
    assert v.passed and v.sentence == said
    # a thing still binds: the same words about another quantity are no answer
    other = "重构农业投资受益机制，企业利润增加1207元，超过全国平均水平。"
    assert not check_asked(q, other, other, {}).passed


def test_a_word_of_how_it_is_asked_is_never_missing(engine: Engine) -> None:
    counts = _beijing(engine)
    beijing = (PROVINCIAL / "beijing-2026.txt").read_text(encoding="utf-8")
    assert "手里" not in beijing and counts.askers("手里")
    assert words_missing(understand("北京2025年农村居民手里的收入增长多少？").asked, counts) == []
    assert "电竞" in words_missing(understand("北京2025年电竞产业规模有多大？").asked, counts)
