"""The diff of two reports (qa/diff.py) with the fake embedder: re-layout diffs empty, scripted edits are
found with their citations, figures re-figured are paired, new terms are absent from A, stored vectors and
files give the same diff."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import numpy as np
import pytest
from reportqa.index.reading.sentences import split_sentences
from reportqa.index.storage.store import load_index
from reportqa.qa.diff import Diff, change_figures, diff_sides, figures, figures_agree, key
from reportqa.qa.query import understand
from reportqa.qa.reports import find_document, report_from_file, side_from_index, side_from_report
from reportqa.qa.yoy import diff_pair

from .conftest import ROOT, FakeEmbedder, fake_index

sys.path.insert(0, str(ROOT / "bench"))
from yoy_edits import edit, rewrap

NATIONAL = ROOT / "tests" / "data" / "corpus" / "national"
A_FILE = NATIONAL / "national-2024.txt"
B_FILE = NATIONAL / "national-2025.txt"
DONOR = ROOT / "tests" / "data" / "corpus" / "provincial-2026" / "guizhou-2026.txt"


def _embed(texts: list[str]):  # type: ignore[no-untyped-def]
    return FakeEmbedder().embed(texts, "passage")


def _file_diff(a: Path, b: Path, judge: bool = True) -> Diff:
    return diff_sides(side_from_report(report_from_file(a)), side_from_report(report_from_file(b)), _embed,
                      judge=judge)  # fmt: skip


def _sentences(items) -> list[str]:  # type: ignore[no-untyped-def]
    return [key(s) for i in items for s in split_sentences(i.text)]


@pytest.mark.parametrize("name", ["national-2024.txt", "national-1957.txt", "national-2009.txt"])
def test_a_rewrapped_copy_diffs_empty(tmp_path: Path, name: str) -> None:
    a = report_from_file(NATIONAL / name)
    copy = tmp_path / name
    copy.write_text(rewrap([p.text for p in a.paragraphs]), encoding="utf-8")
    assert copy.read_text(encoding="utf-8").count("\n") > len(a.paragraphs) * 2  # really re-wrapped
    d = _file_diff(NATIONAL / name, copy)
    assert d.empty, (d.added[:3], d.dropped[:3], d.changed[:3])
    assert d.new_terms == ()


def test_scripted_edits_are_found_with_citations(tmp_path: Path) -> None:
    a = report_from_file(A_FILE)
    donor = report_from_file(DONOR)
    e = edit(a.paragraphs, donor.paragraphs, random.Random(7), n_delete=3, n_insert=3, n_change=4)
    assert e.added and e.dropped and e.changed
    b_path = tmp_path / "edited.txt"
    b_path.write_text(rewrap(e.paragraphs), encoding="utf-8")
    d = _file_diff(A_FILE, b_path)
    # every edit is reported: listed, or held back by the listing model as unsure (a donor paragraph of stock
    # phrases, 实现上述目标，推动贵州走出一条…高质量发展新路, is what a rewording looks like to it); nothing else is
    assert sorted(_sentences(d.added) + _sentences(d.unsure_added)) == sorted(key(s) for s in e.added)
    assert sorted(_sentences(d.dropped) + _sentences(d.unsure_dropped)) == sorted(key(s) for s in e.dropped)
    assert len(_sentences(d.added)) >= len(e.added) // 2 and len(_sentences(d.dropped)) >= len(e.dropped) // 2
    assert sorted((key(c.before.text), key(c.after.text)) for c in d.changed) == sorted(
        (key(x), key(y)) for x, y in e.changed
    )
    b_text = b_path.read_text(encoding="utf-8").replace("\n", "").replace("\u3000", "")
    for c in d.changed:
        assert set(c.before.value.split("、")) <= set(figures(c.before.text))
        assert set(c.after.value.split("、")) <= set(figures(c.after.text))
        assert c.before.value != c.after.value
        assert c.before.citation.document == A_FILE.name and c.after.citation.document == "edited.txt"
    a_pars = {p.n: p.text for p in a.paragraphs}
    for i in d.dropped:  # a dropped passage is cited at the paragraph of A that holds it
        assert key(i.text) in key(a_pars[i.citation.paragraph])
    for i in d.added:
        assert key(i.text) in key(b_text)


def test_new_terms_are_written_in_b_and_never_in_a(tmp_path: Path) -> None:
    d = _file_diff(A_FILE, B_FILE)
    a_text = key(A_FILE.read_text(encoding="utf-8"))
    b = report_from_file(B_FILE)
    b_text = key("\n".join(p.text for p in b.paragraphs))
    assert d.new_terms
    for t in d.new_terms:
        assert t.term not in a_text
        assert b_text.count(t.term) == t.count >= 1
        assert t.term in key(t.sentence)
    counts = [t.count for t in d.new_terms]
    assert counts == sorted(counts, reverse=True)


def test_a_reworded_sentence_pairs_but_a_new_one_does_not(tmp_path: Path) -> None:
    base = ["各位代表：", "今年要新建高标准农田20万亩，推进农业现代化。", "加快建设综合交通运输体系。"]
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_text("\n\n".join(base) + "\n", encoding="utf-8")
    b.write_text("\n\n".join([base[0], "今年要新建高标准农田25万亩，推进农业现代化。", "加快建设综合交通运输体系！",
                              "大力发展低空经济，培育具身智能产业。"]) + "\n", encoding="utf-8")  # fmt: skip
    d = _file_diff(a, b)
    assert [(c.before.value, c.after.value) for c in d.changed] == [("20万亩", "25万亩")]
    assert [i.text for i in d.added] == ["大力发展低空经济，培育具身智能产业。"]
    assert d.dropped == ()  # "各位代表：" said in both; a salutation is never an item anyway
    assert any("低空经济" in t.term for t in d.new_terms)
    assert all(t.term not in key(a.read_text(encoding="utf-8")) for t in d.new_terms)


@pytest.fixture(scope="module")
def two_year_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fake_index(tmp_path_factory, "yoy", [A_FILE, B_FILE])


def test_stored_vectors_and_files_give_the_same_diff(two_year_index: Path) -> None:
    index = load_index(two_year_index, check_sources=False)
    a, b = (find_document(n, index.documents) for n in ("national-2024.txt", "national-2025"))
    assert a is not None and b is not None
    stored = diff_sides(side_from_index(index, a), side_from_index(index, b), None)
    files = _file_diff(A_FILE, B_FILE)

    def texts(d: Diff) -> tuple[list[str], list[str], list[tuple[str, str]]]:
        return _sentences(d.added), _sentences(d.dropped), [(c.before.value, c.after.value) for c in d.changed]

    # the fake embedder's stored vectors carry the section path, the fresh ones do not: the pairs found by
    # text (almost all) agree
    sa, fa = texts(stored), texts(files)
    for s, f in zip(sa, fa, strict=True):
        assert len(set(s) ^ set(f)) <= max(3, len(f) // 20)
    assert stored.a == "national-2024.txt" and stored.b == "national-2025.txt"
    assert all(i.citation.year == 2025 and i.citation.region == "全国" for i in stored.added)


def test_a_file_the_index_was_built_from_is_diffed_from_its_stored_vectors(
    two_year_index: Path, tmp_path: Path
) -> None:
    """``reportqa diff FILE FILE`` with an index built from those very files embeds nothing; an edited copy is
    read and embedded as any file."""
    from reportqa.qa.yoy import diff_named

    index = load_index(two_year_index, check_sources=False)

    def no_embedder():  # type: ignore[no-untyped-def]
        raise AssertionError("an indexed file needs no embedder")

    d = diff_named(str(A_FILE), str(B_FILE), index, no_embedder)
    a, b = (find_document(n, index.documents) for n in ("national-2024.txt", "national-2025"))
    assert a is not None and b is not None
    stored = diff_sides(side_from_index(index, a), side_from_index(index, b), None)
    assert (d.a, d.b) == (A_FILE.name, B_FILE.name)
    assert [i.text for i in d.added] == [i.text for i in stored.added]
    assert [i.text for i in d.dropped] == [i.text for i in stored.dropped]
    edited = tmp_path / "national-2025.txt"
    edited.write_text(
        B_FILE.read_text(encoding="utf-8") + "\n\n大力发展低空经济，培育具身智能产业。\n", encoding="utf-8"
    )
    d2 = diff_named(str(A_FILE), str(edited), index, FakeEmbedder)
    # found unpaired (listed, or unsure: 2024 writes 低空经济 too)
    assert any("低空经济" in i.text for i in d2.added + d2.unsure_added)


def test_a_diff_question_picks_the_two_reports(two_year_index: Path) -> None:
    index = load_index(two_year_index, check_sources=False)
    questions = ("2025年政府工作报告和2024年相比有哪些新提法？", "2025年政府工作报告有什么新变化？",
                 "今年的报告有哪些新提法")  # fmt: skip
    for q in questions:
        query = understand(q)
        assert query.intent == "diff"
        a, b = diff_pair(query, index.documents)
        assert (a.year, b.year) == (2024, 2025)
    from reportqa.index.errors import UsageError

    with pytest.raises(UsageError, match="no 全国 report of 2022"):
        diff_pair(understand("2023年政府工作报告和2022年相比有哪些新提法？"), index.documents)


def test_a_diff_question_the_library_cannot_answer_is_declined_with_the_reason(two_year_index: Path) -> None:
    """In the chat a diff of a report the library lacks is a scope answer saying which, not an error."""
    from reportqa.qa.yoy import answer_yoy

    index = load_index(two_year_index, check_sources=False)
    a = answer_yoy(understand("2023年政府工作报告和2022年相比有哪些新提法？"), index, FakeEmbedder())
    assert a.abstained and a.reason == "scope" and a.diff is None
    assert "2022" in (a.message or "")


def _texts_diff(tmp_path: Path, a: list[str], b: list[str]) -> Diff:
    """The pairing passes' diff of two small reports, without the listing model (qa/diff_model.py): on a report of
    a few dozen sentences the rarity weights of its evidence mean little (its own tests use real reports)."""
    (tmp_path / "a.txt").write_text("\n\n".join(["各位代表：", *a]) + "\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("\n\n".join(["各位代表：", *b]) + "\n", encoding="utf-8")
    return _file_diff(tmp_path / "a.txt", tmp_path / "b.txt", judge=False)


NEW = "大力发展低空经济，培育具身智能产业。"


def test_a_sentence_whose_clauses_a_says_in_two_sentences_is_not_added(tmp_path: Path) -> None:
    a = ["继续加强职业技能培训，重点提高农民工和城乡新增劳动力的就业能力。",
         "拓宽就业渠道，鼓励自主创业、自谋职业等多种形式的灵活就业。", "加快建设综合交通运输体系。"]  # fmt: skip
    b = ["加强职业技能培训，鼓励自主创业。", "加快建设综合交通运输体系。", NEW]
    d = _texts_diff(tmp_path, a, b)
    assert [i.text for i in d.added] == [NEW]  # the first sentence of B is said in A, in two sentences
    assert d.changed == ()


def test_a_sentence_keeping_one_half_word_for_word_is_no_item_but_a_new_one_is(tmp_path: Path) -> None:
    a = ["要坚决遏制部分城市房价过快上涨势头，满足人民群众的基本住房需求。", "加快建设综合交通运输体系。"]
    b = ["坚决遏制部分城市房价过快上涨势头，加快发展公共租赁住房。", "加快建设综合交通运输体系。", NEW]
    d = _texts_diff(tmp_path, a, b)
    assert [i.text for i in d.added] == [NEW]
    assert d.dropped == ()


def test_a_clause_with_another_figure_keeps_its_sentence_listed(tmp_path: Path) -> None:
    # both clauses are said in A, but A writes another figure: the sentence is news (here a changed figure)
    a = ["今年城镇新增就业1100万人，进一步提高职业技能培训质量，高校毕业生就业保持稳定，努力实现更加充分更高质量就业。",
         "加快建设综合交通运输体系。"]  # fmt: skip
    b = ["进一步提高职业技能培训质量，城镇新增就业1200万人。", "加快建设综合交通运输体系。"]
    d = _texts_diff(tmp_path, a, b)
    listed = [i.text for i in d.added] + [c.after.text for c in d.changed]
    assert listed == [b[0]]


def test_a_quantity_refigured_in_other_words_is_changed_not_dropped_and_added(tmp_path: Path) -> None:
    a = ["中央财政安排农村危房改造补助资金230亿元，比上年增长一倍，完成改造任务。", "加快建设综合交通运输体系。"]
    b = ["坚持因地制宜，统筹城乡住房保障，今年中央财政预算拟安排农村危房改造补助资金300亿元，支持贫困农户改造危房。",
         "加快建设综合交通运输体系。", NEW]  # fmt: skip
    d = _texts_diff(tmp_path, a, b)
    assert [(c.before.value, c.after.value) for c in d.changed] == [("230亿元", "300亿元")]
    assert [i.text for i in d.added] == [NEW]
    assert d.dropped == ()


def test_only_sentences_the_wording_leaves_unpaired_are_embedded() -> None:
    """A sentence paired by wording (Dice ≥ TEXT_MATCH) is never embedded, even when another sentence is a
    meaning candidate for it (Dice in the 0.45–0.6 band); sentences both still unpaired with such a candidate are."""
    from reportqa.index.records import Citation
    from reportqa.qa.diff import Side, Unit, dice_matrix, pair

    a_text = "加快建设现代化产业体系，推动制造业高端化智能化绿色化发展。"
    kept = "加快建设现代化产业体系，推动制造业高端化智能化绿色化发展壮大。"  # the same sentence, reworded a little
    near = "加快建设现代化交通体系，推动制造业数字化转型。"  # shares wording with a_text, not enough alone
    assert dice_matrix([a_text], [kept])[0, 0] >= 0.6 and 0.45 <= dice_matrix([a_text], [near])[0, 0] < 0.6
    other = "稳步推进城市更新，建设现代化交通网络，推动数字化转型升级。"  # a second A sentence near ``near`` only
    assert 0.45 <= dice_matrix([other], [near])[0, 0] < 0.6 and dice_matrix([other], [kept])[0, 0] < 0.45

    def side(texts: list[str]) -> Side:
        cite = [
            Citation(document="x.txt", section="", paragraph=i + 1, lines=(i + 1, i + 1)) for i in range(len(texts))
        ]
        return Side("x", tuple(Unit(t, c) for t, c in zip(texts, cite, strict=True)))

    seen: list[str] = []

    def embed(texts):  # type: ignore[no-untyped-def]
        seen.extend(texts)
        return _embed(texts)

    assert pair(side([a_text]), side([kept, near]), embed) == {0: 0}
    assert seen == []  # the wording paired a_text: no vectors needed at all
    pair(side([a_text, other]), side([kept, near]), embed)
    assert sorted(seen) == sorted([other, near])  # only the two left unpaired, never a_text or kept


# shared by both reports, word for word: a context in which, as in real reports, 管理 and 保护 are common words
# and 全民阅读 and 知识产权 rare ones (a content word weighs by its rarity over both reports' sentences)
_SHARED = ["坚持稳中求进工作总基调，完整准确全面贯彻新发展理念。", "推动经济实现质的有效提升和量的合理增长。",
           "加快建设现代化产业体系，推动产业结构优化升级。", "扩大国内需求，推动消费和投资协同发力。",
           "深化重点领域改革，激发各类经营主体活力。", "扩大高水平对外开放，稳外贸稳外资。",
           "加强生态环境保护，推动绿色低碳发展。", "保障和改善民生，加强社会建设。",
           "加快建设教育强国、科技强国、人才强国。", "统筹发展和安全，有效防范化解重点领域风险。",
           "巩固拓展脱贫攻坚成果，全面推进乡村振兴。", "推进以人为核心的新型城镇化。",
           "加强政府自身建设，持续改进工作作风。", "坚持以人民为中心的发展思想，办好民生实事。",
           "强化预算管理，严肃财经纪律。", "加强耕地保护和用途管理。",
           "提高城市规划、建设、治理管理水平。"]  # fmt: skip


def test_a_commitment_reworded_is_neither_added_nor_dropped(tmp_path: Path) -> None:
    # no clause is written alike (Dice of the bigrams < 0.45); the content words are the same, the verbs not
    a = [*_SHARED, "深入推进全民阅读。", "加强知识产权的保护和管理。"]
    b = [*_SHARED, "深化全民阅读活动。", "依法保护知识产权。", NEW]
    d = _texts_diff(tmp_path, a, b)
    assert [i.text for i in d.added] == [NEW]
    assert d.dropped == ()


def test_a_new_sentence_sharing_only_generic_verbs_is_still_added(tmp_path: Path) -> None:
    # 推进 … 建设 and even 全民 are shared; 健身场地 is not 阅读: another commitment, so added and dropped
    a = [*_SHARED, "深入推进全民阅读。", "深入推进平安中国建设。"]
    b = [*_SHARED, "大力推进全民健身场地设施建设。", "深入推进平安中国建设。"]
    d = _texts_diff(tmp_path, a, b)
    assert [i.text for i in d.added] == ["大力推进全民健身场地设施建设。"]
    assert [i.text for i in d.dropped] == ["深入推进全民阅读。"]


def test_a_reworded_commitment_with_a_figure_the_other_report_does_not_write_stays_listed(tmp_path: Path) -> None:
    a = [*_SHARED, "深入推进全民阅读，建设农家书屋。"]
    b = [*_SHARED, "深化全民阅读活动，新建农家书屋5000个。"]
    d = _texts_diff(tmp_path, a, b)
    assert [i.text for i in d.added] == [b[-1]]  # 5000个 is news


def test_the_content_pass_lookups_match_a_plain_substring_search() -> None:
    """The bigram index of the content pass finds exactly the sentences a substring search finds, and counts the
    own side's occurrences as str.count does (non-overlapping: 哈哈 twice in 哈哈哈哈, once in 哈哈哈)."""
    from reportqa.index.records import Citation
    from reportqa.qa.diff import Unit, _Holders

    def units(texts: list[str]) -> list[Unit]:
        return [Unit(t, Citation(document="x.txt", section="", paragraph=1, lines=(1, 1))) for t in texts]

    other = ["深化全民阅读活动。", "依法保护“知识产权”。", "哈哈哈", "全民健身"]
    own = ["深入推进全民阅读。", "哈哈哈哈，全民", "知识产权保护"]
    h = _Holders(units(other), units(own), {0, 1, 2})
    flat = ["深化全民阅读活动。", "依法保护知识产权。", "哈哈哈", "全民健身"]  # quotes removed, as clauses are
    joined_own = "\n".join(own)
    for w in ["全民", "全民阅读", "知识产权", "哈哈", "哈哈哈", "产权保", "健身", "没有的词"]:
        where, weight = h.get(w)
        expected = {k for k, t in enumerate(flat) if w in t}
        df = len(expected) + joined_own.count(w)
        assert where == frozenset(expected & {0, 1, 2}), w
        assert weight == pytest.approx(np.log((len(other) + len(own) + 1.0) / (df + 1.0))), w


