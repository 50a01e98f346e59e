"""Figures read at build time (reportqa.index.figures.extract): extraction on small synthetic reports, the store
round trip, incremental builds, ``reportqa targets`` through the real entry point, and every figure of the
whole corpus checked against its paragraph."""

from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path

import pytest
from reportqa.index.errors import IndexMismatchError
from reportqa.index.figures.evaluate import FigureLabel, evaluate_figures
from reportqa.index.figures.extract import extract_figures, same_value, select_figures
from reportqa.index.pipeline.build import build_index
from reportqa.index.reading.docmeta import read_meta
from reportqa.index.reading.paragraphs import reconstruct
from reportqa.index.reading.readers import discover, read_source
from reportqa.index.records import Figure, Paragraph
from reportqa.index.storage.store import FIGURES_FILE, load_index

from .conftest import ROOT, FakeEmbedder, run_cli

CORPUS = ROOT / "tests" / "data" / "corpus"


def _report(*blocks: tuple[str, list[str]]) -> list[Paragraph]:
    """Paragraphs of a synthetic report: (heading, body paragraphs) blocks; "" for front matter."""
    out: list[Paragraph] = []
    for heading, bodies in blocks:
        section: tuple[str, ...] = ()
        if heading:
            section = (heading,)
            out.append(Paragraph("t.txt", len(out) + 1, heading, True, 1, section, (len(out) + 1, len(out) + 1)))
        for b in bodies:
            out.append(Paragraph("t.txt", len(out) + 1, b, False, 0, section, (len(out) + 1, len(out) + 1)))
    return out


def _by(figs: list[Figure]) -> dict[tuple[str, str], Figure]:
    return {(f.kind, f.indicator): f for f in figs}


def _check(figs: list[Figure], paras: list[Paragraph]) -> None:
    text = {p.n: p.text for p in paras}
    for f in figs:
        assert f.quote in text[f.citation.paragraph] and f.value in f.quote


REVIEW = "一、2030年工作回顾"
PLAN = "二、2031年工作安排"


def test_targets_and_results_with_years_values_and_quotes() -> None:
    paras = _report(
        ("", ["——2031年1月20日在某省第一届人民代表大会第一次会议上"]),
        (REVIEW, ["过去一年，全省地区生产总值达到1.2万亿元，比上年增长6.1%，城镇新增就业55.3万人，"
                  "居民消费价格上涨0.8%，工业投资增长13.3%。"]),
        (PLAN, ["今年经济社会发展主要预期目标是：地区生产总值增长5.5%—6%，城镇调查失业率控制在5.5%以内，"
                "城镇新增就业50万人以上，居民消费价格涨幅2%左右，居民收入增长与经济增长同步，"
                "粮食产量稳定在１．２万亿斤以上。"]),
    )  # fmt: skip
    figs = extract_figures(paras, region="某省", year=2031, document_id=3)
    _check(figs, paras)
    got = _by(figs)
    gdp = got[("target", "gdp_growth")]
    assert (gdp.year, gdp.value, gdp.low, gdp.high, gdp.unit, gdp.modifier) == (2031, "5.5%—6%", 5.5, 6.0, "%", "range")
    assert gdp.quote == "地区生产总值增长5.5%—6%" and gdp.document_id == 3 and gdp.region == "某省"
    assert got[("target", "unemployment_rate")].modifier == "at_most"
    assert got[("target", "urban_new_jobs")].value == "50万人以上"
    assert got[("target", "urban_new_jobs")].unit == "万人"
    assert got[("target", "cpi")].modifier == "about"
    inc = got[("target", "income_growth")]
    assert inc.modifier == "qualitative" and inc.value == "与经济增长同步" and inc.low is None
    assert got[("target", "grain_output")].value == "１．２万亿斤以上"
    assert got[("target", "grain_output")].low == 1.2
    # the qualitative clause names 经济增长 but gives no GDP value
    assert sum(1 for f in figs if f.indicator == "gdp_growth" and f.kind == "target") == 1
    act = got[("actual", "gdp_growth")]
    assert (act.year, act.value, act.modifier) == (2030, "6.1%", "exact")
    assert act.quote.startswith("地区生产总值") and act.quote.endswith("6.1%")
    assert got[("actual", "urban_new_jobs")].value == "55.3万人"
    assert got[("actual", "cpi")].value == "上涨0.8%"
    # 工业投资 is not all fixed-asset investment
    assert ("actual", "fixed_investment_growth") not in got


