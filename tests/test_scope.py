"""Which reports a question names (regions in Chinese/English/pinyin, explicit and relative years), the
abstention message for a report the library lacks, and the filter applied inside retrieval (fake embedder)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from reportqa.index.errors import UsageError
from reportqa.index.pipeline.build import build_index
from reportqa.index.storage import store
from reportqa.qa.engine import Engine
from reportqa.qa.query import understand
from reportqa.qa.scope import Filters, library_documents, named_regions, named_years

from .conftest import ROOT, SEED, FakeEmbedder, scope_question
from .conftest import library_document as _doc

CORPUS = ROOT / "tests" / "data" / "corpus"


LIB = [
    _doc(0, "bj-2026.txt", "北京市", 2026),
    _doc(1, "sh-2025.txt", "上海市", 2025),
    _doc(2, "sh-2026.txt", "上海市", 2026),
    _doc(3, "xz-2024.txt", "西藏自治区", 2024),
    _doc(4, "xz-2026.txt", "西藏自治区", 2026),
    _doc(5, "cn-2024.txt", "全国", 2024),
    _doc(6, "cn-2025.txt", "全国", 2025),
    _doc(7, "nmg-2026.txt", "内蒙古自治区", 2026),
    _doc(8, "sx-2026.txt", "山西省", 2026),
    _doc(9, "snx-2026.txt", "陕西省", 2026),
]
NAME = {d.id: d.name for d in LIB}


def _names(question: str, filters: Filters | None = None) -> list[list[str]]:
    return [sorted(NAME[i] for i in t.documents) for t in scope_question(question, LIB, filters).targets]


def test_regions_in_chinese_english_and_pinyin_in_question_order() -> None:
    assert [r.name for r in named_regions("西藏和北京的目标")] == ["西藏自治区", "北京市"]
    assert [r.name for r in named_regions("What is Inner Mongolia's target? And Xizang's?")] == [
        "内蒙古自治区", "西藏自治区"
    ]  # fmt: skip
    assert [r.name for r in named_regions("Shaanxi vs Shanxi")] == ["陕西省", "山西省"]
    assert [r.name for r in named_regions("国务院今年的赤字率")] == ["全国"]
    assert named_regions("红烧肉怎么做？") == []


def test_words_that_only_mean_national_do_not_name_the_national_report() -> None:
    assert named_regions("2023年有几个地（市）建成全国民族团结进步示范市？") == []
    assert named_regions("Which national park is named in the report?") == []
    assert named_regions("How many cities in Tibet became national model cities?")[0].name == "西藏自治区"
    assert len(named_regions("How many cities in Tibet became national model cities?")) == 1
    assert named_regions("What is the investment of the Sichuan-Tibet Railway?") == []
    for q in ("2025年全国城镇新增就业目标是多少？", "全国2024年的赤字率", "国务院的目标", "What was China's target?",
              "the national government work report of 2024"):  # fmt: skip
        assert [r.name for r in named_regions(q)] == ["全国"], q


def test_hong_kong_beside_another_named_report_is_its_subject() -> None:
    # the national reports speak of Hong Kong's and Macao's return: named beside the report asked for, no scope
    assert named_regions("1995年政府工作报告说，距离香港回归还有多少天？") == []
    assert named_regions("What did the 1997 report say about Hong Kong's return?") == []
    # asked for on its own, or as the report's government, it is a report the library lacks
    assert [r.name for r in named_regions("香港的人均GDP是多少？")] == ["香港特别行政区"]
    assert [r.name for r in named_regions("香港2025年政府工作报告的GDP目标是多少？")] == ["香港特别行政区"]


def test_explicit_report_and_relative_years() -> None:
    assert named_years("西藏2024年和2026年的目标") == ([2024, 2026], False, False)
    # the year of the report, not of the fact it reports
    assert named_years("2025年政府工作报告说2024年国内生产总值达到多少？") == ([2025], True, False)
    assert named_years("2019年与2021年政府工作报告的目标有何不同？") == ([2019, 2021], True, False)
    assert named_years("西藏去年城镇新增就业多少人？") == ([], False, True)
    assert named_years("What was the target in 2024?")[0] == [2024]
    # "the 2016 report" names the report in English as "2016年报告" does in Chinese; "reported in" names a fact
    assert named_years("Per the 2016 report, how much were subsistence allowances raised?") == ([2016], True, False)
    assert named_years("What did Beijing report in 2016?") == ([2016], False, False)
    assert named_years("How fast did the 2016 reporting period's output grow?")[1] is False


def test_one_named_report_gives_its_filter() -> None:
    assert _names("北京市2026年地区生产总值预期增长多少？") == [["bj-2026.txt"]]
    assert _names("What is Beijing's GDP growth target for 2026?") == [["bj-2026.txt"]]
    assert _names("上海2025年的目标") == [["sh-2025.txt"]]
    # a region without a year: all its reports; with 今年/去年 the latest, against which they resolve
    assert _names("上海的研发投入") == [["sh-2025.txt", "sh-2026.txt"]]
    assert _names("西藏去年城镇新增就业多少人？") == [["xz-2026.txt"]]
    assert _names("How many jobs did Tibet add last year?") == [["xz-2026.txt"]]
    assert _names("2024年国务院政府工作报告的赤字率") == [["cn-2024.txt"]]
    assert scope_question("红烧肉怎么做？", LIB).targets == ()
    assert scope_question("红烧肉怎么做？", LIB).documents is None


def test_a_named_year_missing_falls_back_to_the_report_reviewing_it() -> None:
    # the library holds no 2025 Beijing report; the 2026 one reviews 2025
    assert _names("北京市2025年地区生产总值达到多少？") == [["bj-2026.txt"]]
    # ...but not when the question names the report itself
    s = scope_question("北京市2025年政府工作报告提出的目标是多少？", LIB)
    assert s.message == "no 2025 report of 北京市 in this index; it holds 2026"


def test_missing_reports_abstain_saying_what_the_library_holds() -> None:
    s = scope_question("上海市2015年政府工作报告提出的地区生产总值增长目标是多少？", LIB)
    assert s.documents == frozenset() and s.message == "no 2015 report of 上海市 in this index; it holds 2025, 2026"
    s = scope_question("What was Tibet's GDP target in 2019?", LIB)
    assert s.message == "no 2019 report of 西藏自治区 in this index; it holds 2024, 2026"
    s = scope_question("香港2026年经济增长目标是多少？", LIB)
    assert s.message is not None
    assert s.message.startswith("no report of 香港特别行政区 in this index; it holds reports of")
    assert "北京市" in s.message
    s = scope_question("深圳市2026年地区生产总值增长目标是多少？", LIB)
    assert s.message is not None and s.message.startswith("no report of 深圳市")
    # the same in English: a city's English or pinyin name with a year names its report
    for q in ("What was Shenzhen's GDP growth target for 2026?", "Chengdu 2026 GDP target"):
        s = scope_question(q, LIB)
        assert s.message is not None and s.message.startswith("no report of "), q
    # without a year a city is a subject: the library's reports are searched (Lhasa in Tibet's reports)
    assert scope_question("What is Lhasa's plan for tourism?", LIB).message is None
    # so is a city whose place or project is asked, the year not standing by it and no government figure asked
    for q in ("How many mu of greening were completed on Lhasa's north and south mountains in 2023?",
              "How many projects settled in Shenyang's science city in 2025?"):
        assert scope_question(q, LIB).message is None, q
    for q in ("What is Lhasa's unemployment rate target in 2024?", "In 2026 Shenzhen's target for GDP",
              "How many new jobs does the Shenzhen government plan in 2026?"):
        s = scope_question(q, LIB)
        assert s.message is not None and s.message.startswith("no report of "), q
    assert scope_question("1990年政府工作报告的目标", LIB).message == (
        "no 1990 report in this index; it holds 2024, 2025, 2026"
    )


def test_comparisons_keep_the_question_order() -> None:
    assert _names("上海和北京2026年地区生产总值增长目标分别是多少？") == [["sh-2026.txt"], ["bj-2026.txt"]]
    assert _names("西藏2026年和2024年的目标") == [["xz-2026.txt"], ["xz-2024.txt"]]
    assert _names("Compare Shanxi's and Shaanxi's 2026 GDP targets") == [["sx-2026.txt"], ["snx-2026.txt"]]
    s = scope_question("北京和香港2026年的目标", LIB)
    assert s.comparison and s.targets[0].documents and not s.targets[1].documents
    assert s.targets[1].message is not None


def test_explicit_filters() -> None:
    assert _names("增长目标", Filters(regions=("Tibet",), years=(2024,))) == [["xz-2024.txt"]]
    assert _names("增长目标", Filters(regions=("北京", "上海"), years=(2026,))) == [["bj-2026.txt"], ["sh-2026.txt"]]
    assert _names("增长目标", Filters(documents=("sh-2025.txt",))) == [["sh-2025.txt"]]
    with pytest.raises(UsageError, match="unknown region"):
        scope_question("x", LIB, Filters(regions=("Atlantis",)))
    with pytest.raises(UsageError, match="no document"):
        scope_question("x", LIB, Filters(documents=("nope.txt",)))


# ---------------------------------------------------------------------------------------------- retrieval


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """Three real reports (Beijing 2026, Shanghai 2026, the Tibet 2024 seed) indexed with the fake embedder."""
    docs = tmp_path_factory.mktemp("lib-docs")
    for src in ("provincial-2026/beijing-2026.txt", "provincial-2026/shanghai-2026.txt"):
        shutil.copy(CORPUS / src, docs / Path(src).name)
    shutil.copy(SEED, docs / SEED.name)
    idx = tmp_path_factory.mktemp("lib-index") / "index"
    fake = FakeEmbedder()
    build_index([docs], idx, embedder=fake)
    return Engine(store.load_index(idx), fake)


def test_library_documents_have_regions_years_and_contiguous_chunks(library: Engine) -> None:
    docs = library_documents(library.index)
    got = {(d.region, d.year) for d in docs}
    assert got == {("北京市", 2026), ("上海市", 2026), ("西藏自治区", 2024)}
    for d in docs:
        names = {library.index.chunks[c].citation.document for c in range(d.first_chunk, d.first_chunk + d.chunks)}
        assert names == {d.name}


def test_the_filter_is_applied_before_the_top_k_is_cut(library: Engine) -> None:
    docs = {d.region: d for d in library_documents(library.index)}
    # Beijing's own target sentence, asked without naming a region: Beijing's passage ranks first
    q = "今年经济社会发展主要预期目标是：地区生产总值增长5%左右，一般公共预算收入增长4%左右"
    qvec = library.query_vector(q)
    plain = library.retriever.search(library.understand(q), qvec, "hybrid")
    top = library.index.chunks[int(plain.order[0])].citation.document
    assert top == docs["北京市"].name
    # filtered to Shanghai: only Shanghai's chunks are candidates, its target passage is first
    sh = docs["上海市"]
    r = library.retriever.search(library.understand(q), qvec, "hybrid", documents=frozenset({sh.id}))
    # candidates come from Shanghai's chunk range only (as many as the candidate search keeps, never others)
    assert 0 < len(r.order) <= sh.chunks
    assert all(sh.first_chunk <= int(c) < sh.first_chunk + sh.chunks for c in r.order)
    assert {library.index.chunks[int(c)].citation.document for c in r.order} == {sh.name}
    assert "全市生产总值增长5%左右" in library.index.chunks[int(r.order[0])].text
    # through the engine: a question naming Shanghai gets Shanghai's passages at k=1, not Beijing's
    a = library.ask("上海市2026年" + q, k=1)
    assert a.hits and a.hits[0].citation.document == sh.name


def test_missing_report_abstains_with_the_message(library: Engine) -> None:
    a = library.ask("上海市2015年政府工作报告提出的地区生产总值增长目标是多少？")
    assert a.abstained and a.sentence is None
    assert a.notice == "no 2015 report of 上海市 in this index; it holds 2026"
    assert a.to_json()["notice"] == a.notice and a.to_json()["answer"] is None
    # the nearest passages, low-confidence context, come from the region's other report only
    shanghai = next(d.name for d in library_documents(library.index) if d.region == "上海市")
    assert a.hits and {h.citation.document for h in a.hits} == {shanghai}


def test_the_year_of_the_fact_beside_the_named_report() -> None:
    from reportqa.qa.query import understand
    from reportqa.qa.scope import fact_year

    assert fact_year("How much coal capacity was cut in 2016, according to the 2017 report?") == 2016
    assert fact_year("2017年政府工作报告中，2016年退出煤炭产能多少？") == 2016
    assert fact_year("2016年退出煤炭产能多少？") is None  # no year names a report: the year is the question's own
    assert fact_year("2017年政府工作报告的目标") is None
    assert fact_year("2019年与2021年政府工作报告的GDP目标") is None  # both years name reports (named_years' rule)
    q = understand("2017年政府工作报告中，2016年退出煤炭产能多少？")
    assert q.years == (2017,) and q.report_named and q.asked_year == 2016
    assert understand("2016年退出煤炭产能多少？").asked_year == 2016


@pytest.mark.parametrize(
    ("question", "years"),
    [("Compared with 1982, how many times higher were tourism earnings in 1987?", (1987,)),
     ("How much higher was GDP in 2025 than in 2020?", (2025,)), ("2025年比2020年增长多少？", (2025,)),
     ("2025年较2024年增长多少？", (2025,)), ("比较2024年和2025年的GDP增速", (2024, 2025)),
     ("2024年和2025年相比GDP增速有何变化？", (2024, 2025))],
)  # fmt: skip
def test_a_baseline_year_names_no_report(question: str, years: tuple[int, ...]) -> None:
    assert understand(question).years == years


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What share of GDP does Shanghai want manufacturing to have by 2030?", [["sh-2026.txt"]]),
        ("上海到2030年制造业增加值占比要达到多少？", [["sh-2026.txt"]]),
        ("上海2035年前要建成什么？", [["sh-2026.txt"]]),
        # a year named as a horizon beyond what a plan reaches, or as a plain year, is no report of the library
        ("上海2030年地区生产总值是多少？", [[]]),
        ("What will Shanghai aim for by 2050?", [[]]),
    ],
)
def test_a_plans_horizon_year_is_answered_by_the_latest_earlier_report(
    question: str, expected: list[list[str]]
) -> None:
    assert _names(question) == expected


def test_the_years_before_a_year_name_that_years_report() -> None:
    # the review of "the five years before 2013" is in the 2013 report, not a result in the next one
    assert named_years("By how much did emissions fall in the five years before 2013?") == ([2013], True, False)
    assert named_years("How much capacity was cut over the three years leading up to 2016?") == ([2016], True, False)
    assert named_years("How much did emissions fall in 2013?") == ([2013], False, False)