def test_urban_and_rural_income_are_two_quantities_not_one_changed(tmp_path: Path) -> None:
    # B's sentence overlaps A's urban one most (Dice 0.62, the rural one has a clause more), but 城镇 and 农村 name
    # two quantities: the rural income is re-figured, the urban one dropped (the 1997 and 1998 reports)
    a = [*_SHARED, "城镇居民人均生活费收入达到4300多元，实际增长3.3%。",
         "农村居民人均纯收入达到1900多元，实际增长9%，是近年来增幅最高的一年。"]  # fmt: skip
    b = [*_SHARED, "农村居民人均纯收入达到2090元，年均实际增长5.4%。"]
    d = _texts_diff(tmp_path, a, b)
    assert [(c.before.text, c.after.text) for c in d.changed] == [(a[-1], b[-1])]
    assert [i.text for i in d.dropped] == [a[-2]]


def test_a_quantity_refigured_with_other_verbs_is_changed_not_dropped_and_added(tmp_path: Path) -> None:
    # the clauses' bigrams overlap too little (0.56 weighted) for the clause rule; their content words are the same
    # (发电 is a common word of the reports, as in the 2022 and 2023 reports this comes from)
    a = [*_SHARED, "可再生能源发电装机规模突破10亿千瓦。", "粮食产量保持在1.3万亿斤以上。", "保障发电用煤供应。"]
    b = [*_SHARED, "优化能源结构，可再生能源装机规模由6.5亿千瓦增至12亿千瓦以上，清洁能源消费占比上升。",
         "粮食产量保持在1.3万亿斤以上。", "保障发电用煤供应。", NEW]  # fmt: skip
    d = _texts_diff(tmp_path, a, b)
    assert [(c.before.value, c.after.value) for c in d.changed] == [("10亿千瓦", "6.5亿千瓦、12亿千瓦以上")]
    assert [i.text for i in d.added] == [NEW]
    assert d.dropped == ()