def test_unset_target_five_year_plan_and_ambiguous_clauses() -> None:
    paras = _report(
        ("", ["——2031年1月20日在某省会议上"]),
        (PLAN, ["“十六五”时期经济社会发展的主要目标是：地区生产总值年均增长6%左右。",
                "今年发展主要预期目标是：",
                "经济增速不设具体目标；居民消费价格涨幅、城镇调查失业率分别控制在3%和5%以内；城镇新增就业一千一百万人以上。"]),
    )  # fmt: skip
    figs = extract_figures(paras, region="某省", year=2031)
    _check(figs, paras)
    got = _by(figs)
    unset = got[("target", "gdp_growth")]
    assert unset.modifier == "unset" and unset.low is None and "具体目标" in unset.value
    # 分别 over two indicators: which value is whose is not for a rule, none is taken
    assert not {"cpi", "unemployment_rate"} & {f.indicator for f in figs}
    jobs = got[("target", "urban_new_jobs")]
    assert (jobs.low, jobs.unit, jobs.modifier) == (1100.0, "万人", "at_least")
    assert all(f.value != "6%左右" for f in figs)  # the five-year plan's 年均 target


def test_a_review_naming_another_year_gives_no_result() -> None:
    paras = _report(
        ("", ["——2031年1月20日在某省会议上"]),
        (REVIEW, ["2028年，地区生产总值增长7%。过去五年，地区生产总值增长30%。"]),
    )
    assert extract_figures(paras, year=2031) == []


def test_pairs_directions_and_the_five_year_review() -> None:
    paras = _report(
        ("", ["——2031年1月20日在某省会议上"]),
        (REVIEW, ["这五年，地区生产总值增长40%，城镇新增就业300万人。",
                  "——民生实现新跃升。居民人均可支配收入增长30%。",
                  "过去一年，城镇、农村居民人均可支配收入分别增长4.3%、5.7%，能耗强度下降3.1%，"
                  "居民消费价格上涨0.5%，地区生产总值达到2万亿元，比上年增长5%。"]),
    )  # fmt: skip
    figs = extract_figures(paras, year=2031)
    _check(figs, paras)
    got = _by(figs)
    inc = got[("actual", "income_growth")]
    assert (inc.value, inc.modifier, inc.low, inc.high) == ("4.3%、5.7%", "pair", 4.3, 5.7)
    assert inc.quote.startswith("城镇、农村")
    energy = got[("actual", "energy_intensity")]
    assert (energy.value, energy.low) == ("下降3.1%", -3.1)
    assert got[("actual", "cpi")].value == "上涨0.5%" and got[("actual", "cpi")].low == 0.5
    gdp = got[("actual", "gdp_growth")]
    assert gdp.value == "5%" and "2万亿元，比上年增长5%" in gdp.quote
    # nothing from the five-year review (这五年 and the paragraphs after it)
    assert all(f.value not in ("40%", "300万人", "30%") for f in figs)
    paras = _report(
        ("", ["——2031年1月20日在某省会议上"]),
        (REVIEW, ["过去一年，城镇居民人均可支配收入4万元，农村居民人均纯收入2万元，"
                  "扣除价格因素，分别实际增长7%和6%。"]),
    )
    (pair,) = extract_figures(paras, year=2031)
    assert (pair.indicator, pair.value, pair.modifier, pair.year) == ("income_growth", "7%和6%", "pair", 2030)


