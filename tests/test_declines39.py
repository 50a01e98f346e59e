"""Issue 23, stop 39: right answers to paraphrased questions are not declined — the head of a 的-phrase is what is
asked, a word the question uses for whom (老百姓) need not be in the sentence stating the quantity, and a lower
passage stating the asked phrase answers when the first passage does not (qa/support.py, qa/answerable.py,
qa/abstain.py, qa/engine.py)."""

from __future__ import annotations

from reportqa.qa import answerable
from reportqa.qa.abstain import decide
from reportqa.qa.answerable import PASS, check_asked
from reportqa.qa.query import understand
from reportqa.qa.support import support

PASSAGE = ("坚持尽力而为、量力而行，深入实施“十大民生工程”。着力解决群众急难愁盼问题，城镇新增就业4万人以上。"
           "打造10个以上精品景区（点），推出特色产品。")  # fmt: skip


def _key_words(question: str) -> set[str]:
    a = understand(question).asked
    return {w for t in a.terms if t.phrase == a.key_phrase for w in t.words}


def test_the_head_of_a_de_phrase_after_the_question_word_is_the_key() -> None:
    assert "景点" in _key_words("今年打算弄出多少个值得一去的好景点？")
    assert "值得" not in _key_words("今年打算弄出多少个值得一去的好景点？")
    assert "碳酸锂" in _key_words("去年生产了多少碳酸锂？")  # no 的: the first phrase after it


def test_a_word_for_whom_elsewhere_in_the_passage_is_not_required_in_the_stating_sentence() -> None:
    q = understand("今年跟老百姓过日子有关的民生大工程一共有几个？")
    sent = "坚持尽力而为、量力而行，深入实施“十大民生工程”。"
    assert support(q.asked, sent) is None  # every word: 老百姓 (群众) is not in it
    v = check_asked(q, sent, PASSAGE, {})
    assert v.passed and v.evidence.get("narrowed") == 1.0 and v.sentence == sent
    assert "keyed" not in v.evidence  # 老百姓 names a thing: no lower passage would answer leaving it out


def test_without_the_sentence_words_check_it_is_declined(monkeypatch: object) -> None:
    import pytest

    mp = pytest.MonkeyPatch()
    mp.setattr(answerable, "SENTENCE_WORDS", False)
    try:
        q = understand("今年跟老百姓过日子有关的民生大工程一共有几个？")
        assert not check_asked(q, "坚持尽力而为、量力而行，深入实施“十大民生工程”。", PASSAGE, {}).passed
    finally:
        mp.undo()


def test_the_sentence_words_check_keeps_every_narrowing_word() -> None:
    # a narrowing word the question names (农村) is never left out
    q = understand("今年农村新增就业多少人？")
    assert not check_asked(q, "着力解决群众急难愁盼问题，城镇新增就业4万人以上。", PASSAGE, {}).passed


def test_a_keyed_pass_is_marked_for_the_engine() -> None:
    q = understand("今年打算弄出多少个值得一去的好景点？")
    d = decide(q, PASS, "打造10个以上精品景区（点），推出特色产品。", PASSAGE, {}, 0.0)
    assert d.verdict.passed and d.keyed and not d.supported
    full = decide(understand("今年要打造多少个精品景区？"), PASS, "打造10个以上精品景区（点），推出特色产品。", PASSAGE,
                  {}, 0.0)  # fmt: skip
    assert full.supported and not full.keyed


def test_a_city_named_in_english_is_what_the_figure_is_of() -> None:
    sent = "完成营造林 120 万亩，其中拉萨南北山绿化 24 万亩。"
    lhasa = understand("How many mu of greening were completed on Lhasa's north and south mountains in 2023?")
    assert lhasa.regions == ()  # a place of the city is asked: a subject of its province's report, not a report
    assert any("拉萨" in t.words for t in lhasa.asked.terms)
    found = support(lhasa.asked, sent)
    assert found is not None and found.value.replace(" ", "") == "24万亩"
    shigatse = understand("How many mu of greening were completed on Shigatse's mountains in 2023?")
    assert support(shigatse.asked, sent) is None  # Lhasa's figure is not Shigatse's


def test_the_glossary_knows_general_words_of_ecology_health_and_prices() -> None:
    from reportqa.qa.glossary import chinese_keywords

    assert "国家公园" in chinese_keywords("Which national park is the mainstay of the protected areas?")
    assert "自然保护地" in chinese_keywords("Which national park is the mainstay of the protected areas?")
    words = chinese_keywords("How much were the cuts to fuel and power prices expected to save?")
    assert "电价" in words and "成品油" in words
    assert "患者" in chinese_keywords("How are patients with the disease being treated?")


def test_a_total_asked_and_a_measure_word_are_not_glued_into_the_quantitys_words() -> None:
    def words(q: str) -> set[str]:
        return {w for t in understand(q).asked.terms for w in t.words}

    assert words("河北这几年一共引进了多少家央企的子公司？") >= {"央企", "子公司"}
    assert "家央企" not in words("河北这几年一共引进了多少家央企的子公司？")
    assert not words("河南的高速公路一共通了多少公里？") & {"共通", "一共"}
    assert "起来" not in words("北京的地铁现在加起来总共多少公里？")
    sent = "高速公路通车里程突破1万公里，机场货邮吞吐量100万吨。"
    found = support(understand("河南的高速公路一共通了多少公里？").asked, sent)
    assert found is not None and found.value == "1万公里"


def test_a_latin_word_of_the_glossary_is_found_as_the_clause_is_read() -> None:
    q = understand("By how much has Hebei's average PM2.5 concentration fallen in total?")
    found = support(q.asked, "全省PM2.5平均浓度累计下降27.4%，所有设区市空气质量全部“退后十”。")
    assert found is not None and found.value == "27.4%"


def test_the_glossary_knows_consulates_anti_fraud_and_village_doctors() -> None:
    from reportqa.qa.glossary import chinese_keywords

    assert "领事机构" in chinese_keywords("How many foreign consulates are there in Chongqing now?")
    assert "反诈" in chinese_keywords("How many anti-fraud stations will be built?")
    assert "乡村医生" in chinese_keywords("How many village doctors will be trained?")


def test_a_projects_phase_is_no_count() -> None:
    q = understand("How many passengers did Xining airport handle in 2025?")
    assert support(q.asked, "西宁机场三期建成投运、旅客吞吐量增速居省会城市机场首位。") is None
    found = support(understand("今年要举办几期培训班？").asked, "全年举办三期培训班。")
    assert found is not None and found.value == "三期"  # after a verb: a count


def test_a_lower_passage_leaving_out_a_thing_the_question_names_is_no_keyed_answer() -> None:
    q = understand("雄安新区2025年完成投资多少亿元？")
    sent = "1596个重大项目完成投资1.5万亿元，投资完成率125.5%。"
    d = decide(q, PASS, sent, sent, {}, 0.0)
    assert not d.keyed  # 新区 names a thing: another passage's 投资 is not the Xiong'an one