def test_a_figure_in_numerals_is_no_content_word_of_a_change(tmp_path: Path) -> None:
    # 三百三十九 and 三百三十三 share the numerals' words, not what they count
    a = [*_SHARED, "其他的百分之四十四点二，即三百三十九亿元。"]
    b = [*_SHARED, "我国的工业总产值增长一点二倍，即增加三百三十三亿元。"]
    d = _texts_diff(tmp_path, a, b)
    assert d.changed == ()


def test_two_quantities_of_one_frame_are_not_one_changed(tmp_path: Path) -> None:
    # the wording pairs them (中央财政…安排…支出…亿元，比…增加…亿元), but what precedes the figures names two
    # quantities each sentence never writes: social-security spending dropped, science spending added (the 2007
    # and 2008 reports); the same spending named in the other sentence's context is still one quantity
    a = [*_SHARED, "今年中央财政安排社会保障支出2019亿元，比去年增加247亿元。"]
    b = [*_SHARED, "今年中央财政将安排科技支出1134亿元，比上年增加134亿元。"]
    d = _texts_diff(tmp_path, a, b)
    assert d.changed == ()
    assert [i.text for i in d.dropped] == [a[-1]]
    assert [i.text for i in d.added] == [b[-1]]
    b2 = [*_SHARED, "为加快社会保障体系建设，今年中央财政将安排2762亿元，比上年增加458亿元。"]
    d = _texts_diff(tmp_path, a, b2)
    assert [(c.before.value, c.after.value) for c in d.changed] == [("2019亿元、247亿元", "2762亿元、458亿元")]