def test_select_figures_accepts_region_forms() -> None:
    paras = _report(("", ["——2031年1月20日"]), (PLAN, ["今年主要预期目标是：地区生产总值增长5%左右。"]))
    tibet = extract_figures(paras, region="西藏自治区", year=2031)
    nation = extract_figures(paras, region="全国", year=2031)
    both = tibet + nation
    for form in ("西藏", "西藏自治区", "Tibet", "xizang"):
        assert select_figures(both, regions=[form]) == tibet
    assert select_figures(both, regions=["全国"], indicators=["gdp_growth"], years=[2031], kinds=["target"]) == nation
    assert select_figures(both, years=[2030]) == []
    assert select_figures(both, kinds=["actual"]) == []


def test_evaluation_counts_recall_precision_and_quotes() -> None:
    paras = _report(("", ["——2031年1月20日"]),
                    (PLAN, ["今年主要预期目标是：地区生产总值增长5%左右，居民消费价格涨幅2%左右。"]))  # fmt: skip
    figs = extract_figures(paras, region="某省", year=2031)
    labels = [
        FigureLabel("corpus/t.txt", "gdp_growth", "target", 2031, "５%左右"),
        FigureLabel("corpus/t.txt", "cpi", "target", 2031, "3%左右"),
        FigureLabel("corpus/t.txt", "urban_new_jobs", "target", 2031, "50万人"),
        FigureLabel("other.txt", "gdp_growth", "target", 2031, "5%"),
    ]
    texts = {p.n: p.text for p in paras}
    rep = evaluate_figures(figs, labels, ["t.txt"], lambda doc, n: texts.get(n))
    assert (rep.labels, rep.skipped_labels, rep.matched) == (3, 1, 1)
    assert (rep.judged, rep.correct) == (2, 1)
    assert rep.quotes_found == rep.figures == 2
    assert rep.per_indicator["cpi · target"].recall == 0.0
    assert same_value("4.5%—5%", "4.5％-5％")


# ---------------------------------------------------------------------------------------------- the store


_BEIJING = """2031年北京市政府工作报告

——2031年1月20日在北京市第一届人民代表大会第一次会议上

一、2030年工作回顾

过去一年，全市地区生产总值增长5.4%，城镇新增就业26.5万人。

二、2031年工作安排

今年经济社会发展主要预期目标是：地区生产总值增长5%左右，城镇调查失业率控制在5%以内，居民收入增长和经济增长同步。
"""
_TIBET = _BEIJING.replace("北京市", "西藏自治区").replace("全市", "全区").replace("5%左右", "7%以上")


@pytest.fixture
def figure_docs(tmp_path: Path) -> Path:
    d = tmp_path / "docs"
    d.mkdir()
    (d / "beijing-2031.txt").write_text(_BEIJING, encoding="utf-8")
    (d / "xizang-2031.txt").write_text(_TIBET, encoding="utf-8")
    return d