def test_an_increment_is_not_changed_into_a_level(tmp_path: Path) -> None:
    # "又扩大了8个省份" is how many were added, "扩大到11个省份" how many there are: one fact, not 8 → 11
    a = [*_SHARED, "在东北三省试点的基础上，企业职工基本养老保险做实个人账户试点范围又扩大了8个省份。"]
    b = [*_SHARED, "做实基本养老保险个人账户试点扩大到11个省份；"]
    assert _texts_diff(tmp_path, a, b).changed == ()
    a = [*_SHARED, "国家财政收入比上年增加1501亿元。"]
    b = [*_SHARED, "国家财政收入达13380亿元。"]
    assert _texts_diff(tmp_path, a, b).changed == ()
    b = [*_SHARED, "国家财政收入比上年增加1730亿元。"]  # two increments: a change
    assert [(c.before.value, c.after.value) for c in _texts_diff(tmp_path, a, b).changed] == [("1501亿元", "1730亿元")]


def test_a_sentence_half_said_in_other_words_is_no_item(tmp_path: Path) -> None:
    # two of its three clauses are said in A with other verbs (实施…行动, 开展…赋能专项行动), in sentences that are
    # themselves paired or not: one half said in other words is no news (the 2024 and 2025 reports)
    a = [*_SHARED, "实施制造业数字化转型行动，加快工业互联网规模化应用。", "深入开展中小企业数字化赋能专项行动。"]
    b = [*_SHARED, "加快制造业数字化转型，培育一批既懂行业又懂数字化的服务商，加大对中小企业数字化转型的支持。", NEW]
    d = _texts_diff(tmp_path, a, b)
    assert [i.text for i in d.added] == [NEW]


def test_a_list_whose_items_the_other_report_says_is_no_item(tmp_path: Path) -> None:
    # the items of a list (cut at 、) are pieces as clauses are: 财税金融 and 农业农村 reform are said in A
    a = [*_SHARED, "深化财税金融体制改革，健全现代预算制度。", "扎实推进农业农村改革。"]
    b = [*_SHARED, "深化财税金融、农业农村、生态环保等领域改革。", NEW]
    d = _texts_diff(tmp_path, a, b)
    assert [i.text for i in d.added] == [NEW]


def test_a_sentence_with_one_piece_said_is_still_added(tmp_path: Path) -> None:
    # one of three clauses said is not half of it
    a = [*_SHARED, "实施制造业数字化转型行动。"]
    new = "加快制造业数字化转型，建设国家低空经济示范区，培育具身智能产业集群。"
    d = _texts_diff(tmp_path, a, [*_SHARED, new])
    assert [i.text for i in d.added] == [new]


def test_a_piece_said_only_in_a_sentence_both_reports_share_keeps_its_sentence_listed(tmp_path: Path) -> None:
    # "推动产业结构优化升级" is in a sentence A and B write word for word: A says it twice and drops one of them,
    # which is how a deleted paragraph of one report reads (bench/yoy_diff.py edits)
    gone = "推动产业结构优化升级，培育世界级先进制造业集群。"
    d = _texts_diff(tmp_path, [*_SHARED, gone], list(_SHARED))
    assert [i.text for i in d.dropped] == [gone]


def _periods_diff(tmp_path: Path, a: tuple[list[str], list[str]], b: tuple[list[str], list[str]]) -> Diff:
    """The diff of two reports of 2024 and 2025, each a review section and a plan section (``(review, plan)``),
    without the listing model (as :func:`_texts_diff`)."""
    for name, year, (review, plan) in (("a.txt", 2024, a), ("b.txt", 2025, b)):
        text = [f"{year}年政府工作报告", "各位代表：", f"一、{year - 1}年工作回顾", *_SHARED[:8], *review,
                f"二、{year}年政府工作任务", *_SHARED[8:], *plan]  # fmt: skip
        (tmp_path / name).write_text("\n\n".join(text) + "\n", encoding="utf-8")
    sides = [side_from_report(report_from_file(tmp_path / n)) for n in ("a.txt", "b.txt")]
    return diff_sides(sides[0], sides[1], _embed, judge=False)