def test_store_round_trip_incremental_build_and_damage(figure_docs: Path, tmp_path: Path) -> None:
    idx = tmp_path / "idx" / "index"
    build_index([figure_docs], idx, embedder=FakeEmbedder())
    index = load_index(idx)
    assert index.manifest["counts"]["figures"] == len(index.figures) > 0
    assert FIGURES_FILE in index.manifest["files"]
    for f in index.figures:
        assert index.documents[f.document_id].name == f.document
        (p,) = [p for p in index.paragraphs if p.document == f.document and p.n == f.citation.paragraph]
        assert f.quote in p.text and f.value in f.quote
    targets = {f.region: f.value for f in select_figures(index.figures, indicators=["gdp_growth"], kinds=["target"])}
    assert targets == {"北京市": "5%左右", "西藏自治区": "7%以上"}
    # a new document before the others: theirs are kept, with their new document ids
    (figure_docs / "anhui-2031.txt").write_text(_BEIJING.replace("北京市", "安徽省").replace("5%左右", "5.5%"),
                                                encoding="utf-8")  # fmt: skip
    build_index([figure_docs], idx, embedder=FakeEmbedder())
    again = load_index(idx)
    assert again.documents[0].name == "anhui-2031.txt"
    for f in again.figures:
        assert again.documents[f.document_id].name == f.document
    old = {(f.document, f.indicator, f.kind): f.to_json() | {"document_id": 0} for f in index.figures}
    new = {(f.document, f.indicator, f.kind): f.to_json() | {"document_id": 0} for f in again.figures}
    assert all(new[k] == v for k, v in old.items())
    # a damaged figures file is refused with the command that fixes it
    path = again.path / FIGURES_FILE
    path.write_text(path.read_text(encoding="utf-8").replace("7%以上", "9%以上"), encoding="utf-8")
    with pytest.raises(IndexMismatchError, match="reportqa build"):
        load_index(idx)


def test_targets_cli_json_csv_and_table(figure_docs: Path, tmp_path: Path) -> None:
    idx = tmp_path / "idx" / "index"
    build_index([figure_docs], idx, embedder=FakeEmbedder())
    proc = run_cli("targets", "--json", "--index-dir", str(idx), "--indicator", "gdp_growth", "--region", "Tibet")
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert {(r["region"], r["kind"], r["year"], r["value"]) for r in rows} == {
        ("西藏自治区", "target", 2031, "7%以上"), ("西藏自治区", "actual", 2030, "5.4%"),
    }  # fmt: skip
    assert all(r["document"] == "xizang-2031.txt" and r["quote"].endswith(r["value"]) for r in rows)
    proc = run_cli("targets", "--csv", "--index-dir", str(idx), "--kind", "target", "--year", "2031")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("\ufeff")
    table = list(csv.DictReader(io.StringIO(proc.stdout.lstrip("\ufeff"))))
    assert {r["kind"] for r in table} == {"target"} and {r["region"] for r in table} == {"北京市", "西藏自治区"}
    gdp = [r for r in table if r["indicator"] == "gdp_growth"]
    assert sorted((r["region"], r["value"], r["low"]) for r in gdp) == [("北京市", "5%左右", "5.0"),
                                                                       ("西藏自治区", "7%以上", "7.0")]
    proc = run_cli("targets", "--index-dir", str(idx), "--region", "北京")
    assert proc.returncode == 0 and "5%左右" in proc.stdout and "beijing-2031.txt ¶" in proc.stdout
    assert "西藏" not in proc.stdout
    bad = run_cli("targets", "--index-dir", str(idx), "--indicator", "gdp")
    assert bad.returncode == 2 and "gdp_growth" in bad.stderr


# ---------------------------------------------------------------------------------------------- the corpus


def test_every_corpus_figure_is_quoted_from_its_paragraph() -> None:
    t0 = time.perf_counter()
    files, _ = discover([CORPUS])
    total = 0
    gdp_targets = 0
    for path, name in files:
        src = read_source(path, name)
        paras = reconstruct(src)
        meta = read_meta(name, src.text, paras)
        figs = extract_figures(paras, region=meta.region.name if meta.region else "", year=meta.year)
        text = {p.n: p.text for p in paras}
        for f in figs:
            assert f.quote in text[f.citation.paragraph], (name, f)
            assert f.value in f.quote, (name, f)
            assert f.kind in ("target", "actual")
            if f.kind == "target" and meta.year is not None:
                assert f.year == meta.year
            if f.kind == "actual" and meta.year is not None:
                assert f.year == meta.year - 1
        total += len(figs)
        gdp_targets += any(f.indicator == "gdp_growth" and f.kind == "target" for f in figs)
    assert total > 300
    assert gdp_targets >= 50  # 31 provinces and the national reports since 2003 state one
    assert time.perf_counter() - t0 < 120