EAST_A = "西部大开发扎实推进，东部地区率先发展取得新成绩。"
EAST_B = "东部地区继续率先发展，经济实力和整体素质显著提升。"
NEW_REVIEW = "低空经济蓬勃兴起，具身智能产业起步。"


def test_a_development_restated_by_its_first_clause_is_no_item(tmp_path: Path) -> None:
    # two reviews of the East's development: B's first clause, what it is about, is held in A's review, and the
    # two sentences mean alike; its second clause alone (经济实力和整体素质) is no news of another development
    d = _periods_diff(tmp_path, ([EAST_A], []), ([EAST_B, NEW_REVIEW], []))
    assert [i.text for i in d.added] == [NEW_REVIEW]


def test_a_first_clause_held_by_a_sentence_about_something_else_keeps_its_sentence_listed(tmp_path: Path) -> None:
    # A's sentence names 现代物流业 (the airline sentence's first clause) but is about the rural delivery network
    # B's other sentence names: its best counterpart is that one, so the airline sentence is news
    plan_a = "加快发展现代物流业，完善县乡村三级物流配送体系，降低全社会物流成本。"
    air = "加快发展现代物流业，培育具有国际竞争力的航空货运企业，建设国际快递枢纽。"
    rural = "健全县乡村三级物流配送网络，推进农村电商发展，培育农村消费新业态。"
    d = _periods_diff(tmp_path, ([], [plan_a]), ([], [air, rural, NEW]))
    assert [i.text for i in d.added] == [air, rural, NEW]


def test_a_review_is_no_counterpart_of_a_plan(tmp_path: Path) -> None:
    # A plans what B reviews: a new statement, however alike the two
    plan_a = "支持东部地区率先发展，西部大开发扎实推进。"
    d = _periods_diff(tmp_path, ([], [plan_a]), ([EAST_B, NEW_REVIEW], []))
    assert [i.text for i in d.added] == [EAST_B, NEW_REVIEW]


MASS_A = "大众创业、万众创新广泛开展，新登记企业快速增长。"
MASS_B = "大众创业、万众创新蓬勃发展，新设市场主体持续增加。"


def test_two_reviews_of_one_development_told_in_other_words_are_no_items(tmp_path: Path) -> None:
    # the development is named alike (大众创业、万众创新), its course in other words (广泛开展 / 蓬勃发展): less of
    # the first clause is held than a plan needs, and two reviews need no more
    d = _periods_diff(tmp_path, ([MASS_A], []), ([MASS_B, NEW_REVIEW], []))
    assert [i.text for i in d.added] == [NEW_REVIEW]
    assert d.dropped == ()
    # the same two sentences as plans: a plan restated must hold more of the clause (0.8), so both stay listed
    d = _periods_diff(tmp_path, ([], [MASS_A]), ([NEW_REVIEW], [MASS_B]))
    assert [i.text for i in d.added] == [NEW_REVIEW, MASS_B]
    assert [i.text for i in d.dropped] == [MASS_A]


def test_a_sentence_one_of_two_clauses_written_in_the_other_report_is_no_item(tmp_path: Path) -> None:
    # judged clause by clause, half of it is written in A (加强和改进金融监管, inside a longer sentence A does not
    # copy into B), the other clause new: a sentence half said is no item, however long the new clause (the
    # 2006 and 2007 reports); a sentence with one clause of three written stays listed
    long_a = "六要切实加强和改进金融监管，健全监管协调机制，有效防范和化解金融风险，维护国家金融稳定和安全。"
    half = "加强和改进金融监管，强化银行资本充足率约束。"
    third = "加强和改进金融监管，强化银行资本充足率约束，推进存款保险制度建设。"
    d = _texts_diff(tmp_path, [*_SHARED, long_a], [*_SHARED, half, NEW])
    assert [i.text for i in d.added] == [NEW]
    assert [i.text for i in d.dropped] == [long_a]
    d = _texts_diff(tmp_path, [*_SHARED, long_a], [*_SHARED, third, NEW])
    assert [i.text for i in d.added] == [third, NEW]


def test_a_target_refigured_inside_the_other_reports_list_of_targets_is_changed_not_dropped(tmp_path: Path) -> None:
    # A states its foreign-trade target alone, B inside its list of targets, whose counterpart (A's list) names no
    # foreign trade: the same target with another figure (the 2014 and 2015 reports)
    list_a = ("今年经济社会发展的主要预期目标是：国内生产总值增长7.5%左右，居民消费价格涨幅控制在3.5%左右，"
              "城镇新增就业1000万人以上，城镇登记失业率控制在4.6%以内，国际收支基本平衡。")  # fmt: skip
    trade_a = "今年进出口总额预期增长7.5%左右。"
    list_b = ("今年经济社会发展的主要预期目标是：国内生产总值增长7%左右，居民消费价格涨幅3%左右，"
              "城镇新增就业1000万人以上，城镇登记失业率4.5%以内，进出口增长6%左右，国际收支基本平衡。")  # fmt: skip
    d = _texts_diff(tmp_path, [*_SHARED, list_a, trade_a], [*_SHARED, list_b, NEW])
    assert d.dropped == ()
    assert [i.text for i in d.added] == [NEW]
    assert (trade_a, "7.5%左右", list_b, "6%左右") in [
        (c.before.text, c.before.value, c.after.text, c.after.value) for c in d.changed
    ]
    # a clause of B's list its counterpart states too has its counterpart there: A's sentence stays dropped
    gdp_a = "今年国内生产总值预期增长8%左右。"
    d = _texts_diff(tmp_path, [*_SHARED, list_a, gdp_a], [*_SHARED, list_b, NEW])
    assert [i.text for i in d.dropped] == [gdp_a]


def test_which_session_is_no_change(tmp_path: Path) -> None:
    # 第十四届…第一次会议 and 十九届…全会 say which session, not how many: each report names its own, so a pair of
    # sentences differing only there is the same sentence (the 2022-2024 reports' dateline and framing)
    assert change_figures("在第十四届全国人民代表大会第二次会议上，党的十九届历次全会精神") == ()
    assert change_figures("组织开展第三次国务院大督查，下拨资金20亿元") == ("三次", "20亿元")  # the third: news
    assert change_figures("成功举办2届亚欧博览会，办好第17届省运会") == ("2届", "17届")  # a fair's, a games': news
    a = [*_SHARED, "本报告于2023年3月5日在第十四届全国人民代表大会第一次会议上宣读。"]
    b = [*_SHARED, "本报告于2024年3月5日在第十四届全国人民代表大会第二次会议上宣读。"]
    assert _texts_diff(tmp_path, a, b).empty


def test_the_listing_model_only_splits_the_unpaired_items() -> None:
    # judged or not, the same sentences are unpaired: the model lists some and holds the others back as unsure
    judged = _file_diff(A_FILE, B_FILE)
    plain = _file_diff(A_FILE, B_FILE, judge=False)
    assert judged.added and judged.unsure_added and judged.dropped and judged.unsure_dropped
    for listed, unsure, every in ((judged.added, judged.unsure_added, plain.added),
                                  (judged.dropped, judged.unsure_dropped, plain.dropped)):  # fmt: skip
        assert sorted(i.text for i in listed + unsure) == sorted(i.text for i in every)
        assert not {i.text for i in listed} & {i.text for i in unsure}
    assert judged.changed == plain.changed and plain.unsure_added == plain.unsure_dropped == ()
    assert {"unsure_added", "unsure_dropped"} <= set(judged.to_json())


def test_a_commitment_reworded_is_unsure_and_news_is_listed() -> None:
    # 2011 → 2012 (hand-check sample 12): 2012 says 加强和改进互联网管理; 2011 never writes 农机 or 机械化, 2012
    # never 中小学生 or 一小时 (hand-checked items the model judges less surely, 巩固美日欧传统市场, are unsure since
    # the refit on 252 labels raised the threshold from 0.74 to 0.80)
    d = _file_diff(NATIONAL / "national-2011.txt", NATIONAL / "national-2012.txt")
    assert "加强对互联网的利用和管理。" in [i.text for i in d.unsure_dropped]
    assert "加强对互联网的利用和管理。" not in [i.text for i in d.dropped]
    assert "加快农业机械化步伐。" in [i.text for i in d.added]
    assert "保证中小学生每天一小时校园体育活动。" in [i.text for i in d.dropped]


def test_the_listing_evidence_reads_news_and_rewordings_apart() -> None:
    from reportqa.qa.diff import LISTING_FEATURES, Unit, listing_features
    from reportqa.qa.diff_model import builtin_listing

    a = side_from_report(report_from_file(NATIONAL / "national-2011.txt"))
    b = side_from_report(report_from_file(NATIONAL / "national-2012.txt"))
    where = a.units[100].citation
    items = [Unit("加强对互联网的利用和管理。", where), Unit("我们要准确判断形势，保持清醒头脑，增强忧患意识。", where),
             Unit("新建农家书屋12345个。", where)]  # fmt: skip
    reworded, news, figured = listing_features(items, [1, 1, 1], a.units, b.units, set(range(len(b.units))))
    assert set(reworded) == set(LISTING_FEATURES)
    # 2012 writes the first in other words (加强和改进互联网管理), not the second
    assert reworded["clause_mean"] > news["clause_mean"] and reworded["piece_mean"] > news["piece_mean"]
    assert figured["figure_new"] == 1.0 and news["figure_new"] == 0.0
    # a copy there is no evidence: with no usable sentence, nothing is said there
    alone = listing_features(items[:1], [1], a.units, b.units, set())[0]
    assert alone["clause_mean"] == alone["piece_mean"] == 0.0
    model = builtin_listing()
    assert model is not None and set(model.features) <= set(LISTING_FEATURES)
    assert model.probability(news) > model.probability(reworded)


def test_a_listing_model_file_round_trips_and_a_broken_one_is_refused() -> None:
    from reportqa.qa.diff_model import ListingModel, builtin_listing

    model = builtin_listing()
    assert model is not None and 0.0 < model.threshold < 1.0
    assert ListingModel.from_json(model.to_json()) == model
    broken = {**model.to_json(), "coef": [1.0]}
    with pytest.raises(ValueError, match="differ in length"):
        ListingModel.from_json(broken)
    with pytest.raises(ValueError, match="threshold"):
        ListingModel.from_json({**model.to_json(), "threshold": "high"})


def test_the_diff_view_counts_the_items_held_back() -> None:
    from reportqa.ui.render_diff import render_diff

    d = _file_diff(A_FILE, B_FILE)
    assert d.unsure_added and d.unsure_dropped
    html = render_diff(d, en=False)
    for unsure in (d.unsure_added, d.unsure_dropped):
        assert f"另有 {len(unsure)} 条未找到对应句" in html
    assert f"{len(d.unsure_added)} more with no counterpart found" in render_diff(d, en=True)
    assert "rq-diff-unsure" not in render_diff(_file_diff(A_FILE, B_FILE, judge=False), en=True)


def test_an_article_is_no_figure() -> None:
    # 一条 / 一个 / 一批 are articles, not counts (diff9-handcheck.md, items 11 and 30)
    assert figures("中国社会主义现代化建设道路是一条和平发展的道路。") == []
    assert figures("标志着对外开放进入一个新阶段。") == []
    assert change_figures("建成一批重大工程，形成一种新格局。") == ()
    # a count of one with a unit, a percentage point, a doubling and a duration still are
    assert figures("下降一个百分点，增加一倍，前12个月，新建3个基地，产量一亿吨。") == [
        "一个百分点", "一倍", "12个", "3个", "一亿吨"]  # fmt: skip


def test_an_article_against_a_date_is_no_changed_pair(tmp_path: Path) -> None:
    # 一个 → 12月: the same statement, one dated (a date re-figured, 3月 → 5月, is still a change)
    a = ["我国加入世贸组织，标志着对外开放进入一个新阶段。", "加快建设综合交通运输体系。"]
    b = ["我国于2001年12月正式加入世界贸易组织，标志着对外开放进入新阶段。", "加快建设综合交通运输体系。"]
    d = _texts_diff(tmp_path, a, b)
    assert d.changed == ()


def test_a_diff_of_two_files_imports_neither_the_question_parser_nor_pypinyin() -> None:
    # each costs ≈ 0.3 s of the ≤ 5 s a diff of two report files may take, and neither is needed (the chunker's
    # langchain-text-splitters, ≈ 0.25 s, is the product's splitter of long paragraphs and stays)
    import subprocess

    code = ("import sys; from reportqa.qa.yoy import diff_named; from tests.conftest import FakeEmbedder; "
            f"diff_named({str(A_FILE)!r}, {str(B_FILE)!r}, None, FakeEmbedder); "
            "heavy = ('reportqa.qa.query', 'pypinyin'); "
            "print(sorted(m for m in heavy if m in sys.modules))")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_digits_written_spaced_are_one_figure() -> None:
    # a report file writing its digits spaced (7 2 ％, 3 5 0 万) states 72% and 350万, not 2% and 0万 — a changed
    # pair was shown with the misread figures (bench/results/diff10-handcheck.md, item 12)
    text = "今年，基本普及九年义务教育的地区要增加到全国人口的7 2 ％，再扫除3 5 0 万青壮年文盲。"
    assert figures(text) == ["72%", "350万"]
    assert change_figures(text) == ("72%", "350万")


def test_two_growth_rates_in_numerals_of_unrelated_quantities_are_not_one_changed(tmp_path: Path) -> None:
    # both clauses say 增长百分之N; B's rate is the growth of the savings named before it in its sentence, A's that
    # of coal output — two quantities (the 1993 and 1994 reports; a hand-check's changed pair 百分之二十 → 百分之二十八)
    a = [*_SHARED, "１９９２年同１９８７年相比，钢产量增长百分之四十二，达到８０００万吨；原煤产量增长百分之二十，"
         "达到１１亿吨；发电装机增长百分之四十六，达到１６５００万千瓦。"]  # fmt: skip
    b = [*_SHARED, "城乡居民储蓄存款大幅度增加，年末存款余额达到１４７６４亿元，增长百分之二十八。"]
    assert _texts_diff(tmp_path, a, b).changed == ()


def test_a_head_is_read_in_its_sentence() -> None:
    # a clause with a bare rate (增长百分之二十八) states the growth of what its sentence named before it
    sentence = "城乡居民储蓄存款大幅度增加，年末存款余额达到１４７６４亿元，增长百分之二十八。"
    coal = "原煤产量增长百分之二十，达到１１亿吨；"
    assert not figures_agree("原煤产量增长百分之二十", "增长百分之二十八", coal, sentence)
    assert figures_agree("储蓄存款增长百分之二十", "增长百分之二十八", "储蓄存款增长百分之二十。", sentence)


def test_two_outputs_sharing_a_generic_word_are_two_quantities() -> None:
    # 钢产量 and 原煤产量 share 产量, and each names what the other sentence never writes
    assert not figures_agree("钢产量增长百分之四十二", "原煤产量增长百分之二十五")
    assert figures_agree("钢产量增长百分之四十二", "钢产量增长百分之二十五")


def test_gnp_and_gdp_are_two_quantities(tmp_path: Path) -> None:
    # 国民生产总值 (GNP) and 国内生产总值 (GDP): the 1994 report moved from one to the other; a hand-check counts
    # their growth rates and targets as two quantities, not one re-figured
    a = [*_SHARED, "国民经济实现了快速增长，国民生产总值比上年增长百分之十二点八。",
         "今年国民生产总值计划增长百分之八，是留有余地的。"]  # fmt: skip
    b = [*_SHARED, "国内生产总值突破３万亿元大关，比上年增长百分之十三点四。",
         "根据这个要求，今年计划国内生产总值增长百分之九。"]  # fmt: skip
    assert _texts_diff(tmp_path, a, b).changed == ()
    b = [*_SHARED, "国民生产总值突破３万亿元大关，比上年增长百分之十三点四。",
         "根据这个要求，今年计划国民生产总值增长百分之九。"]  # fmt: skip
    assert [(c.before.value, c.after.value) for c in _texts_diff(tmp_path, a, b).changed] == [("百分之八", "百分之九")]
